"""/api/briefings: start a briefing, read, list, review and cancel them, and follow one live."""

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status
from sse_starlette import EventSourceResponse

from web.api_errors import TemporalRoute
from web.api_starts import answer_start
from web.briefings.actions import cancel_briefing, submit_review
from web.briefings.schemas import BriefingCreate, BriefingCreated, BriefingList, BriefingView
from web.briefings.service import (
    get_briefing,
    list_briefings,
    start_briefing,
    temporal_ui_link,
)
from web.deps import AppSettings, TemporalClient
from web.limits.visitors import start_charge
from web.live.rendering import json_frame
from web.live.streaming import After, LastEventId, event_stream
from workflows.review import ReviewDecision, ReviewOutcome

# Every route calls Temporal: its outage is one 503 for all of them (web/api_errors.py).
router = APIRouter(prefix="/api/briefings", tags=["briefings"], route_class=TemporalRoute)


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=BriefingCreated)
async def create_briefing(
    create: BriefingCreate,
    request: Request,
    client: TemporalClient,
    settings: AppSettings,
    response: Response,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> BriefingCreated:
    with start_charge(request) as charge:
        started = await start_briefing(client, settings, create, idempotency_key)
        url = f"/api/briefings/{started.id}"
        answer_start(response, charge, is_new=started.created, url=url)
    return BriefingCreated(
        id=started.id, url=url, temporal_ui_url=temporal_ui_link(settings, started.id)
    )


@router.get("", response_model=BriefingList)
async def recent_briefings(client: TemporalClient) -> BriefingList:
    return await list_briefings(client)


@router.get("/{briefing_id}", response_model=BriefingView)
async def read_briefing(
    briefing_id: str, client: TemporalClient, settings: AppSettings
) -> BriefingView:
    return await get_briefing(client, settings, briefing_id)


@router.post("/{briefing_id}/review", response_model=ReviewOutcome)
async def review_briefing(
    briefing_id: str, decision: ReviewDecision, client: TemporalClient
) -> ReviewOutcome:
    """The editor's choice: stories in the order wanted, and an optional note for the writer."""
    return await submit_review(client, briefing_id, decision)


@router.post("/{briefing_id}/cancel", status_code=status.HTTP_202_ACCEPTED)
async def cancel(briefing_id: str, client: TemporalClient) -> dict:
    await cancel_briefing(client, briefing_id)
    return {"id": briefing_id, "cancel_requested": True}


@router.get("/{briefing_id}/events")
async def briefing_events_json(
    request: Request, briefing_id: str, last_event_id: LastEventId = None, after: After = None
) -> EventSourceResponse:
    return await event_stream(request, briefing_id, last_event_id, after, json_frame)
