"""A briefing's activities as Temporal recorded them, and what durability saved."""

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, computed_field

from core.domain import RunStatus

# Activity types (names as registered) whose every attempt is a call to the LLM.
LLM_ACTIVITY_TYPES = frozenset({"summarize_story", "compose_briefing"})


class ActivityState(StrEnum):
    SCHEDULED = "scheduled"  # waiting for its first attempt to be picked up
    RUNNING = "running"  # an attempt (see `attempt`) is executing on a worker
    RETRYING = "retrying"  # an attempt failed; waiting for the next one to start
    COMPLETED = "completed"
    FAILED = "failed"
    TIMED_OUT = "timed_out"
    CANCELLED = "cancelled"


FINAL_FAILURES = frozenset({ActivityState.FAILED, ActivityState.TIMED_OUT})


class ActivityEntry(BaseModel):
    activity_id: str
    activity_type: str
    label: str | None = None  # the story's title or the source's name
    state: ActivityState = ActivityState.SCHEDULED
    # The attempt running or waiting to run, or the one that ended the activity.
    attempt: int = 1
    # Attempts that failed before `attempt`: always attempt - 1.
    failed_attempts: int = 0
    scheduled_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    last_heartbeat_at: datetime | None = None
    last_failure: str | None = None
    tokens: int = 0

    @property
    def calls_llm(self) -> bool:
        return self.activity_type in LLM_ACTIVITY_TYPES

    @property
    def attempts_started(self) -> int:
        # Without a start time, `attempt` is still waiting for a worker.
        return self.attempt if self.started_at is not None else self.attempt - 1


class Crash(BaseModel):
    """A worker lost mid-attempt, and what a run without durability would have done again."""

    at: datetime
    lost_activities: list[str]
    preserved_activities: int = 0
    preserved_tokens: int = 0
    preserved_llm_calls: int = 0


class DurabilityLedger(BaseModel):
    llm_calls: int = 0
    tokens_used: int = 0
    retries: int = 0
    failures: int = 0
    crashes: list[Crash] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]  # mypy refuses decorated properties
    @property
    def preserved_activities(self) -> int:
        return sum(crash.preserved_activities for crash in self.crashes)

    @computed_field  # type: ignore[prop-decorator]  # mypy refuses decorated properties
    @property
    def preserved_tokens(self) -> int:
        return sum(crash.preserved_tokens for crash in self.crashes)

    @computed_field  # type: ignore[prop-decorator]  # mypy refuses decorated properties
    @property
    def preserved_llm_calls(self) -> int:
        return sum(crash.preserved_llm_calls for crash in self.crashes)

    def __add__(self, other: "DurabilityLedger") -> "DurabilityLedger":
        return DurabilityLedger(
            llm_calls=self.llm_calls + other.llm_calls,
            tokens_used=self.tokens_used + other.tokens_used,
            retries=self.retries + other.retries,
            failures=self.failures + other.failures,
            crashes=[*self.crashes, *other.crashes],
        )

    @classmethod
    def total(cls, ledgers: Iterable["DurabilityLedger"]) -> "DurabilityLedger":
        return sum(ledgers, cls())


class BriefingTimeline(BaseModel):
    briefing_id: str
    status: RunStatus
    # In the order the workflow scheduled them.
    entries: list[ActivityEntry]
    ledger: DurabilityLedger
