"""/schedules: create scheduled briefings, list them live, pause, resume, run now and delete.

Every action answers htmx with the re-rendered list, and a plain form with a 303 to /schedules,
so the page works without JavaScript too.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from temporalio.client import Client

from core.temporal_errors import TemporalUnavailable, temporal_call
from web.deps import AppSettings, TemporalClient
from web.error_pages import error_page
from web.form_flow import Banner
from web.htmx import is_htmx
from web.limits.visitors import StartCharge, take_start_token
from web.page_context import render_page
from web.schedules.form import SCHEDULE_FORM, ScheduleForm
from web.schedules.listing import ScheduleListCache
from web.schedules.plan import SchedulePlan
from web.schedules.service import (
    ScheduleNotFound,
    create_schedule,
    delete_schedule,
    pause_schedule,
    resume_schedule,
    schedule_id_for,
    trigger_schedule,
)

router = APIRouter(prefix="/schedules", tags=["schedules"])

NOTHING_CHANGED = Banner("error", "Temporal is unreachable, so nothing was changed. Try again.")
GONE = Banner("warn", "That schedule no longer exists: it was deleted elsewhere.")
PAUSED = Banner("ok", "Paused: no briefing starts until it is resumed.")
RESUMED = Banner("ok", "Resumed: the next run is as listed.")
TRIGGERED = Banner(
    "ok",
    "Started now: its briefing shows under “Last run” in a moment "
    "(unless its previous briefing is still running).",
)
DELETED = Banner("ok", "Deleted: no more runs. The briefings it started are kept.")


def schedule_list_cache(request: Request) -> ScheduleListCache:
    """One per web process, made on first use."""
    state = request.app.state
    if not hasattr(state, "schedule_list"):
        state.schedule_list = ScheduleListCache()
    return state.schedule_list


ListCache = Annotated[ScheduleListCache, Depends(schedule_list_cache)]


@router.get("", response_class=HTMLResponse)
async def schedules_page(request: Request, client: TemporalClient, cache: ListCache) -> Response:
    schedules = await cache.get(client)
    return render_page(request, "schedules.html", form=ScheduleForm(), schedules=schedules)


@router.get("/list", response_class=HTMLResponse)
async def schedule_list(request: Request, client: TemporalClient, cache: ListCache) -> Response:
    schedules = await cache.get(client)
    return render_page(request, "partials/_schedule_list.html", schedules=schedules)


@router.post("", response_class=HTMLResponse)
async def submit_schedule(
    request: Request, client: TemporalClient, settings: AppSettings, cache: ListCache
) -> Response:
    form = await ScheduleForm.submitted(request)

    async def create(plan: SchedulePlan, _: StartCharge) -> Response:
        schedule_id = schedule_id_for(form.idempotency_key)
        await create_schedule(client, settings, plan, schedule_id)
        cache.invalidate(created=schedule_id)
        if not is_htmx(request.headers):
            return RedirectResponse("/schedules", status_code=status.HTTP_303_SEE_OTHER)
        # A fresh form in place of this one, and the list (out of band) with the new schedule.
        fresh = ScheduleForm(banner=Banner("ok", f"Scheduled “{plan.topic}”: {plan.in_words()}."))
        schedules = await cache.get(client)
        return render_page(
            request, "partials/_schedule_created.html", form=fresh, schedules=schedules, oob=True
        )

    async def schedules_around() -> dict[str, Any]:
        return {"schedules": await cache.get(client)}

    return await SCHEDULE_FORM.submit(request, form, create, schedules_around)


@dataclass
class ListAction:
    """A button of the list: one call to Temporal, then the list as it is now, with a notice."""

    request: Request
    client: TemporalClient
    cache: ListCache

    async def apply(
        self, schedule_id: str, act: Callable[[Client, str], Awaitable[None]], done: Banner
    ) -> Response:
        htmx = is_htmx(self.request.headers)
        notice, code = done, status.HTTP_200_OK
        try:
            async with temporal_call():
                await act(self.client, schedule_id)
        except ScheduleNotFound:
            if not htmx:
                message = f"No schedule has the id “{schedule_id}”."
                return error_page(
                    self.request, status.HTTP_404_NOT_FOUND, message, title="Schedule not found"
                )
            notice = GONE  # htmx swaps no 404: show the list as it is now, and say why
        except TemporalUnavailable:
            if not htmx:
                raise  # the app's 503 page
            notice, code = NOTHING_CHANGED, status.HTTP_503_SERVICE_UNAVAILABLE
        self.cache.invalidate()
        if not htmx:
            return RedirectResponse("/schedules", status_code=status.HTTP_303_SEE_OTHER)
        schedules = await self.cache.get(self.client)
        return render_page(
            self.request,
            "partials/_schedule_list.html",
            status_code=code,
            schedules=schedules,
            notice=notice,
        )


Act = Annotated[ListAction, Depends()]


@router.post("/{schedule_id}/pause", response_class=HTMLResponse)
async def pause(schedule_id: str, action: Act) -> Response:
    return await action.apply(schedule_id, pause_schedule, PAUSED)


@router.post("/{schedule_id}/resume", response_class=HTMLResponse)
async def resume(schedule_id: str, action: Act) -> Response:
    return await action.apply(schedule_id, resume_schedule, RESUMED)


@router.post("/{schedule_id}/trigger", response_class=HTMLResponse)
async def trigger(schedule_id: str, action: Act) -> Response:
    # "Run now" starts a briefing: it costs a start, whatever comes of it (or the app's 429).
    take_start_token(action.request)
    return await action.apply(schedule_id, trigger_schedule, TRIGGERED)


@router.post("/{schedule_id}/delete", response_class=HTMLResponse)
async def delete(schedule_id: str, action: Act) -> Response:
    return await action.apply(schedule_id, delete_schedule, DELETED)
