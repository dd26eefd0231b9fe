"""A cell's run held against the reference run: the content, the LLM's calls, the stream."""

from datetime import UTC, datetime

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from bench.matrix.cells import NO_KILL, PLAIN, Cell
from bench.matrix.compare import first_difference, normalised_json, normalised_markdown
from bench.matrix.run import CellRun, MatrixStack
from bench.matrix.verdict import CellOutcome
from bench.soak.checks import SoakOutcome, judge_activities
from bench.soak.histories import ActivityRecord, RunRecord, read_run
from bench.soak.llm_log import LlmRequest
from web.briefings.schemas import BriefingView

COMPOSE_ACTIVITY = "compose_briefing"


async def judge_cell(
    matrix: MatrixStack, cell: Cell, run: CellRun, reference: CellRun
) -> CellOutcome:
    client = await matrix.connect()
    outcome = CellOutcome(
        cell,
        run.briefing_id,
        spare_worker=matrix.spare_worker,
        status=run.status.name.lower() if run.status else None,
        llm_calls=len(run.llm_calls),
        reference_llm_calls=len(reference.llm_calls),
        replay_failure=run.replay_failure,
        plain=run.plain,
    )
    for form, mine, theirs in (
        ("JSON", normalised_json(run.view), normalised_json(reference.view)),
        ("Markdown", normalised_markdown(run.markdown), normalised_markdown(reference.markdown)),
    ):
        difference = first_difference(theirs, mine, form)
        if difference is not None:
            outcome.differences[form] = difference
    await _judge_llm_calls(client, outcome, run)
    _judge_stream(outcome, run)
    outcome.moment_missed = cell.part != NO_KILL and run.killed_at is None
    if run.killed_at_wall is not None:
        last = await _last_event_before(client, run.briefing_id, run.killed_at_wall)
        outcome.history_at_kill = last
    return outcome


# The SSE streams' long polls are updates (temporalio.contrib.workflow_streams): their events
# say nothing of where the briefing's own work stood.
_STREAM_POLL_EVENTS = frozenset(
    {
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
    }
)


async def _last_event_before(client: Client, briefing_id: str, moment: datetime) -> str:
    """Where the kill landed: the type of the latest event (by id) stamped before `moment`.
    Not the first one stamped after: times are not in id order (an attempt's
    ActivityTaskStarted is written when it ends, stamped with when it started)."""
    history = await client.get_workflow_handle(briefing_id).fetch_history()
    before = [
        event
        for event in history.events
        if event.event_time.ToDatetime(tzinfo=UTC) <= moment
        and event.event_type not in _STREAM_POLL_EVENTS
    ]
    if not before:
        return "none"
    return EventType.Name(before[-1].event_type).removeprefix("EVENT_TYPE_").lower()


async def _judge_llm_calls(client: Client, outcome: CellOutcome, run: CellRun) -> None:
    """The soak's rules, on this run's calls only: none after its summary completed, none
    beyond its activity's attempts; and the calls in flight at the kill."""
    requests = [
        LlmRequest(
            seq=entry["seq"],
            received_at=datetime.fromisoformat(entry["received_at"]),
            fingerprint=entry["fingerprint"],
            status=entry["status"],
        )
        for entry in run.llm_calls
    ]
    history = await read_run(client, run.briefing_id)
    judged = SoakOutcome(briefings=1)
    judge_activities(judged, [history], requests)
    outcome.stale_llm_calls = judged.stale_llm_calls
    outcome.surplus_llm_calls = judged.surplus_llm_calls
    if run.killed_at_wall is None or outcome.cell.part == PLAIN:
        return  # a plain cell's kill takes none of the durable side's calls along
    if outcome.cell.part == "llm":
        outcome.in_flight_at_kill = unanswered_at(run.llm_calls, run.killed_at_wall)
    else:
        outcome.in_flight_at_kill = in_flight_at(run.llm_calls, history, run.killed_at_wall)


def unanswered_at(calls: list[dict], killed_at: datetime) -> int:
    """What a dying LLM loses: the calls it had received and not answered (their status, as
    read just before the kill). An answer sent is the worker's, whenever its activity ends."""
    return sum(
        call["status"] is None and datetime.fromisoformat(call["received_at"]) <= killed_at
        for call in calls
    )


def in_flight_at(calls: list[dict], history: RunRecord, killed_at: datetime) -> int:
    """What a dying worker (or server, or web: at most) loses: the calls received before the
    kill whose activity had not completed by then, as the history says, whatever the call's
    status (an answered call whose activity had not reported yet dies with the worker)."""

    def done(activity: ActivityRecord) -> bool:
        return activity.completed_at is not None and activity.completed_at <= killed_at

    summaries_done = {a.fingerprint for a in history.summaries if done(a)}
    lead_done = any(a.activity_type == COMPOSE_ACTIVITY and done(a) for a in history.activities)
    in_flight = 0
    for call in calls:
        if datetime.fromisoformat(call["received_at"]) > killed_at:
            continue
        is_lead = call["articles"] > 1
        in_flight += not lead_done if is_lead else call["fingerprint"] not in summaries_done
    return in_flight


def _judge_stream(outcome: CellOutcome, run: CellRun) -> None:
    watch = run.watch
    outcome.sse_saw_end = watch.saw_end
    outcome.sse_missing_offsets = watch.missing_offsets
    outcome.sse_repeated_offsets = watch.repeated_offsets
    last_offset = BriefingView.model_validate(run.view).version - 1
    outcome.sse_last_offset_missing = last_offset not in watch.first_seen
    # A plain cell's viewer watches the durable side, which the kill leaves running.
    if run.killed_at is not None and outcome.cell.part != PLAIN:
        later = [seen for seen in watch.first_seen.values() if seen > run.killed_at]
        outcome.resume_seconds = min(later) - run.killed_at if later else None
