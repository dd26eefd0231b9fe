"""A summary whose stream breaks off mid-answer is asked again by Temporal, from the start."""

from tests.workflows.briefings import briefing_request, run_briefing
from workflows.models import StepKind, StepState


async def test_a_summary_cut_mid_stream_is_retried_and_shows_attempt_2(
    temporal_client, settings, worker, llm_admin
):
    llm_admin.post("/faults", json={"mode": "cut", "count": 1, "words": 5}).raise_for_status()
    request = briefing_request(settings, max_stories=1)

    result = await run_briefing(temporal_client, settings, request)

    summary_step = next(s for s in result.progress.steps if s.kind == StepKind.SUMMARIZE)
    assert (summary_step.state, summary_step.attempt) == (StepState.DONE, 2)
    log = llm_admin.get("/requests").json()
    [cut] = [entry for entry in log if entry["completed"] is False]
    asked_again = [e for e in log if e["fingerprint"] == cut["fingerprint"] and e is not cut]
    assert cut["status"] == 200
    assert [(entry["completed"], entry["seq"] > cut["seq"]) for entry in asked_again] == [
        (True, True)
    ]
