"""The JSON of `briefing up`'s control API, shared by its server and its client."""

from dataclasses import dataclass
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


PartAction = Literal["kill", "start"]


@dataclass(frozen=True)
class PanelPartAction:
    """A process button of the chaos panel; the control API does these and nothing else."""

    part: str
    action: PartAction
    label: str
    # For a part that must come back by itself (the web serves the panel): the delay proposed.
    restart_after_seconds: int | None = None

    @property
    def slug(self) -> str:
        return f"{self.action}-{self.part}"


# The one list of what may be killed or started from outside `up`. Temporal, the newsroom and the
# LLM are not in it: the fault buttons break those, and a page that can stop Temporal is a weapon.
PANEL_PART_ACTIONS = (
    PanelPartAction("worker", "kill", "Kill worker (SIGKILL)"),
    PanelPartAction("worker", "start", "Start worker"),
    PanelPartAction("plain", "kill", "Kill plain agent (SIGKILL)"),
    PanelPartAction("plain", "start", "Start plain agent"),
    PanelPartAction("web", "kill", "Kill web server", restart_after_seconds=5),
)


def is_offered(part: str, action: str) -> bool:
    return any(offer.part == part and offer.action == action for offer in PANEL_PART_ACTIONS)
