"""The two columns of a comparison, each with its ledger, from whatever can still be read."""

from activities.llm.client import Engine, run_header
from activities.llm_log import LlmCall, LlmCalls
from activities.plain_runs.models import PlainRunSnapshot, PlainRunState
from core.domain import RunStatus
from web.briefings.schemas import BriefingView
from web.comparisons.ledger import (
    durable_counted_ledger,
    logged_ledger,
    plain_counted_ledger,
    seconds_between,
)
from web.comparisons.plain_reader import PlainRead, PlainRunMemory
from web.comparisons.schemas import (
    DurableSide,
    PlainRunLine,
    PlainSide,
    PlainSideState,
    SideLedger,
)
from web.live.writing import Writing
from workflows.comparison_models import AfterCrash, ComparisonState, PlainRun

GONE = (PlainSideState.DIED, PlainSideState.LOST)


def durable_side(
    state: ComparisonState,
    durable: BriefingView | None,
    writing: dict[str, Writing],
    calls: LlmCalls,
) -> DurableSide:
    finished = durable.finished_at if durable and durable.status == RunStatus.COMPLETED else None
    wall = seconds_between(state.started_at, finished)
    if calls.available:
        label = run_header(Engine.DURABLE, state.durable_id)
        mine = [call for call in calls.calls if call.run == label]
        ledger = logged_ledger(mine, lost_runs=set(), wall_seconds=wall)
    else:
        steps = durable.steps if durable else None
        tokens = durable.usage.total if durable else 0
        ledger = durable_counted_ledger(steps, tokens, wall)
    return DurableSide(
        id=state.durable_id,
        url=f"/briefings/{state.durable_id}",
        status=durable.status if durable else None,
        steps=durable.steps if durable else None,
        progress_note=durable.progress_note if durable else "starting",
        writing=writing,
        briefing=durable.result if durable else None,
        ledger=ledger,
    )


def plain_side(
    state: ComparisonState,
    run_id: str,
    read: PlainRead | None,
    memory: PlainRunMemory,
    calls: LlmCalls,
) -> PlainSide:
    outcome = state.plain_runs[-1].outcome if state.plain_runs else None
    live = read.view if read else None
    seen = memory.last_seen(run_id)
    if outcome is not None:
        side = PlainSideState(outcome.state)
    elif live is not None:
        side = PlainSideState(live.state)
    else:
        # Not there: its process is down (died), or back without the run (lost).
        side = PlainSideState.LOST if read and read.reachable else PlainSideState.DIED
    last = live or _furthest(outcome.last_seen if outcome else None, seen)
    runs = [
        PlainRunLine(
            run_id=run.run_id,
            state=run.outcome.state if run.outcome else None,
            reason=run.outcome.reason if run.outcome else None,
        )
        for run in state.plain_runs
    ] or [PlainRunLine(run_id=run_id)]
    shown = live or seen
    return PlainSide(
        id=run_id,
        state=side,
        steps=shown.progress.steps if shown else None,
        note=_note(state, run_id, side, last, calls) if side in GONE else None,
        # Only what its process says now: words last seen here went with it, for good.
        writing={step: Writing.of(step, text) for step, text in live.writing.items()}
        if live
        else {},
        runs=runs,
        briefing=last.briefing if last else None,
        ledger=_plain_ledger(state, run_id, side, last, calls),
    )


def _note(
    state: ComparisonState,
    run_id: str,
    side: PlainSideState,
    last: PlainRunSnapshot | None,
    calls: LlmCalls,
) -> str:
    tokens = _billed(calls.calls, run_id) if calls.available else (last.usage.total if last else 0)
    if calls.available and last is not None:
        # What the LLM answered is the truth; a sight of the run may be seconds older.
        what = (
            f"{_summaries_answered(calls.calls, run_id)} of {last.summaries_total or '?'} "
            f"summaries and {tokens:,} tokens lost"
        )
    elif last is None:
        # The log still knows what it was paid (a web restarted since, say, saw nothing of it).
        lost = f" ({tokens:,} tokens lost)" if calls.available else ""
        what = f"what it had done went with it{lost}, and this web server had not seen it before"
    else:
        what = (
            f"{last.summaries_done} of {last.summaries_total or '?'} summaries "
            f"and {tokens:,} tokens lost"
        )
    rerun = ""
    if state.after_crash == AfterCrash.RERUN and side == PlainSideState.LOST:
        rerun = "; its supervisor starts the same request again, from scratch"
    return f"the agent's process died: {what}{rerun}"


def _plain_ledger(
    state: ComparisonState,
    run_id: str,
    side: PlainSideState,
    last: PlainRunSnapshot | None,
    calls: LlmCalls,
) -> SideLedger:
    labels: dict[str, PlainRun | None] = {
        run_header(Engine.PLAIN, run.run_id): run for run in state.plain_runs
    }
    labels.setdefault(run_header(Engine.PLAIN, run_id), None)
    completed = next(
        (
            run.outcome.last_seen
            for run in state.plain_runs
            if run.outcome and run.outcome.state == PlainRunState.COMPLETED
        ),
        None,
    )
    wall = seconds_between(state.started_at, completed.finished_at if completed else None)
    lost = {
        label
        for label, run in labels.items()
        if (run and run.outcome and run.outcome.state == PlainRunState.LOST)
        or (label == run_header(Engine.PLAIN, run_id) and side in GONE)
    }
    if calls.available:
        mine = [call for call in calls.calls if call.run in labels]
        return logged_ledger(mine, lost_runs=lost, wall_seconds=wall)
    snapshots = [
        (run.outcome.last_seen, run_header(Engine.PLAIN, run.run_id) in lost)
        for run in state.plain_runs
        if run.outcome and run.outcome.last_seen
    ]
    if last is not None and not any(seen.run_id == last.run_id for seen, _ in snapshots):
        snapshots.append((last, side in GONE))
    return plain_counted_ledger(snapshots, wall)


def _furthest(*sights: PlainRunSnapshot | None) -> PlainRunSnapshot | None:
    """The sight of a run that got furthest: the watcher's (kept by Temporal, but sent at most
    every few seconds) or this web's (twice a second, but only while it was watching)."""
    known = [sight for sight in sights if sight is not None]
    if not known:
        return None
    return max(known, key=lambda sight: (sight.state != PlainRunState.RUNNING, sight.usage.total))


def _summaries_answered(calls: list[LlmCall], run_id: str) -> int:
    label = run_header(Engine.PLAIN, run_id)
    return sum(call.run == label and call.articles == 1 and call.delivered for call in calls)


def _billed(calls: list[LlmCall], run_id: str) -> int:
    label = run_header(Engine.PLAIN, run_id)
    return sum(call.tokens for call in calls if call.run == label and call.answered)
