"""What every page form that starts work goes through, and what it shows while it does.

Submitting one (a new briefing, a new schedule): check the fields, take a start token, make
the one call to Temporal; when any of that refuses, the same form comes back with what was
typed and a banner that says why. htmx swaps the form alone in place; a browser without
JavaScript gets the whole page around it.
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from fastapi import Request, status
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ValidationError

from core.domain import TOPIC_MAX_CHARS
from core.temporal_errors import TemporalUnavailable, temporal_call
from web.htmx import is_htmx
from web.limits.rates import RateLimited
from web.limits.visitors import StartCharge, not_started_yet, retry_after, start_charge
from web.page_context import render_page
from web.submitted_form import new_idempotency_key
from workflows.models import MAX_STORIES_LIMIT

# The fields both forms have, in the same words.
TOPIC_MESSAGE = f"Enter a topic of 1 to {TOPIC_MAX_CHARS} characters."
MAX_STORIES_MESSAGE = f"Choose a number of stories from 1 to {MAX_STORIES_LIMIT}."

UNAVAILABLE = status.HTTP_503_SERVICE_UNAVAILABLE

Model = TypeVar("Model", bound=BaseModel)
Valid = TypeVar("Valid")
ValidOut = TypeVar("ValidOut", covariant=True)


@dataclass(frozen=True)
class Banner:
    kind: str  # a .banner modifier in app.css: ok, warn or error
    text: str


@dataclass(frozen=True)
class Choice:
    """One checkbox of a list: the sources of a briefing, the days of a schedule."""

    value: str
    label: str
    checked: bool


def validated(
    model: type[Model], candidate: Mapping[str, object], messages: Mapping[str, str]
) -> tuple[Model | None, dict[str, str]]:
    """The model, or None and one message per field it refused (ours, else pydantic's)."""
    try:
        return model.model_validate(candidate), {}
    except ValidationError as error:
        errors: dict[str, str] = {}
        for problem in error.errors():
            name = str(problem["loc"][0])
            errors.setdefault(name, messages.get(name, problem["msg"]))
        return None, errors


class PageForm(Protocol[ValidOut]):
    banner: Banner | None
    # One per rendered form: submitting it twice starts one thing, not two.
    idempotency_key: str

    def validate(self) -> ValidOut | None: ...


@dataclass(frozen=True)
class Refusal:
    """An error the call to Temporal may raise, and how the form says it."""

    error: type[Exception]
    status_code: int
    banner: Callable[[Exception], Banner]
    # The form's key is spent on something else: the next submission gets a new one.
    new_key: bool = False


# The extra values the whole page needs around the form, read only when it is rendered.
PageValues = Callable[[], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class FormFlow:
    noun: str  # what a submission makes, as the banners name it: "briefing", "schedule"
    verb: str  # how it is made, in the past: "started", "created"
    page: str  # the whole page around the form
    key_taken: type[Exception]  # the form's key already made something else
    refusals: tuple[Refusal, ...] = ()  # what else the call may be refused for

    @property
    def partial(self) -> str:
        """The form alone, which htmx swaps in place."""
        return f"partials/_{self.noun}_form.html"

    @property
    def _all_refusals(self) -> tuple[Refusal, ...]:
        temporal_down = Banner(
            "error",
            f"Temporal is unreachable, so the {self.noun} was not {self.verb}. "
            "Your choices are kept: submit again in a moment.",
        )
        key_reused = Banner(
            "warn",
            f"This form already {self.verb} a different {self.noun}. "
            "Check your choices and submit again.",
        )
        return (
            Refusal(TemporalUnavailable, UNAVAILABLE, lambda _: temporal_down),
            Refusal(self.key_taken, status.HTTP_409_CONFLICT, lambda _: key_reused, True),
            *self.refusals,
        )

    async def submit(
        self,
        request: Request,
        form: PageForm[Valid],
        start: Callable[[Valid, StartCharge], Awaitable[Response]],
        page_values: PageValues,
    ) -> Response:
        """`start` makes the call, inside the charge, and answers once it succeeded."""
        valid = form.validate()
        if valid is None:
            unfit = status.HTTP_422_UNPROCESSABLE_CONTENT
            return await self.again(request, form, unfit, page_values)
        refusals = self._all_refusals
        try:
            with start_charge(request) as charge:
                async with temporal_call():
                    return await start(valid, charge)
        except RateLimited as error:
            form.banner = Banner("error", not_started_yet(error))
            too_many = status.HTTP_429_TOO_MANY_REQUESTS
            return await self.again(request, form, too_many, page_values, retry_after(error))
        except tuple(refusal.error for refusal in refusals) as error:
            refusal = next(each for each in refusals if isinstance(error, each.error))
            form.banner = refusal.banner(error)
            if refusal.new_key:
                form.idempotency_key = new_idempotency_key()
            return await self.again(request, form, refusal.status_code, page_values)

    async def again(
        self,
        request: Request,
        form: PageForm[Any],
        status_code: int,
        page_values: PageValues,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        htmx = is_htmx(request.headers)
        template, around = (self.partial, {}) if htmx else (self.page, await page_values())
        return render_page(
            request, template, status_code=status_code, headers=headers, form=form, **around
        )
