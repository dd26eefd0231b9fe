"""/schedules: create scheduled briefings, list them live, pause, resume, run now and delete.

Every action answers htmx with the re-rendered list, and a plain form with a 303 to /schedules,
so the page works without JavaScript too.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from temporalio.client import Client

from core.temporal_errors import TemporalUnavailable, temporal_call
from web.briefings.form import Banner
from web.deps import AppSettings, TemporalClient
from web.error_pages import error_page
from web.htmx import is_htmx
from web.limits.rates import RateLimited
from web.limits.visitors import not_started_yet, retry_after, start_charge, take_start_token
from web.page_context import render_page
from web.schedules.form import ScheduleForm
from web.schedules.listing import ScheduleListCache
from web.schedules.service import (
    ScheduleConflict,
    ScheduleNotFound,
    ScheduleRejected,
    create_schedule,
    delete_schedule,
    pause_schedule,
    resume_schedule,
    schedule_id_for,
    trigger_schedule,
)
from web.submitted_form import new_idempotency_key

router = APIRouter(prefix="/schedules", tags=["schedules"])
INVALID = status.HTTP_422_UNPROCESSABLE_CONTENT
TOO_MANY = status.HTTP_429_TOO_MANY_REQUESTS

TEMPORAL_DOWN = Banner(
    "error",
    "Temporal is unreachable, so the schedule was not created. "
    "Your choices are kept: submit again in a moment.",
)
KEY_REUSED = Banner(
    "warn", "This form already created a different schedule. Check your choices and submit again."
)
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
    plan = form.validate()
    if plan is None:
        return await _form_again(request, client, cache, form, INVALID)
    schedule_id = schedule_id_for(form.idempotency_key)
    try:
        with start_charge(request):
            async with temporal_call():
                await create_schedule(client, settings, plan, schedule_id)
    except RateLimited as error:
        form.banner = Banner("error", not_started_yet(error))
        return await _form_again(request, client, cache, form, TOO_MANY, retry_after(error))
    except TemporalUnavailable:
        form.banner = TEMPORAL_DOWN
        return await _form_again(request, client, cache, form, status.HTTP_503_SERVICE_UNAVAILABLE)
    except ScheduleConflict:
        form.banner, form.idempotency_key = KEY_REUSED, new_idempotency_key()
        return await _form_again(request, client, cache, form, status.HTTP_409_CONFLICT)
    except ScheduleRejected as error:
        form.banner = Banner("error", f"Temporal refused this schedule: {error}")
        return await _form_again(request, client, cache, form, INVALID)
    cache.invalidate(created=schedule_id)
    if not is_htmx(request.headers):
        return RedirectResponse("/schedules", status_code=status.HTTP_303_SEE_OTHER)
    # A fresh form in place of this one, and the list (out of band) with the new schedule in it.
    fresh = ScheduleForm(banner=Banner("ok", f"Scheduled “{plan.topic}”: {plan.in_words()}."))
    schedules = await cache.get(client)
    return render_page(
        request, "partials/_schedule_created.html", form=fresh, schedules=schedules, oob=True
    )


async def _form_again(
    request: Request,
    client: Client,
    cache: ScheduleListCache,
    form: ScheduleForm,
    code: int,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """htmx swaps the form in place; without JavaScript the whole page comes back."""
    answer = {"status_code": code, "headers": headers, "form": form}
    if is_htmx(request.headers):
        return render_page(request, "partials/_schedule_form.html", **answer)
    schedules = await cache.get(client)
    return render_page(request, "schedules.html", schedules=schedules, **answer)


@router.post("/{schedule_id}/pause", response_class=HTMLResponse)
async def pause(
    request: Request, schedule_id: str, client: TemporalClient, cache: ListCache
) -> Response:
    return await _act(request, client, cache, schedule_id, pause_schedule, PAUSED)


@router.post("/{schedule_id}/resume", response_class=HTMLResponse)
async def resume(
    request: Request, schedule_id: str, client: TemporalClient, cache: ListCache
) -> Response:
    return await _act(request, client, cache, schedule_id, resume_schedule, RESUMED)


@router.post("/{schedule_id}/trigger", response_class=HTMLResponse)
async def trigger(
    request: Request, schedule_id: str, client: TemporalClient, cache: ListCache
) -> Response:
    # "Run now" starts a briefing: it costs a start, whatever comes of it (or the app's 429).
    take_start_token(request)
    return await _act(request, client, cache, schedule_id, trigger_schedule, TRIGGERED)


@router.post("/{schedule_id}/delete", response_class=HTMLResponse)
async def delete(
    request: Request, schedule_id: str, client: TemporalClient, cache: ListCache
) -> Response:
    return await _act(request, client, cache, schedule_id, delete_schedule, DELETED)


async def _act(
    request: Request,
    client: Client,
    cache: ScheduleListCache,
    schedule_id: str,
    act: Callable[[Client, str], Awaitable[None]],
    done: Banner,
) -> Response:
    htmx = is_htmx(request.headers)
    notice, code = done, status.HTTP_200_OK
    try:
        async with temporal_call():
            await act(client, schedule_id)
    except ScheduleNotFound:
        if not htmx:
            message = f"No schedule has the id “{schedule_id}”."
            return error_page(
                request, status.HTTP_404_NOT_FOUND, message, title="Schedule not found"
            )
        notice = GONE  # htmx swaps no 404: show the list as it is now, and say why
    except TemporalUnavailable:
        if not htmx:
            raise  # the app's 503 page
        notice, code = NOTHING_CHANGED, status.HTTP_503_SERVICE_UNAVAILABLE
    cache.invalidate()
    if not htmx:
        return RedirectResponse("/schedules", status_code=status.HTTP_303_SEE_OTHER)
    schedules = await cache.get(client)
    return render_page(
        request,
        "partials/_schedule_list.html",
        status_code=code,
        schedules=schedules,
        notice=notice,
    )
