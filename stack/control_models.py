"""The JSON of `briefing up`'s control API, shared by its server and its client."""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

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


class GroupKillRequest(KillRequest):
    """Several parts killed at the same instant, by one timer: "Kill the servers"."""

    parts: list[str] = Field(min_length=1, max_length=8)

    @field_validator("parts")
    @classmethod
    def _each_once(cls, parts: list[str]) -> list[str]:
        if len(set(parts)) != len(parts):
            raise ValueError("name each part once")
        return parts


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


@dataclass(frozen=True)
class PanelGroupKill:
    """A chaos panel button that kills several parts at once and brings them back together."""

    parts: tuple[str, ...]
    label: str
    restart_after_seconds: int


# Both engines' servers at once: the durable worker and the plain agent meet the same crash.
KILL_THE_SERVERS = PanelGroupKill(
    ("worker", "plain"), "Kill the servers (worker and plain agent)", restart_after_seconds=8
)


def is_offered(part: str, action: str) -> bool:
    return any(offer.part == part and offer.action == action for offer in PANEL_PART_ACTIONS)
