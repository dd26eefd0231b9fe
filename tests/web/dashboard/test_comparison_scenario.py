"""The comparison demo on the real stack: both servers killed mid-summaries, both ledgers told.

The dashboard is built here as the web's lifespan builds it, from the web's own environment,
with the web process's Comparisons: the scenario talks to the same Temporal, control API, LLM
and plain agent the stack's web would.
"""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.settings import Settings
from core.temporal_client import connect
from testing.polling import wait_for_async
from testing.stack_process import StackProcess
from web.comparisons.service import Comparisons
from web.dashboard.dashboard import Dashboard
from workflows.activity_options import SUMMARY_CONCURRENCY

pytestmark = pytest.mark.stack

SCENARIO_TIMEOUT_SECONDS = 240.0


@pytest.fixture
def web_settings(stack: StackProcess, monkeypatch) -> Settings:
    """What the stack's web process reads, from the environment `up` gave it."""
    web_pid = stack.wait_until_up()["web"]
    entries = Path(f"/proc/{web_pid}/environ").read_bytes().decode().split("\0")
    for name, _, value in (entry.partition("=") for entry in entries if "=" in entry):
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)


@pytest.fixture
async def comparisons(web_settings: Settings) -> AsyncIterator[Comparisons]:
    comparisons = Comparisons(await connect(web_settings), web_settings)
    yield comparisons
    await comparisons.close()


@pytest.fixture
async def dashboard(web_settings: Settings, comparisons: Comparisons) -> AsyncIterator[Dashboard]:
    client = await connect(web_settings)
    dashboard = Dashboard.build(client, web_settings, comparisons=comparisons)
    yield dashboard
    await dashboard.close()


async def test_the_comparison_scenario_kills_both_servers_and_ends_on_the_two_ledgers(
    dashboard, comparisons
):
    assert dashboard.control is not None and dashboard.comparison_scenario is not None
    comparison_id = await dashboard.comparison_scenario.start()
    assert dashboard.demo_running

    async def scenario_lines() -> list[str]:
        assert dashboard.control is not None
        actions = await dashboard.control.actions()
        return [a.text for a in actions if a.source == "dashboard" and a.text.startswith("scen")]

    lines = await wait_for_async(
        scenario_lines,
        SCENARIO_TIMEOUT_SECONDS,
        "the scenario's last line",
        until=lambda lines: any("comparison over" in line or "stopped" in line for line in lines),
        interval=1.0,
    )
    assert not any("stopped" in line for line in lines), lines
    assert any("killed the servers (worker and plain)" in line for line in lines), lines
    parts = {part.name: part for part in await dashboard.control.parts()}
    assert parts["worker"].restarts == parts["plain"].restarts == 1
    assert parts["worker"].last_exit == parts["plain"].last_exit == "killed by SIGKILL"

    view = await comparisons.view(comparison_id)
    assert view.finished and view.durable.status == "completed"
    durable, plain = view.durable.ledger, view.plain.ledger
    # Only the summaries in flight at the kill were asked again; what was done stayed done.
    assert durable.repeated_calls is not None and durable.repeated_calls <= SUMMARY_CONCURRENCY
    # The plain side threw away everything it was paid for; the durable side only the answers
    # in flight at the kill (killed early, those can cost as much as the plain side's few).
    assert view.plain.state == "lost" and plain.lost_tokens == plain.tokens > 0
    assert durable.lost_tokens < durable.tokens
    [ending] = [line for line in lines if "comparison over" in line]
    assert (
        f"durable: completed, {durable.llm_calls} calls, {durable.repeated_calls} repeated, "
        f"{durable.tokens:,} tokens"
    ) in ending
    assert f"{view.plain.ledger.lost_tokens:,} tokens thrown away" in ending
    assert "plain: lost" in ending and "the LLM's own log" in ending
