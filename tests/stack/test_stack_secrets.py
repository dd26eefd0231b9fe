"""A real `briefing up` with a keyed LLM: each secret is in the environment of its parts alone.

The LLM is our offline one demanding a key, as a provider does: the stack treats it as real.
"""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.settings import Settings
from demo.offline_llm.server import create_app as create_offline_llm
from testing.polling import wait_for
from testing.servers import serve_in_thread
from testing.stack_process import StackProcess, wait_for_briefing

LLM_KEY = "sk-llm-key-secret"
CSRF_KEY = "csrf-signing-key-secret"
REAL_MODEL = "gpt-4o-mini"  # the default with a key
BRIEFING_TIMEOUT_SECONDS = 120.0
# With a real LLM there is no offline LLM part.
PARTS = ("server", "newsroom", "worker", "plain", "web")
# The worker and the plain agent call the LLM; nothing else does.
LLM_CALLERS = ("worker", "plain")


@pytest.fixture
def keyed_llm_url() -> Iterator[str]:
    # Only the real model's name: a web that took the LLM for the offline one would ask for
    # `offline-extractive` and get 404.
    llm = create_offline_llm(api_key=LLM_KEY, models=frozenset({REAL_MODEL}))
    with serve_in_thread(llm) as url:
        yield url


@pytest.fixture
def stack(tmp_path: Path, keyed_llm_url: str) -> Iterator[StackProcess]:
    stack = StackProcess(
        tmp_path,
        extra_env={
            "OPENAI_API_KEY": LLM_KEY,
            "OPENAI_BASE_URL": f"{keyed_llm_url}/v1",
            "BRIEFING_SECRET_KEY": CSRF_KEY,
        },
    )
    yield stack
    if stack.process.poll() is None:
        stack.stop()


def part_pids(stack: StackProcess) -> dict[str, int]:
    stack.wait_for_line(r"^briefing is up")
    pids: dict[str, int] = {}
    while len(pids) < len(PARTS):
        match = stack.wait_for_line(rf"^  ({'|'.join(PARTS)})\s+(\d+)\s")
        pids[match.group(1)] = int(match.group(2))
    return pids


def environ(pid: int) -> bytes:
    return Path(f"/proc/{pid}/environ").read_bytes()


def children_of(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task").iterdir()
    return [int(child) for task in tasks for child in (task / "children").read_text().split()]


def test_the_llm_key_is_the_workers_and_the_csrf_key_the_webs_and_parsers_get_nothing(
    stack, keyed_llm_url
):
    pids = part_pids(stack)
    for part, pid in pids.items():
        assert (LLM_KEY.encode() in environ(pid)) == (part in LLM_CALLERS), part
        assert (CSRF_KEY.encode() in environ(pid)) == (part == "web"), part

    # The web, without the key, still runs briefings on the real LLM; the worker, with it, is
    # let in by an LLM that refuses anyone else.
    with httpx.Client(base_url=stack.url("web"), timeout=15) as api:
        created = api.post("/api/briefings", json={"topic": "science"}).json()
        done = wait_for_briefing(
            api, created["url"], lambda b: b["status"] != "running", BRIEFING_TIMEOUT_SECONDS
        )
    assert done["status"] == "completed", done
    answered = httpx.get(f"{keyed_llm_url}/_admin/requests").json()
    assert answered and {entry["status"] for entry in answered} == {200}

    parsers = wait_for_children(pids["worker"])
    assert parsers and all(environ(pid) == b"" for pid in parsers)


def wait_for_children(pid: int, timeout: float = 10) -> list[int]:
    """The feed parser children the worker keeps idle after a briefing."""
    return wait_for(lambda: children_of(pid), timeout, f"children of the worker (pid {pid})")


def test_the_plain_agent_holds_the_llm_key_alone_and_is_let_in_with_it(stack, keyed_llm_url):
    pids = part_pids(stack)
    plain = environ(pids["plain"])
    assert LLM_KEY.encode() in plain
    control_token = stack.control_access(pids["web"])[1]
    for absent in (CSRF_KEY, control_token, "TEMPORAL_API_KEY=", "BRIEFING_CONTROL_URL="):
        assert absent.encode() not in plain, absent

    # Its own run, on the LLM that refuses anyone without the key.
    sources = Settings(_env_file=None, newsroom_port=stack.ports["newsroom"]).default_sources
    start = {"run_id": "keyed", "topic": "science", "sources": sources, "max_stories": 2}
    with httpx.Client(base_url=stack.url("plain"), timeout=15) as plain_agent:
        assert plain_agent.post("/runs", json=start | {"model": REAL_MODEL}).status_code == 202
        done = wait_for(
            lambda: plain_agent.get("/runs/keyed").json(),
            BRIEFING_TIMEOUT_SECONDS,
            "the plain run finished",
            until=lambda run: run["state"] != "running",
        )
    assert done["state"] == "completed", done
    answered = httpx.get(f"{keyed_llm_url}/_admin/requests", params={"run": "plain:keyed"}).json()
    assert answered and {(entry["run"], entry["status"]) for entry in answered} == {
        ("plain:keyed", 200)
    }
