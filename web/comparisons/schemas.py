"""What the comparisons API accepts and returns: one request, two sides, two ledgers."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, HttpUrl

from activities.models import Briefing
from activities.plain_runs.models import PlainRunState
from core.domain import RunStatus, Topic
from web.live.writing import Writing
from workflows.comparison_models import AfterCrash
from workflows.models import MAX_SOURCES, MAX_STORIES_LIMIT, StepProgress


class ComparisonCreate(BaseModel):
    topic: Topic = Field(examples=["science"])
    sources: list[HttpUrl] | None = Field(
        None, max_length=MAX_SOURCES, description="Feed URLs; the configured feeds when omitted."
    )
    max_stories: int = Field(8, ge=1, le=MAX_STORIES_LIMIT)
    after_crash: AfterCrash = Field(
        AfterCrash.LOST,
        description="When the plain agent's process dies: lose the run, or rerun it from scratch.",
    )


class ComparisonCreated(BaseModel):
    id: str
    url: str
    durable_id: str
    plain_id: str


class LedgerSource(StrEnum):
    LLM_LOG = "llm_log"  # what the LLM itself received and billed (our offline LLM's log)
    ENGINE_COUNT = "engine_count"  # each engine's own count (any other endpoint)


class SideLedger(BaseModel):
    llm_calls: int = 0
    tokens: int = 0
    wall_seconds: float | None = Field(None, description="From the request to a finished briefing")
    repeated_calls: int | None = Field(
        None, description="Calls for work already answered once; null when nobody can tell"
    )
    lost_tokens: int = Field(0, description="Tokens paid for answers that were then thrown away")


class PlainSideState(StrEnum):
    """The plain side, as the page says it: PlainRunState, and 'died' while its process is gone
    and nobody yet knows what became of the run."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    LOST = "lost"
    DIED = "died"


class PlainRunLine(BaseModel):
    run_id: str
    state: PlainRunState | None = Field(None, description="Null while it runs")
    reason: str | None = None


class DurableSide(BaseModel):
    id: str
    url: str
    status: RunStatus | None = Field(None, description="Null while Temporal cannot be read")
    steps: list[StepProgress] | None = None
    progress_note: str | None = None
    writing: dict[str, Writing] = Field(
        default_factory=dict,
        description="What each LLM step under way has written so far, and what its failed "
        "attempts lost, by step id",
    )
    briefing: Briefing | None = Field(None, description="The finished briefing")
    ledger: SideLedger


class PlainSide(BaseModel):
    id: str = Field(description="The run on the plain agent now (the last one, once ended)")
    state: PlainSideState
    steps: list[StepProgress] | None = Field(
        None, description="Null when its process holds no record of the run (it died)"
    )
    note: str | None = None
    writing: dict[str, Writing] = Field(
        default_factory=dict,
        description="What each LLM step under way has written so far, by step id; "
        "nothing once its process has died, which took the words with it",
    )
    runs: list[PlainRunLine]
    briefing: Briefing | None = None
    ledger: SideLedger


class ComparisonView(BaseModel):
    id: str
    url: str
    topic: str
    after_crash: AfterCrash
    finished: bool
    started_at: datetime
    finished_at: datetime | None
    ledger_source: LedgerSource
    durable: DurableSide
    plain: PlainSide
