"""The review form on the briefing page: the stories the editor ticked, in the order typed."""

from dataclasses import dataclass

from fastapi import Request

from web.submitted_form import SubmittedForm
from workflows.review import ReviewDecision

# A story with no order typed goes after every numbered one, in the order it was ticked.
UNNUMBERED = 99


@dataclass
class ReviewForm:
    picked: list[str]
    orders: dict[str, str]
    note: str | None

    @classmethod
    async def read(cls, request: Request) -> "ReviewForm":
        form = await SubmittedForm.read(request)
        return cls(form.values("story_ids"), form.prefixed("order_"), form.text("note") or None)

    def decision(self) -> ReviewDecision:
        """Raises pydantic's ValidationError when the note is too long."""
        return ReviewDecision(story_ids=sorted(self.picked, key=self._rank), note=self.note)

    def _rank(self, story_id: str) -> tuple[int, int]:
        value = self.orders.get(story_id, "")
        return (int(value) if value.isdigit() else UNNUMBERED, self.picked.index(story_id))
