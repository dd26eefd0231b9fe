"""Recorded histories must replay on today's code: a change that would break running
briefings fails here first (see docs/workflow-versioning.md)."""

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from workflows.briefing import BriefingWorkflow
from workflows.comparison import ComparisonWorkflow

HISTORIES = sorted(Path(__file__).parent.glob("*.json"))


def test_there_is_a_history_for_each_kind_of_run():
    assert {path.stem for path in HISTORIES} >= {
        "normal",
        "with-retries",
        "with-review",
        "cancelled",
        "comparison-lost",
        "comparison-rerun",
    }


@pytest.mark.parametrize("path", HISTORIES, ids=lambda path: path.stem)
async def test_a_recorded_briefing_replays_without_nondeterminism(path: Path):
    history = WorkflowHistory.from_json(f"replay-{path.stem}", path.read_text())
    replayer = Replayer(
        workflows=[BriefingWorkflow, ComparisonWorkflow], data_converter=pydantic_data_converter
    )
    result = await replayer.replay_workflow(history, raise_on_replay_failure=True)
    assert result.replay_failure is None
