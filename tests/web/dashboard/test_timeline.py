"""A briefing's timeline and ledger, read from a real Temporal server's history."""

from tests.web.dashboard.briefings import start_briefing, wait_for_timeline
from web.dashboard.timeline_loader import load_timeline
from web.dashboard.timeline_models import ActivityEntry, ActivityState, BriefingTimeline


def summaries(timeline: BriefingTimeline) -> list[ActivityEntry]:
    return [entry for entry in timeline.entries if entry.activity_type == "summarize_story"]


async def test_a_clean_briefing_completes_every_activity_at_the_first_attempt(
    temporal_client, settings, worker
):
    handle = await start_briefing(temporal_client, settings, max_stories=3)
    result = await handle.result()
    timeline = await load_timeline(temporal_client, handle.id)

    assert timeline.status == "completed"
    assert all(entry.state == ActivityState.COMPLETED for entry in timeline.entries)
    assert {(entry.attempt, entry.failed_attempts) for entry in timeline.entries} == {(1, 0)}
    types = [entry.activity_type for entry in timeline.entries]
    assert types[: len(settings.default_sources)] == ["fetch_feed"] * len(settings.default_sources)
    assert types[-1] == "compose_briefing"
    reads = [entry for entry in timeline.entries if entry.activity_type == "read_article"]
    assert reads and all("/stories/" in entry.label for entry in reads)
    ledger = timeline.ledger
    assert ledger.llm_calls == len(summaries(timeline)) + 1
    assert ledger.tokens_used == result.briefing.usage.total
    assert (ledger.retries, ledger.failures, ledger.crashes) == (0, 0, [])
    assert ledger.preserved_activities == 0


async def test_an_llm_error_shows_as_a_second_attempt_and_one_retry_in_the_ledger(
    temporal_client, settings, worker, llm_admin
):
    llm_admin.post("/faults", json={"mode": "error", "count": 1})
    handle = await start_briefing(temporal_client, settings, max_stories=3)
    await handle.result()
    timeline = await load_timeline(temporal_client, handle.id)

    [retried] = [entry for entry in timeline.entries if entry.attempt > 1]
    assert retried.state == ActivityState.COMPLETED
    assert (retried.attempt, retried.failed_attempts) == (2, 1)
    assert "500" in retried.last_failure
    ledger = timeline.ledger
    assert (ledger.retries, ledger.failures) == (1, 1)
    assert ledger.llm_calls == len(summaries(timeline)) + 1 + 1, "the failed call counts too"
    assert ledger.crashes == []


async def test_a_running_briefing_shows_its_llm_call_running_with_heartbeats(
    temporal_client, settings, worker, llm_admin
):
    llm_admin.post("/faults", json={"mode": "hang", "count": 1, "seconds": 4})
    handle = await start_briefing(temporal_client, settings, max_stories=2)
    timeline = await wait_for_timeline(
        temporal_client,
        handle.id,
        lambda timeline: [entry for entry in summaries(timeline) if entry.last_heartbeat_at],
    )
    await handle.result()

    assert timeline.status == "running"
    [hanging] = [entry for entry in summaries(timeline) if entry.last_heartbeat_at]
    assert (hanging.state, hanging.attempt) == (ActivityState.RUNNING, 1)
    assert hanging.started_at <= hanging.last_heartbeat_at
    assert hanging.finished_at is None
    assert timeline.ledger.llm_calls >= 1
