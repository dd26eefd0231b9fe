"""`briefing up`'s control API, as the dashboard's chaos panel uses it: list, kill, start parts."""

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from core.health import POLLER_FRESHNESS
from core.settings import Settings
from stack.control_client import (
    PartStatus,
    StackControl,
    StackControlRefused,
    StackControlUnavailable,
)
from testing.polling import wait_for, wait_for_async
from testing.stack_process import StackProcess, is_alive
from testing.temporal_dev import free_port

RESTART_DELAY_SECONDS = 1.0
STACK_ORDER = ["server", "newsroom", "llm", "worker", "plain", "web"]


@pytest.fixture
def stack(tmp_path) -> Iterator[StackProcess]:
    with StackProcess(tmp_path, restart_delay=RESTART_DELAY_SECONDS) as stack:
        yield stack


@pytest.fixture
def pids(stack: StackProcess) -> dict[str, int]:
    return stack.wait_until_up()


@pytest.fixture
async def control(stack: StackProcess, pids: dict[str, int]) -> AsyncIterator[StackControl]:
    """Built exactly as the web builds it, from what `up` put in the web's environment."""
    url, token = stack.control_access(pids["web"])
    control = StackControl.from_settings(Settings(control_url=url, control_token=SecretStr(token)))
    assert control is not None, "the web's environment names the control API"
    async with control:
        yield control


async def wait_for_part(
    control: StackControl, name: str, condition: Callable[[PartStatus], bool], timeout: float = 10
) -> PartStatus:
    async def part() -> PartStatus:
        return next(part for part in await control.parts() if part.name == name)

    return await wait_for_async(part, timeout, f"{name} as awaited", until=condition)


async def test_parts_are_listed_in_stack_order_with_their_pids(control, pids):
    parts = await control.parts()
    assert [part.name for part in parts] == STACK_ORDER
    assert {part.name: part.pid for part in parts} == pids
    assert {part.state for part in parts} == {"running"}
    assert not any(part.held or part.restarts or part.last_exit for part in parts)


async def test_a_killed_part_stays_down_until_it_is_started(stack, control, pids):
    assert (await control.kill("worker")).held
    worker = await wait_for_part(control, "worker", lambda part: part.state == "stopped")
    assert worker.pid is None and worker.last_exit == "killed by SIGKILL"
    assert not is_alive(pids["worker"])
    await asyncio.sleep(RESTART_DELAY_SECONDS * 2.5)
    assert (await wait_for_part(control, "worker", lambda part: True)).state == "stopped"
    with pytest.raises(StackControlRefused) as refused:
        await control.kill("worker")
    assert refused.value.status_code == 409 and "already stopped" in refused.value.message
    assert any("SIGKILL sent to worker" in action.text for action in await control.actions())

    started = await control.start("worker")
    assert started.state == "running" and not started.held and started.restarts == 1
    assert started.pid not in (None, pids["worker"]) and is_alive(started.pid)
    assert stack.stop() == 0
    for pid in [*pids.values(), started.pid]:
        assert not is_alive(pid), f"pid {pid} outlived `briefing up`"


def wait_for_health(stack: StackProcess, condition: Callable[[dict], bool], timeout: float) -> dict:
    return wait_for(
        lambda: httpx.get(f"{stack.url('web')}/healthz", timeout=5).json(),
        timeout,
        "health as awaited",
        until=condition,
        interval=0.2,
    )


def heartbeating(health: dict) -> bool:
    return health["worker"]["status"] == "ok" and any(w["up"] for w in health["workers"])


async def test_health_sees_a_killed_worker_by_its_missing_heartbeats(stack, control, pids):
    wait_for_health(stack, heartbeating, timeout=30)
    await control.kill("worker")
    # Well inside the 75 s a dead worker's pollers are still reported: heartbeats decide.
    offline = wait_for_health(
        stack,
        lambda health: health["worker"]["status"] == "offline",
        timeout=POLLER_FRESHNESS.total_seconds() / 3,
    )
    assert offline["status"] == "degraded"
    assert not any(worker["up"] for worker in offline["workers"])
    await control.start("worker")
    assert "heartbeating" in wait_for_health(stack, heartbeating, timeout=30)["worker"]["detail"]


async def test_the_web_killed_with_restart_after_comes_back_by_itself(stack, control, pids):
    await control.kill("web", restart_after=1)
    web = await wait_for_part(control, "web", lambda part: part.restarts == 1)
    assert web.pid != pids["web"] and not web.held and web.last_exit == "killed by SIGKILL"
    # Back at all, not within a time: two stacks may share the cores (make test).
    wait_for(
        lambda: httpx.get(f"{stack.url('web')}/healthz", timeout=1),
        30,
        "the web server back",
        ignoring=(httpx.TransportError,),
    )


async def test_the_servers_killed_together_both_come_back_after_the_delay(stack, control, pids):
    servers = ["worker", "plain"]
    killed = await control.kill_together(servers, restart_after=1)
    assert [part.name for part in killed] == servers and not any(part.held for part in killed)
    for name in servers:
        back = await wait_for_part(control, name, lambda part: part.restarts == 1)
        assert back.last_exit == "killed by SIGKILL" and back.pid != pids[name]
        assert not is_alive(pids[name])
    wait_for(
        lambda: httpx.get(f"{stack.url('plain')}/healthz", timeout=1).json(),
        20,
        "the plain agent answering again",
        ignoring=(httpx.TransportError,),
    )
    texts = [action.text for action in await control.actions()]
    assert any("SIGKILL sent to worker" in text and "and plain" in text for text in texts)
    assert {"worker", "plain"} <= {text.split()[0] for text in texts if " restarted, pid " in text}


async def test_servers_are_killed_together_or_not_at_all(control, pids):
    await control.kill("plain")
    await wait_for_part(control, "plain", lambda part: part.state == "stopped")
    with pytest.raises(StackControlRefused) as refused:
        await control.kill_together(["worker", "plain"], restart_after=1)
    assert refused.value.status_code == 409 and "plain" in refused.value.message
    await asyncio.sleep(1)  # a kill is sent 0.3 s after its answer
    assert is_alive(pids["worker"])


async def test_the_action_log_keeps_what_the_dashboard_reports(control):
    await control.log_action("dashboard", "LLM: rate limit for the next 2 calls")
    await control.kill("web", signal="TERM", restart_after=0)
    await wait_for_part(control, "web", lambda part: part.restarts == 1)
    actions = await control.actions()
    assert (actions[0].source, actions[0].text) == (
        "dashboard",
        "LLM: rate limit for the next 2 calls",
    )
    assert [action.source for action in actions[1:]] == ["up"] * (len(actions) - 1)
    assert "web restarted" in actions[-1].text
    assert [action.at for action in actions] == sorted(action.at for action in actions)


def test_only_the_web_is_given_the_control_token(stack, pids):
    token = stack.control_access(pids["web"])[1]
    for part, pid in pids.items():
        environ = Path(f"/proc/{pid}/environ").read_bytes()
        assert (token.encode() in environ) == (part == "web"), part
        assert (b"BRIEFING_CONTROL_TOKEN=" in environ) == (part == "web"), part


async def test_requests_without_the_run_token_are_refused(stack, control):
    async with StackControl(stack.url("control"), "not-the-token") as intruder:
        with pytest.raises(StackControlRefused) as refused:
            await intruder.kill("worker")
    assert refused.value.status_code == 401
    assert httpx.get(f"{stack.url('control')}/parts").status_code == 401
    assert {part.state for part in await control.parts()} == {"running"}


async def test_temporal_and_the_fakes_cannot_be_killed_through_the_control_api(control, pids):
    for part in ("server", "newsroom", "llm"):
        with pytest.raises(StackControlRefused) as refused:
            await control.kill(part)
        assert refused.value.status_code == 403 and "not offered" in refused.value.message
    await asyncio.sleep(1)  # a kill is sent 0.3 s after its answer
    assert all(is_alive(pids[part]) for part in ("server", "newsroom", "llm"))


async def test_an_unknown_part_is_refused_with_404(control):
    with pytest.raises(StackControlRefused) as refused:
        await control.start("scheduler")
    assert refused.value.status_code == 404 and "scheduler" in refused.value.message


async def test_without_briefing_up_there_is_no_control_and_a_dead_one_is_unavailable():
    assert StackControl.from_settings(Settings(control_url=None, control_token=None)) is None
    async with StackControl(f"http://127.0.0.1:{free_port()}", "token") as gone:
        with pytest.raises(StackControlUnavailable):
            await gone.parts()
