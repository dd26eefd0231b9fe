"""A comparison: one briefing run twice, durably and by the plain agent, and what each cost."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from activities.llm.client import Engine, run_header
from activities.llm_log import LlmCalls
from activities.plain_runs.models import PlainRunOutcome
from workflows.models import BriefingRequest, BriefingStatus

MAX_RERUNS = 3


class AfterCrash(StrEnum):
    """What a naive setup does when the plain agent's process dies under a run."""

    LOST = "lost"  # nothing: the run is gone (most agent servers)
    RERUN = "rerun"  # its supervisor starts the same request again, from scratch


class ComparisonRequest(BaseModel):
    briefing: BriefingRequest
    durable_id: str
    after_crash: AfterCrash = AfterCrash.LOST
    # Resolved at start: whether the LLM keeps a log to read the ledgers from (ours does).
    llm_log: bool = False


class PlainRun(BaseModel):
    """One try of the plain agent; `outcome` is None while it runs."""

    run_id: str
    started_at: datetime
    outcome: PlainRunOutcome | None = None


class ComparisonState(BaseModel):
    """Served by the comparison's query while it runs, and its result when done."""

    topic: str
    durable_id: str
    after_crash: AfterCrash
    started_at: datetime
    plain_runs: list[PlainRun] = Field(default_factory=list)
    durable_status: BriefingStatus | None = None
    finished_at: datetime | None = None
    # Read from the LLM's log when both sides have ended (see activities/llm_log.py).
    llm_calls: LlmCalls | None = None

    @property
    def plain_ids(self) -> list[str]:
        return [run.run_id for run in self.plain_runs]


def plain_run_id(comparison_id: str, attempt: int) -> str:
    return f"{comparison_id}-plain-{attempt}"


def run_labels(durable_id: str, plain_ids: list[str]) -> list[str]:
    """The X-Briefing-Run headers of a comparison's LLM calls (activities/llm/client.py)."""
    return [
        run_header(Engine.DURABLE, durable_id),
        *(run_header(Engine.PLAIN, run_id) for run_id in plain_ids),
    ]
