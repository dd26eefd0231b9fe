"""The chaos soak, small enough for CI: kill -9 the worker, the web and the Temporal server
while briefings run and the LLM answers 429s, and nothing is lost, doubled or called twice."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from temporalio.client import WorkflowExecutionStatus

from bench.chaos_soak import run_soak
from bench.soak.checks import judge
from bench.soak.config import SoakConfig
from bench.soak.histories import SUMMARIZE_ACTIVITY, ActivityRecord, RunRecord
from bench.soak.llm_log import LlmRequest
from bench.soak.processes import CHAOS_PARTS
from bench.soak.starter import StartRecord
from web.briefings.ids import idempotent_briefing_id

CI_SOAK = SoakConfig(briefings=4, kills=6, seed=7)


@pytest.mark.soak
async def test_briefings_survive_kills_of_every_part(tmp_path: Path) -> None:
    outcome = (await run_soak(CI_SOAK, tmp_path)).outcome

    assert outcome.violations() == []
    assert outcome.completed == CI_SOAK.briefings
    assert {part: outcome.kills[part] for part in CHAOS_PARTS} == dict.fromkeys(CHAOS_PARTS, 2)


def test_an_llm_call_after_its_summary_completed_is_caught() -> None:
    completed_at = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    briefing_id = idempotent_briefing_id("key")
    start = StartRecord(0, "key", "science soak000", briefing_id=briefing_id)
    summary = ActivityRecord(
        "summarize-1", SUMMARIZE_ACTIVITY, attempts=2, completed_at=completed_at, fingerprint="f"
    )
    run = RunRecord(briefing_id, WorkflowExecutionStatus.COMPLETED, [summary])
    calls = [
        LlmRequest(1, completed_at - timedelta(seconds=2), "f", 429),
        LlmRequest(2, completed_at - timedelta(seconds=1), "f", 200),
        LlmRequest(3, completed_at + timedelta(milliseconds=1), "f", 200),
    ]

    outcome = judge([start], {}, [], {run.briefing_id: run}, [run.briefing_id], calls)

    assert outcome.stale_llm_calls == 1
    assert outcome.surplus_llm_calls == 1
    assert outcome.unmatched_summaries == 0
    assert outcome.duplicated == 0
