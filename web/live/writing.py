"""The text each LLM step of a briefing is writing, read from the workflow's pending activities.

The worker heartbeats each attempt's text so far (activities/llm/live_text.py); the server keeps
the latest with the pending activity, so one describe tells this web process, and any other,
what every step is writing, and a retry's pending attempt still holds what its failed one lost.
"""

from dataclasses import dataclass
from datetime import datetime

from temporalio.client import WorkflowExecutionDescription
from temporalio.converter import DataConverter

from activities.llm.live_text import LiveText, LostAttempt, read_live_text


@dataclass(frozen=True)
class Writing:
    step_id: str
    attempt: int  # the attempt running, or the next one when the last has just failed
    text: str  # what that attempt has written so far
    written_at: datetime | None
    lost: tuple[LostAttempt, ...]

    @classmethod
    def of(cls, step_id: str, live: LiveText) -> "Writing":
        """What an attempt has heartbeated (on a worker, or in the plain agent's process)."""
        return cls(step_id, live.attempt, live.text, live.written_at, tuple(live.lost))

    @property
    def words(self) -> int:
        return len(self.text.split())


async def read_writing(
    description: WorkflowExecutionDescription, converter: DataConverter
) -> dict[str, Writing]:
    """Every pending activity's text, by activity id (a step's id)."""
    writing: dict[str, Writing] = {}
    for pending in description.raw_description.pending_activities:
        if not pending.heartbeat_details.payloads:
            continue
        live = read_live_text(await converter.decode(pending.heartbeat_details.payloads))
        if live is None:
            continue
        step_id = pending.activity_id
        if live.attempt == pending.attempt:
            writing[step_id] = Writing.of(step_id, live)
            continue
        # That attempt failed; the next one has written nothing yet.
        lost = tuple(live.lost)
        if live.text.strip():
            lost += (LostAttempt(attempt=live.attempt, text=live.text),)
        writing[step_id] = Writing(step_id, pending.attempt, "", None, lost)
    return writing
