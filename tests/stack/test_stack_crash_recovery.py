"""The whole local stack under `briefing up`: parts killed mid-briefing, nothing lost or redone."""

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections import Counter

import httpx

from testing.sse_client import read_frames, read_until_close
from testing.stack_process import is_alive, summaries_in, wait_for_briefing

BRIEFING_TIMEOUT_SECONDS = 120.0


def start_and_wait_for_summaries(api: httpx.Client) -> tuple[str, dict]:
    created = api.post("/api/briefings", json={"topic": "science", "max_stories": 8}).json()
    body = wait_for_briefing(
        api,
        created["url"],
        lambda body: summaries_in(body, "done") and summaries_in(body, "running"),
        timeout=BRIEFING_TIMEOUT_SECONDS,
    )
    return created["url"], body


def wait_until_finished(api: httpx.Client, url: str) -> dict:
    return wait_for_briefing(
        api, url, lambda body: body["status"] != "running", BRIEFING_TIMEOUT_SECONDS
    )


def test_killing_the_worker_mid_summaries_redoes_no_completed_summary(stack):
    pids = stack.wait_until_up()
    api = httpx.Client(base_url=stack.url("web"), timeout=10)
    url, before_kill = start_and_wait_for_summaries(api)
    os.kill(pids["worker"], signal.SIGKILL)
    stack.wait_for_line(r"\[up\] worker \(pid \d+\) was killed by SIGKILL")
    restarted = int(stack.wait_for_line(r"\[up\] worker restarted, pid (\d+)").group(1))

    finished = wait_until_finished(api, url)
    assert finished["status"] == "completed", finished.get("error")
    assert finished["result"]["sections"]

    log = httpx.get(f"{stack.url('llm')}/_admin/requests").json()
    summary_requests = Counter(entry["title"] for entry in log if entry["articles"] == 1)
    completed_before_kill = [step["label"] for step in summaries_in(before_kill, "done")]
    assert completed_before_kill
    for title in completed_before_kill:
        assert summary_requests[title] == 1, f"{title!r} was summarised again"
    in_flight = [step["label"] for step in summaries_in(before_kill, "running")]
    assert any(summary_requests[title] >= 2 for title in in_flight)
    assert max(step["attempt"] for step in finished["steps"]) >= 2

    assert stack.stop() == 0
    for pid in [*pids.values(), restarted]:
        assert not is_alive(pid), f"pid {pid} outlived `briefing up`"


def test_killing_the_temporal_server_mid_briefing_loses_nothing(stack):
    pids = stack.wait_until_up()
    api = httpx.Client(base_url=stack.url("web"), timeout=10)
    url, _ = start_and_wait_for_summaries(api)
    os.kill(pids["server"], signal.SIGKILL)
    stack.wait_for_line(r"\[up\] server restarted")
    finished = wait_until_finished(api, url)
    assert finished["status"] == "completed", finished.get("error")
    listed = api.get("/api/briefings").json()["briefings"]
    assert url.rsplit("/", 1)[1] in [item["id"] for item in listed]


def test_sigterm_lets_the_worker_finish_the_summaries_in_flight(stack):
    pids = stack.wait_until_up()
    api = httpx.Client(base_url=stack.url("web"), timeout=10)
    url, _ = start_and_wait_for_summaries(api)
    os.kill(pids["worker"], signal.SIGTERM)
    stack.wait_for_line(r"\[up\] worker \(pid \d+\) exited with status 0")
    finished = wait_until_finished(api, url)
    assert finished["status"] == "completed", finished.get("error")
    assert {step["attempt"] for step in finished["steps"]} == {1}


def test_briefing_new_wait_prints_the_finished_briefing(stack, tmp_path):
    stack.wait_until_up()
    env = dict(os.environ, **stack.environment)
    run = subprocess.run(
        [sys.executable, "-m", "stack.cli", "new", "science", "--wait", "--max-stories", "3"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=BRIEFING_TIMEOUT_SECONDS,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "✓ compose" in run.stdout
    assert "# Briefing: science" in run.stdout
    assert "offline extractive" in run.stdout


async def test_a_page_stream_resumes_after_the_web_server_is_killed_mid_briefing(stack):
    pids = stack.wait_until_up()
    async with httpx.AsyncClient(base_url=stack.url("web"), timeout=30) as web:
        created = (await web.post("/api/briefings", json={"topic": "science"})).json()
        events_url = f"/api/briefings/{created['id']}/events"
        before = [frame async for frame in read_frames(web, events_url, limit=12)]
        os.kill(pids["web"], signal.SIGKILL)
        stack.wait_for_line(r"\[up\] web restarted")
        last_seen = [frame.id for frame in before if frame.id is not None][-1]
        after = await read_until_close_retrying(web, events_url, last_event_id=last_seen)
        full = await read_until_close_retrying(web, events_url)
    ids = [int(f.id) for f in before + after if f.id is not None]
    assert ids == [int(f.id) for f in full if f.id is not None]
    final = json.loads([f for f in after if f.event == "progress"][-1].data)
    assert final["status"] == "completed"


async def read_until_close_retrying(web: httpx.AsyncClient, url: str, **options) -> list:
    """Like a browser's EventSource: retry while the restarted server is not listening yet."""
    for _ in range(100):
        try:
            return await read_until_close(web, url, **options)
        except httpx.TransportError:
            await asyncio.sleep(0.1)
    raise AssertionError("the web server never came back")
