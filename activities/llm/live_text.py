"""The text an LLM call is writing, carried on the activity's heartbeats for the web to show.

Heartbeat details are the channel (docs/live-text.md has the measurement that chose it): the
server keeps the latest in the pending activity, outside the history, where any web process
reads it with a describe, however many there are and whichever restarted. A retry starts with
the details its failed attempt left, so the new attempt says what was lost ("attempt 1 lost
after 41 words") and a page that has just been opened can still tell it. The activity's result
stays the durable truth; this is only a live view of it.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from temporalio import activity


class LostAttempt(BaseModel):
    attempt: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


class LiveText(BaseModel):
    """What this attempt has written so far, and what the attempts before it lost."""

    attempt: int
    text: str = ""
    # When the newest words arrived from the LLM (the worker's clock): the page's lag is
    # measured from here (bench/live_text_channels.py).
    written_at: datetime | None = None
    lost: list[LostAttempt] = []


class LiveWriting:
    """One attempt's LiveText, heartbeated as each delta arrives (the SDK sends the latest at
    most once per `max_heartbeat_throttle_interval`, worker/main.py)."""

    def __init__(self) -> None:
        info = activity.info()
        self.details = LiveText(attempt=info.attempt, lost=_lost_before(info))

    def on_delta(self, text: str) -> None:
        self.details = self.details.model_copy(
            update={"text": text, "written_at": datetime.now(UTC)}
        )
        activity.heartbeat(self.details)

    def heartbeat_details(self) -> Sequence[Any]:
        return (self.details,)


def _lost_before(info: activity.Info) -> list[LostAttempt]:
    previous = read_live_text(info.heartbeat_details)
    if previous is None:
        return []
    lost = list(previous.lost)
    if previous.attempt < info.attempt and previous.text.strip():
        lost.append(LostAttempt(attempt=previous.attempt, text=previous.text))
    return lost


def read_live_text(details: Sequence[Any]) -> LiveText | None:
    """The LiveText among heartbeat details decoded without a type (a dict), if any."""
    if not details:
        return None
    first = details[0]
    if isinstance(first, LiveText):
        return first
    try:
        return LiveText.model_validate(first)
    except ValidationError:
        return None  # another activity's details, or an older worker's
