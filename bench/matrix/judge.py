"""A cell's run held against the reference run: the content, the LLM's calls, the stream."""

from datetime import datetime

from temporalio.client import Client

from bench.matrix.cells import Cell
from bench.matrix.compare import first_difference, normalised_json, normalised_markdown
from bench.matrix.run import RunRecord
from bench.matrix.verdict import CellOutcome
from bench.soak.checks import SoakOutcome, judge_activities
from bench.soak.histories import read_run
from bench.soak.llm_log import LlmRequest
from web.briefings.schemas import BriefingView


async def judge_cell(
    client: Client, cell: Cell, run: RunRecord, reference: RunRecord
) -> CellOutcome:
    outcome = CellOutcome(
        cell,
        run.briefing_id,
        status=run.status.name.lower() if run.status else None,
        llm_calls=len(run.llm_calls),
        reference_llm_calls=len(reference.llm_calls),
        in_flight_at_kill=run.in_flight_at_kill,
        replay_failure=run.replay_failure,
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
    return outcome


async def _judge_llm_calls(client: Client, outcome: CellOutcome, run: RunRecord) -> None:
    """The soak's rules, on this run's calls only: none after its summary completed, none
    beyond its activity's attempts."""
    requests = [
        LlmRequest(
            seq=entry["seq"],
            received_at=datetime.fromisoformat(entry["received_at"]),
            fingerprint=entry["fingerprint"],
            status=entry["status"],
        )
        for entry in run.llm_calls
    ]
    judged = SoakOutcome(briefings=1)
    judge_activities(judged, [await read_run(client, run.briefing_id)], requests)
    outcome.stale_llm_calls = judged.stale_llm_calls
    outcome.surplus_llm_calls = judged.surplus_llm_calls


def _judge_stream(outcome: CellOutcome, run: RunRecord) -> None:
    watch = run.watch
    outcome.sse_saw_end = watch.saw_end
    outcome.sse_missing_offsets = watch.missing_offsets
    outcome.sse_repeated_offsets = watch.repeated_offsets
    last_offset = BriefingView.model_validate(run.view).version - 1
    outcome.sse_last_offset_missing = last_offset not in watch.first_seen
    if run.killed_at is not None:
        later = [seen for seen in watch.first_seen.values() if seen > run.killed_at]
        outcome.resume_seconds = min(later) - run.killed_at if later else None
