"""Real parts on loopback, shared by the workflow, activity and API tests."""

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from core.settings import OFFLINE_MODEL, Settings
from demo.newsroom.server import create_app as create_newsroom
from demo.offline_llm.server import create_app as create_offline_llm
from plain_agent.server import build_agent
from plain_agent.server import create_app as create_plain_agent
from testing.servers import serve_in_thread
from testing.stack_process import StackProcess
from testing.temporal_dev import free_port, temporal_dev_server
from worker.main import BriefingWorkers, build_workers

TESTS = Path(__file__).parent
# Folders whose every test is in a slow lane (pyproject's markers), a new one there included;
# elsewhere a module that starts stack processes says so itself (`pytestmark`).
LANE_OF_FOLDER = {"browser": "browser", "stack": "stack", "bench": "bench"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if TESTS in item.path.parents:
            lane = LANE_OF_FOLDER.get(item.path.relative_to(TESTS).parts[0])
            if lane is not None:
                item.add_marker(lane)


@pytest.fixture(scope="session")
def temporal_address() -> Iterator[str]:
    with temporal_dev_server() as address:
        yield address


@pytest.fixture(scope="session")
async def temporal_client(temporal_address: str) -> Client:
    return await Client.connect(temporal_address, data_converter=pydantic_data_converter)


@pytest.fixture(scope="session")
def newsroom_url() -> Iterator[str]:
    with serve_in_thread(create_newsroom()) as url:
        yield url


@pytest.fixture(scope="session")
def llm_url() -> Iterator[str]:
    with serve_in_thread(create_offline_llm()) as url:
        yield url


@pytest.fixture
def newsroom_admin(newsroom_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{newsroom_url}/_admin") as admin:
        yield admin
        admin.delete("/faults")


@pytest.fixture
def llm_admin(llm_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{llm_url}/_admin") as admin:
        admin.delete("/requests")
        yield admin
        admin.delete("/faults")


def feed_urls(newsroom_url: str) -> list[str]:
    from demo.newsroom.outlets import OUTLETS, feed_path

    return [newsroom_url + feed_path(outlet) for outlet in OUTLETS]


@pytest.fixture
def settings(temporal_address: str, newsroom_url: str, llm_url: str) -> Settings:
    # A task queue per test: a worker of one test never picks up another test's work.
    return Settings(
        temporal_address=temporal_address,
        task_queue=f"test-{uuid.uuid4().hex[:8]}",
        openai_api_key=None,
        openai_base_url=f"{llm_url}/v1",
        model=OFFLINE_MODEL,
        feeds=feed_urls(newsroom_url),
        newsroom_url=newsroom_url,
        llm_timeout_seconds=10,
        temporal_ui_url="http://127.0.0.1:8233",
        # The apps a test builds in this process serve no metrics: tests/stack scrapes them.
        worker_metrics_port=0,
        web_metrics_port=0,
        # Unversioned: any worker of the test's queue takes its tasks, no promotion needed
        # (tests/stack/test_deploy_versions.py runs versioned ones).
        worker_versioning=False,
        # A test's workers close with its end, whatever is in flight: no 10 s wait for it.
        worker_shutdown_grace_seconds=0,
        _env_file=None,
    )


@pytest.fixture
async def worker(temporal_client: Client, settings: Settings) -> AsyncIterator[BriefingWorkers]:
    async with build_workers(temporal_client, settings) as running:
        yield running


@pytest.fixture
async def unauthorized_llm_worker(
    temporal_client: Client, settings: Settings
) -> AsyncIterator[tuple[str, httpx.Client]]:
    """A worker whose API key the LLM endpoint rejects with 401."""
    with serve_in_thread(create_offline_llm(api_key="the-right-key")) as url:
        wrong = settings.model_copy(
            update={"openai_api_key": SecretStr("a-wrong-key"), "openai_base_url": f"{url}/v1"}
        )
        with httpx.Client(base_url=f"{url}/_admin") as admin:
            async with build_workers(temporal_client, wrong):
                yield url, admin


PlainServer = Callable[[], AbstractContextManager[str]]


@pytest.fixture
def plain_port() -> int:
    return free_port()


@pytest.fixture
def plain_server(settings: Settings, plain_port: int) -> PlainServer:
    """Starts a fresh plain agent process-alike on one port: a restart forgets every run."""

    def start() -> AbstractContextManager[str]:
        app = create_plain_agent(build_agent(settings), allowed_hosts=settings.host_names)
        return serve_in_thread(app, port=plain_port)

    return start


@pytest.fixture
def plain_url(plain_server: PlainServer) -> Iterator[str]:
    with plain_server() as url:
        yield url


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[StackProcess]:
    """`briefing up` on free ports, bringing a killed part back after 1 s; stopped after the
    test. Tests that need other options make their own (`with StackProcess(...)`)."""
    with StackProcess(tmp_path, restart_delay=1.0) as stack:
        yield stack
