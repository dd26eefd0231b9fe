"""The presenter's comparison demo: both engines on one request, both servers killed at once.

It starts a comparison, rate-limits the LLM, presses "Kill the servers" mid-summaries, and reads
the two ledgers once the comparison is over.
"""

from collections.abc import Callable

import httpx
from temporalio.service import RPCError

from core.temporal_errors import TemporalUnavailable
from stack.control_client import StackControl
from stack.control_models import KILL_THE_SERVERS
from web.comparisons.schemas import (
    ComparisonCreate,
    ComparisonView,
    LedgerSource,
    PlainSide,
    PlainSideState,
    SideLedger,
)
from web.comparisons.service import Comparisons
from web.dashboard.fault_controls import FaultControls
from web.dashboard.scenario_run import TOPIC, Say, ScenarioRun, poll_until
from workflows.models import StepKind, summaries_done

# Far enough in that both sides have paid for work, early enough that both have work left.
DURABLE_SUMMARIES_BEFORE_CRASH = 3
MAX_STORIES = 8
# Seen while a server is down and the comparison cannot be read: the next poll tries again.
PASSING_ERRORS = (RPCError, TemporalUnavailable, httpx.HTTPError)


class ComparisonScenario(ScenarioRun):
    def __init__(
        self, comparisons: Comparisons, control: StackControl, faults: FaultControls, say: Say
    ) -> None:
        super().__init__("comparison scenario", faults, say)
        self._comparisons, self._control = comparisons, control

    async def start(self) -> str:
        self._refuse_if_running()
        create = ComparisonCreate(topic=TOPIC, max_stories=MAX_STORIES)
        started = (await self._comparisons.start(create)).comparison
        await self._say(
            f"scenario: started a comparison on “{TOPIC}” ({started.id}): durable briefing "
            f"{started.durable_id} beside plain run {started.plain_id}"
        )
        self._play_in_background(self._play(started.id))
        return started.id

    async def _play(self, comparison_id: str) -> None:
        await self._rate_limit_llm(", whichever side asks")
        await self._wait(
            comparison_id,
            lambda view: summaries_done(view.durable.steps) >= DURABLE_SUMMARIES_BEFORE_CRASH,
        )
        delay = KILL_THE_SERVERS.restart_after_seconds
        await self._control.kill_together(list(KILL_THE_SERVERS.parts), restart_after=delay)
        await self._say(
            f"scenario: killed the servers ({' and '.join(KILL_THE_SERVERS.parts)}) at the "
            f"same instant (SIGKILL) mid-summaries; both back in {delay} s"
        )
        view = await self._wait(comparison_id, lambda view: view.finished)
        await self._say(f"scenario: comparison over: {describe_ledgers(view)}")

    async def _wait(
        self, comparison_id: str, condition: Callable[[ComparisonView], bool]
    ) -> ComparisonView:
        async def read() -> ComparisonView | None:
            try:
                return await self._comparisons.view(comparison_id)
            except PASSING_ERRORS:
                return None

        return await poll_until(read, condition)


def describe_ledgers(view: ComparisonView) -> str:
    """The two ledgers side by side, in one line of the action log."""
    own_log = view.ledger_source == LedgerSource.LLM_LOG
    source = "the LLM's own log" if own_log else "each engine's own count"
    status = view.durable.status.value if view.durable.status else "unknown"
    durable = f"durable: {status}, {describe_ledger(view.durable.ledger)}"
    return f"{durable}; plain: {describe_plain(view.plain)} (from {source})"


def describe_ledger(ledger: SideLedger) -> str:
    repeated = (
        "? repeated" if ledger.repeated_calls is None else f"{ledger.repeated_calls} repeated"
    )
    wall = "unfinished" if ledger.wall_seconds is None else f"{ledger.wall_seconds:.0f} s"
    return f"{ledger.llm_calls} calls, {repeated}, {ledger.tokens:,} tokens, {wall}"


def describe_plain(plain: PlainSide) -> str:
    if plain.state == PlainSideState.COMPLETED:
        return f"completed, {describe_ledger(plain.ledger)}"
    summaries = [step for step in plain.steps or [] if step.kind == StepKind.SUMMARIZE]
    done = f"{summaries_done(plain.steps)} of {len(summaries)}" if summaries else "its"
    ledger = plain.ledger
    return (
        f"{plain.state.value}, {done} summaries and {ledger.lost_tokens:,} tokens thrown away "
        f"({ledger.llm_calls} calls, {ledger.tokens:,} tokens paid)"
    )
