"""Killing the worker mid-summaries: one crash, and the work completed before it preserved."""

import os
import signal

import pytest

from tests.web.dashboard.briefings import start_briefing, wait_for_progress, wait_for_timeline
from web.dashboard.timeline_loader import load_timeline
from web.dashboard.timeline_models import ActivityState
from worker.main import build_workers
from workflows.models import StepKind, StepState

# `briefing worker` as a process (worker_process), killed mid-briefing.
pytestmark = pytest.mark.stack


def summaries(progress, state: StepState) -> list[str]:
    return [s.id for s in progress.steps if s.kind == StepKind.SUMMARIZE and s.state == state]


async def test_a_killed_worker_is_one_crash_that_preserved_the_work_completed_before_it(
    temporal_client, paced_settings, worker_process
):
    handle = await start_briefing(temporal_client, paced_settings, max_stories=6)
    before_kill = await wait_for_progress(
        handle,
        lambda p: summaries(p, StepState.DONE) and summaries(p, StepState.RUNNING),
    )
    os.kill(worker_process.pid, signal.SIGKILL)
    # No worker yet: Temporal notices the lost attempts and waits to retry them.
    while_down = await wait_for_timeline(
        temporal_client, handle.id, lambda timeline: timeline.ledger.crashes
    )
    async with build_workers(temporal_client, paced_settings):
        result = await handle.result()
    timeline = await load_timeline(temporal_client, handle.id)

    waiting = [e for e in while_down.entries if e.state == ActivityState.RETRYING]
    assert waiting and {(e.attempt, e.failed_attempts) for e in waiting} == {(2, 1)}
    [crash] = timeline.ledger.crashes
    assert crash.preserved_activities == while_down.ledger.preserved_activities
    done_before_kill = summaries(before_kill, StepState.DONE)
    assert crash.preserved_activities >= len(paced_settings.default_sources) + len(done_before_kill)
    assert crash.preserved_tokens > 0
    assert crash.preserved_llm_calls >= len(done_before_kill)
    entries = {entry.activity_id: entry for entry in timeline.entries}
    assert all(entries[step_id].attempt == 1 for step_id in done_before_kill)
    assert crash.lost_activities
    for step_id in crash.lost_activities:
        assert entries[step_id].attempt == 2
        assert "timeout" in entries[step_id].last_failure
    ledger = timeline.ledger
    assert ledger.tokens_used == result.briefing.usage.total
    summary_count = sum(e.activity_type == "summarize_story" for e in timeline.entries)
    assert ledger.llm_calls == summary_count + 1 + len(crash.lost_activities)
