"""The JSON of `briefing up`'s control API, shared by its server and its client."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

PartState = Literal["running", "stopped", "restarting"]
SignalName = Literal["KILL", "TERM"]
# A web restart a presenter waits for, not a way to schedule work for later.
MAX_RESTART_AFTER_SECONDS = 600.0


class PartStatus(BaseModel):
    name: str
    pid: int | None
    state: PartState
    since: datetime
    restarts: int
    last_exit: str | None
    held: bool


class StackAction(BaseModel):
    at: datetime
    source: str
    text: str


class KillRequest(BaseModel):
    signal: SignalName = "KILL"
    restart_after: float | None = Field(None, ge=0, le=MAX_RESTART_AFTER_SECONDS)


class ActionRequest(BaseModel):
    source: str = Field(min_length=1, max_length=40)
    text: str = Field(min_length=1, max_length=500)
