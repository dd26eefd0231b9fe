"""The home form sent with its second button: the briefing's own fields, and what a crash does.

The fields are the briefing form's, read and checked by it (web/briefings/form.py), so both
buttons refuse the same input in the same words; a comparison adds only `after_crash`.
"""

from dataclasses import dataclass, fields

from fastapi import Request

from web.briefings.form import BriefingForm
from web.briefings.schemas import BriefingCreate
from web.comparisons.schemas import ComparisonCreate
from web.form_flow import FormFlow
from web.idempotent_start import IdempotencyConflict
from web.submitted_form import SubmittedForm
from workflows.comparison_models import AfterCrash

AFTER_CRASH_MESSAGE = "Choose what the plain agent does after a crash: lose the run or rerun it."


@dataclass(frozen=True)
class ComparisonFormFlow(FormFlow):
    @property
    def partial(self) -> str:
        return "partials/_briefing_form.html"  # the one form on the home page, both buttons'


COMPARISON_FORM = ComparisonFormFlow(
    noun="comparison",
    verb="started",
    page="home.html",
    # The form's key started a comparison of another request (the form was changed and resent).
    key_taken=IdempotencyConflict,
)


@dataclass
class ComparisonForm(BriefingForm):
    after_crash: str = AfterCrash.LOST.value

    @classmethod
    async def submitted(cls, request: Request, configured_sources: list[str]) -> "ComparisonForm":
        typed = await BriefingForm.submitted(request, configured_sources)
        after_crash = (await SubmittedForm.read(request)).text("after_crash")
        kept = {field.name: getattr(typed, field.name) for field in fields(BriefingForm)}
        return cls(**kept, after_crash=after_crash or AfterCrash.LOST.value)

    def validate(self) -> BriefingCreate | None:
        create = super().validate()
        if self.after_crash not in tuple(AfterCrash):
            self.errors["after_crash"] = AFTER_CRASH_MESSAGE
            return None
        return create

    def comparison(self, create: BriefingCreate) -> ComparisonCreate:
        """The briefing's fields as validated, run by both engines."""
        return ComparisonCreate(
            topic=create.topic,
            sources=create.sources,
            max_stories=create.max_stories,
            after_crash=AfterCrash(self.after_crash),
        )
