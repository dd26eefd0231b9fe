"""A worker as its own process, to be killed mid-briefing, and an LLM slow enough to catch it."""

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings
from demo.offline_llm.server import create_app as create_offline_llm
from testing.servers import serve_in_thread
from testing.stack_parts import local_environment, part_command, start_process

# About 2 s a summary: long enough to kill the worker while some are in flight.
PACED_TOKENS_PER_SECOND = 30


@pytest.fixture
def paced_settings(settings: Settings) -> Iterator[Settings]:
    with serve_in_thread(create_offline_llm(tokens_per_second=PACED_TOKENS_PER_SECOND)) as url:
        yield settings.model_copy(update={"openai_base_url": f"{url}/v1"})


@pytest.fixture
def worker_process(paced_settings: Settings, tmp_path: Path) -> Iterator[subprocess.Popen]:
    """`briefing worker` for paced_settings; killed (if still alive) when the test ends."""
    llm_url = paced_settings.llm_base_url
    assert llm_url is not None, "paced_settings points at the paced offline LLM"
    env = local_environment() | {
        "TEMPORAL_ADDRESS": paced_settings.temporal_address,
        "BRIEFING_TASK_QUEUE": paced_settings.task_queue,
        "OPENAI_BASE_URL": llm_url,
        "BRIEFING_MODEL": paced_settings.llm_model,
        "BRIEFING_FEEDS": ",".join(paced_settings.feeds),
        "BRIEFING_LLM_TIMEOUT": str(paced_settings.llm_timeout_seconds),
        # As the test's own workers (the shared settings fixture): unversioned, so the one
        # started after the kill may take the briefing this one began, and no metrics port.
        "BRIEFING_WORKER_VERSIONING": str(paced_settings.worker_versioning).lower(),
        "BRIEFING_WORKER_METRICS_PORT": str(paced_settings.worker_metrics_port),
    }
    process = start_process(part_command("worker"), env=env, data_dir=tmp_path)
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()
