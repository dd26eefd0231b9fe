"""The chaos panel's process controls on the real stack: kill the worker, start it, lose nothing."""

import asyncio
import re
from collections import Counter

import httpx
import pytest

from stack.control_models import KILL_THE_SERVERS, PANEL_PART_ACTIONS
from testing.polling import wait_for_async
from testing.stack_process import is_alive, summaries_in
from tests.web.page_client import hidden_fields

# `briefing up` as a process, killed and restarted from the dashboard.
pytestmark = pytest.mark.stack

TIMEOUT_SECONDS = 120.0


async def until(read, condition, timeout: float = TIMEOUT_SECONDS):
    return await wait_for_async(read, timeout, "the awaited state", until=condition, interval=0.2)


def mid_summaries(briefing: dict) -> bool:
    return bool(summaries_in(briefing, "done") and summaries_in(briefing, "running"))


def card_of(snapshot: dict, briefing_id: str, status: str) -> dict | None:
    cards = [c for c in snapshot["briefings"] if c["item"]["id"] == briefing_id]
    return cards[0] if cards and cards[0]["item"]["status"] == status else None


def worker_up(snapshot: dict) -> bool:
    return any(worker["up"] for worker in snapshot["system"]["workers"])


async def test_kill_and_start_the_worker_from_the_dashboard_redoes_no_completed_work(stack):
    stack.wait_until_up()
    async with httpx.AsyncClient(base_url=stack.url("web"), timeout=15) as web:
        token = hidden_fields((await web.get("/")).text)["csrf_token"]
        headers = {"X-CSRF-Token": token, "HX-Request": "true"}

        async def briefing():
            return (await web.get(url)).json()

        async def dashboard():
            return (await web.get("/api/dashboard")).json()

        created = (await web.post("/api/briefings", json={"topic": "science"})).json()
        url = created["url"]
        before = await until(
            briefing, lambda b: summaries_in(b, "done") and summaries_in(b, "running")
        )
        killed = await web.post("/dashboard/chaos/parts/worker/kill", headers=headers)
        assert killed.status_code == 200, killed.text
        await until(dashboard, lambda snapshot: not worker_up(snapshot), timeout=20)

        started = await web.post("/dashboard/chaos/parts/worker/start", headers=headers)
        assert started.status_code == 200, started.text
        await until(dashboard, worker_up, timeout=20)
        final = await until(briefing, lambda b: b["status"] != "running")
        assert final["status"] == "completed"
        snapshot = await until(
            dashboard,
            lambda s: any(
                c["item"]["id"] == created["id"] and c["item"]["status"] == "completed"
                for c in s["briefings"]
            ),
        )
        actions = [action["text"] for action in snapshot["actions"]]

    card = card_of(snapshot, created["id"], "completed")
    ledger = card["timeline"]["ledger"]
    assert len(ledger["crashes"]) == 1
    assert ledger["preserved_activities"] > 0 and ledger["preserved_tokens"] > 0
    assert any("killed worker" in text for text in actions)
    log = httpx.get(f"{stack.url('llm')}/_admin/requests").json()
    summaries = Counter(entry["title"] for entry in log if entry["articles"] == 1)
    for step in summaries_in(before, "done"):
        assert summaries[step["label"]] == 1, f"{step['label']!r} was summarised again"


async def test_kill_web_from_the_dashboard_brings_it_back_after_the_chosen_delay(stack):
    pids = stack.wait_until_up()
    async with httpx.AsyncClient(base_url=stack.url("web"), timeout=15) as web:
        token = hidden_fields((await web.get("/")).text)["csrf_token"]
        response = await web.post(
            "/dashboard/chaos/parts/web/kill",
            data={"restart_after": "1"},
            headers={"X-CSRF-Token": token, "HX-Request": "true"},
        )
        assert response.status_code == 200, response.text
        assert "back in 1 s" in response.text
        stack.wait_for_line(r"\[up\] web .*killed by SIGKILL", timeout=20)
        back_pid = int(stack.wait_for_line(r"\[up\] web restarted, pid (\d+)", timeout=20).group(1))

        async def dashboard():
            try:
                return (await web.get("/api/dashboard")).json()
            except httpx.TransportError:
                return None

        snapshot = await until(dashboard, lambda s: s is not None, timeout=20)
    assert back_pid != pids["web"]
    web_part = next(part for part in snapshot["parts"] if part["name"] == "web")
    assert web_part["pid"] == back_pid and web_part["restarts"] == 1
    assert any("killed web" in action["text"] for action in snapshot["actions"])


async def test_the_panel_shows_exactly_the_offered_part_actions_and_refuses_the_rest(stack):
    pids = stack.wait_until_up()
    async with httpx.AsyncClient(base_url=stack.url("web"), timeout=15) as web:
        page = (await web.get("/dashboard")).text
        shown = set(re.findall(r'<form action="/dashboard/chaos/parts/(\w+)/(\w+)"', page))
        assert shown == {(offer.part, offer.action) for offer in PANEL_PART_ACTIONS}
        assert {("plain", "kill"), ("plain", "start")} <= shown
        assert 'data-chaos="kill-servers"' in page and KILL_THE_SERVERS.label in page
        token = hidden_fields((await web.get("/")).text)["csrf_token"]
        headers = {"X-CSRF-Token": token, "HX-Request": "true"}
        for part in ("server", "newsroom", "llm"):
            refused = await web.post(f"/dashboard/chaos/parts/{part}/kill", headers=headers)
            assert refused.status_code == 404, refused.text
    await asyncio.sleep(1)  # a kill is sent 0.3 s after its answer
    assert all(is_alive(pids[part]) for part in ("server", "newsroom", "llm"))


def part_named(snapshot: dict, name: str) -> dict:
    return next(part for part in snapshot["parts"] if part["name"] == name)


def component_named(snapshot: dict, name: str) -> dict:
    return next(c for c in snapshot["system"]["components"] if c["name"] == name)


async def test_kill_the_servers_kills_worker_and_plain_agent_at_once_and_both_come_back(stack):
    pids = stack.wait_until_up()
    async with httpx.AsyncClient(base_url=stack.url("web"), timeout=15) as web:

        async def dashboard():
            return (await web.get("/api/dashboard")).json()

        before = await until(dashboard, lambda s: component_named(s, "plain agent")["up"], 30)
        assert part_named(before, "plain")["pid"] == pids["plain"]
        token = hidden_fields((await web.get("/")).text)["csrf_token"]
        response = await web.post(
            "/dashboard/chaos/servers/kill",
            data={"restart_after": "2"},
            headers={"X-CSRF-Token": token, "HX-Request": "true"},
        )
        assert response.status_code == 200, response.text
        assert "at the same instant" in response.text and "back in 2 s" in response.text
        stack.wait_for_line(r"\[up\] SIGKILL sent to worker .* and plain .* at once", timeout=10)
        down = await until(
            dashboard, lambda s: not component_named(s, "plain agent")["up"], timeout=10
        )
        assert {part_named(down, name)["state"] for name in ("worker", "plain")} <= {
            "restarting",
            "running",
        }
        back = await until(
            dashboard,
            lambda s: (
                all(part_named(s, name)["restarts"] == 1 for name in ("worker", "plain"))
                and component_named(s, "plain agent")["up"]
                and worker_up(s)
            ),
            timeout=60,
        )
    for name in ("worker", "plain"):
        part = part_named(back, name)
        assert part["pid"] != pids[name] and part["last_exit"] == "killed by SIGKILL", part
        assert not is_alive(pids[name])
    assert any("killed the servers (worker and plain)" in a["text"] for a in back["actions"])
