"""The briefing page's buttons: answer the editor's review, cancel the briefing."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from core.temporal_errors import temporal_call
from web.briefings.actions import (
    CannotCancel,
    ReviewRefused,
    WorkerUnavailable,
    cancel_briefing,
    submit_review,
)
from web.deps import TemporalClient
from web.submitted_form import SubmittedForm
from web.templating import templates
from workflows.briefing import BriefingWorkflow
from workflows.models import BriefingProgress
from workflows.review import ReviewDecision

router = APIRouter(tags=["pages"])


def _fragment(template: str, status_code: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(templates.get_template(template).render(context), status_code=status_code)


@router.post("/briefings/{briefing_id}/review", response_class=HTMLResponse)
async def review_from_page(
    request: Request, briefing_id: str, client: TemporalClient
) -> HTMLResponse:
    form = await SubmittedForm.read(request)
    picked = form.values("story_ids")
    orders = form.prefixed("order_")
    note = form.text("note") or None

    def rank(story_id: str) -> tuple[int, int]:
        value = orders.get(story_id, "")
        return (int(value) if value.isdigit() else 99, picked.index(story_id))

    try:
        decision = ReviewDecision(story_ids=sorted(picked, key=rank), note=note)
        async with temporal_call():
            outcome = await submit_review(client, briefing_id, decision)
    except (ValidationError, ReviewRefused, WorkerUnavailable) as error:
        progress = await _review_state(client, briefing_id)
        message = "the note is too long" if isinstance(error, ValidationError) else str(error)
        return _fragment(
            "partials/_review.html",
            status_code=422 if not isinstance(error, WorkerUnavailable) else 503,
            progress=progress,
            briefing_id=briefing_id,
            csrf_token=getattr(request.state, "csrf_token", ""),
            review_error=message,
            picked=picked,
            orders=orders,
            note=note,
        )
    return _fragment("partials/_review.html", progress={"review": None, "review_outcome": outcome})


@router.post("/briefings/{briefing_id}/cancel", response_class=HTMLResponse)
async def cancel_from_page(
    request: Request, briefing_id: str, client: TemporalClient
) -> HTMLResponse:
    try:
        async with temporal_call():
            await cancel_briefing(client, briefing_id)
    except CannotCancel as error:
        return _fragment("partials/dashboard/_chaos_result.html", 409, ok=False, text=str(error))
    return _fragment(
        "partials/dashboard/_chaos_result.html",
        ok=True,
        text="Cancel requested: the steps in flight stop at their next heartbeat.",
    )


async def _review_state(client: TemporalClient, briefing_id: str) -> BriefingProgress:
    handle = client.get_workflow_handle_for(BriefingWorkflow.run, briefing_id)
    return await handle.query(BriefingWorkflow.progress)
