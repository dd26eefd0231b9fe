"""What the plain agent answers about a run: the comparison's snapshot, every step, and the
words of the LLM steps under way."""

from pydantic import Field

from activities.llm.live_text import LiveText
from activities.plain_runs.models import PlainRunSnapshot
from workflows.models import BriefingProgress


class PlainRunView(PlainRunSnapshot):
    progress: BriefingProgress
    writing: dict[str, LiveText] = Field(
        default_factory=dict,
        description="What each LLM step under way has written so far, by step id",
    )
