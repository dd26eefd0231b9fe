"""GET /feeds/briefings.atom and /feeds/schedules/{id}.atom: finished briefings to subscribe to.

Runs come from Temporal visibility; each run's result is fetched once per process (finished.py),
so a feed reader polling every minute costs one list call, not twenty result fetches.
"""

import re
import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import Response
from temporalio.client import Client, WorkflowExecution
from temporalio.service import RPCError, RPCStatusCode

from activities.models import Briefing
from core.settings import Settings
from core.temporal_errors import temporal_call
from web.deps import AppSettings, TemporalClient
from web.exports.atom import ATOM_MEDIA_TYPE, AtomEntry, AtomFeed, render_feed
from web.exports.finished import FinishedBriefings, finished_briefings
from web.exports.public_links import public_link, public_route_link
from web.page_context import render_html
from workflows.briefing import BriefingWorkflow

FEED_SIZE = 20
COMPLETED = f"WorkflowType = '{BriefingWorkflow.__name__}' AND ExecutionStatus = 'Completed'"
# Temporal Schedules tag every run they start with this search attribute.
SCHEDULED_BY = "TemporalScheduledById"
# Characters that could end or escape the quoted id inside the visibility query.
_UNQUOTABLE = re.compile(r"['\"\\\x00-\x1f]")

Finished = Annotated[FinishedBriefings, Depends(finished_briefings)]
router = APIRouter(prefix="/feeds", tags=["feeds"])


@router.get("/briefings.atom", response_class=Response)
async def briefings_feed(
    request: Request, client: TemporalClient, settings: AppSettings, cache: Finished
) -> Response:
    async with temporal_call():
        entries = await _entries(request, settings, client, cache, COMPLETED)
    return _atom(request, settings, "Finished briefings", entries)


@router.get("/schedules/{schedule_id}.atom", response_class=Response)
async def schedule_feed(
    request: Request,
    schedule_id: str,
    client: TemporalClient,
    settings: AppSettings,
    cache: Finished,
) -> Response:
    if _UNQUOTABLE.search(schedule_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    query = f"{COMPLETED} AND {SCHEDULED_BY} = '{schedule_id}'"
    async with temporal_call():
        await _require_schedule(client, schedule_id)
        entries = await _entries(request, settings, client, cache, query)
    title = f"Briefings of the schedule {schedule_id}"
    return _atom(request, settings, title, entries)


async def _require_schedule(client: Client, schedule_id: str) -> None:
    try:
        await client.get_schedule_handle(schedule_id).describe()
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            raise HTTPException(status.HTTP_404_NOT_FOUND) from error
        raise


async def _entries(
    request: Request, settings: Settings, client: Client, cache: FinishedBriefings, query: str
) -> list[AtomEntry]:
    runs = [run async for run in client.list_workflows(query, limit=FEED_SIZE)]
    runs.sort(key=lambda run: run.close_time or run.start_time, reverse=True)
    briefings = await cache.many_completed(client, [(run.id, run.run_id) for run in runs])
    return [
        _entry(request, settings, run, briefing)
        for run, briefing in zip(runs, briefings, strict=True)
    ]


def _entry(
    request: Request, settings: Settings, run: WorkflowExecution, briefing: Briefing
) -> AtomEntry:
    return AtomEntry(
        # Run ids are UUIDs: an entry id that stays the same whatever host the feed is read on.
        id=f"urn:uuid:{run.run_id}",
        title=briefing.title,
        link=public_route_link(settings, request, "briefing_page", briefing_id=run.id),
        published=run.start_time,
        updated=run.close_time or briefing.generated_at,
        author=f"briefing ({', '.join(briefing.models)})",
        summary=briefing.lead,
        content_html=render_html("partials/_briefing_article.html", briefing=briefing),
    )


def _atom(request: Request, settings: Settings, title: str, entries: list[AtomEntry]) -> Response:
    path, namespace = request.url.path, settings.temporal_namespace
    feed = AtomFeed(
        id=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'briefing:{namespace}:{path}')}",
        title=title,
        self_link=public_link(settings, path),
        home_link=public_link(settings, "/"),
        entries=entries,
    )
    return Response(render_feed(feed, datetime.now(UTC)), media_type=ATOM_MEDIA_TYPE)
