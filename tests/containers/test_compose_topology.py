"""The compose topology, one process per container, runs a briefing end to end.

Everything compose would run is run the same way here (see mirror.py), with two workers as
`--scale worker=2` would start; only the Postgres-backed Temporal cluster is replaced by the
dev server, as docker-compose.local.yml replaces it (test_compose_local.py checks that override).
"""

import signal
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from core.settings import PROJECT_ROOT
from testing.polling import wait_for
from tests.containers.compose_file import (
    COMPOSE_DEFAULT_GRACE_SECONDS,
    duration_seconds,
    services,
)
from tests.containers.mirror import ComposeMirror

# docker-compose.yml's parts as processes (mirror.py).
pytestmark = pytest.mark.stack

WORKER_REPLICAS = 2
HEALTHCHECK = PROJECT_ROOT / "docker" / "healthcheck.py"


@pytest.fixture(scope="module")
def topology(temporal_address, tmp_path_factory) -> Iterator[ComposeMirror]:
    mirror = ComposeMirror(temporal_address, tmp_path_factory.mktemp("compose"))
    try:
        for service in ("newsroom", "llm", "plain", *["worker"] * WORKER_REPLICAS, "web"):
            mirror.start(service)
        mirror.wait_until_listening()
        yield mirror
    except BaseException:
        print(mirror.log())
        raise
    finally:
        mirror.kill_all()


def body_when(api: httpx.Client, url: str, done, timeout: float = 45.0) -> dict:
    return wait_for(
        lambda: api.get(url).json(), timeout, f"{url} as awaited", until=done, interval=0.2
    )


def test_a_briefing_runs_through_the_compose_topology(topology):
    with httpx.Client(base_url=topology.url("web"), timeout=10) as api:
        health = body_when(api, "/healthz", lambda body: len(body["pollers"]) >= WORKER_REPLICAS)
        assert health["temporal"]["status"] == "ok"
        created = api.post("/api/briefings", json={"topic": "science", "max_stories": 3})
        assert created.status_code == 202, created.text
        body = body_when(api, created.json()["url"], lambda b: b["status"] != "running")
    assert body["status"] == "completed", body
    assert body["result"]["offline_extractive"]
    assert body["temporal_ui_url"].startswith("http://localhost:8233/")
    assert not body["failed_sources"]
    # Three summaries and the lead, all from the offline LLM the worker was pointed at.
    assert len(httpx.get(f"{topology.url('llm')}/_admin/requests").json()) >= 4


def test_the_plain_agent_answers_where_web_and_worker_are_told_it_is(topology):
    clients = [part for part in topology.parts if part.service in ("web", "worker")]
    assert {part.environment["BRIEFING_PLAIN_URL"] for part in clients} == {topology.url("plain")}
    health = httpx.get(f"{topology.url('plain')}/healthz", timeout=5).json()
    plain = next(part for part in topology.parts if part.service == "plain")
    assert health["status"] == "ok" and health["pid"] == plain.process.pid


def test_the_image_health_check_passes_for_every_part(topology):
    for part in topology.parts:
        result = subprocess.run(
            [sys.executable, str(HEALTHCHECK), "--pid", str(part.process.pid)],
            capture_output=True,
            text=True,
            timeout=15,
        )
        assert result.returncode == 0, f"{part.service}: {result.stdout}{result.stderr}"
        expected = "connected to Temporal" if part.service == "worker" else "answered 200"
        assert expected in result.stdout


def test_the_health_check_fails_for_a_process_that_is_not_a_part(topology):
    result = subprocess.run(
        [sys.executable, str(HEALTHCHECK), "--pid", str(topology.parts[0].process.pid + 10**6)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "unhealthy" in result.stdout


def test_every_part_stops_on_sigterm_within_its_stop_grace_period(topology):
    # Web first, as compose stops dependents before what they depend on.
    for part in sorted(topology.parts, key=lambda part: part.service != "web"):
        grace = services()[part.service].get("stop_grace_period")
        seconds = duration_seconds(grace) if grace else COMPOSE_DEFAULT_GRACE_SECONDS
        topology.stop(part, grace_seconds=seconds)
        # uvicorn re-raises SIGTERM once its graceful shutdown is done; the worker exits 0.
        clean = {0} if part.service == "worker" else {0, -signal.SIGTERM}
        assert part.process.returncode in clean, f"{part.service}: {part.process.returncode}"
