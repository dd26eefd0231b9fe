"""Scheduled briefings as Temporal Schedules: create, describe, pause, resume, trigger, delete.

Temporal owns the schedule and its history; this module only translates. Overlap policy SKIP:
a run is not started while the same schedule's previous briefing is still running (e.g. waiting
for an editor). Catch-up window of an hour: a run missed during a short outage still starts
when Temporal is back; one missed by longer is skipped, as a stale briefing helps nobody.
"""

import asyncio
import hashlib
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleDescription,
    ScheduleHandle,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
)
from temporalio.service import RPCError, RPCStatusCode

from core.settings import Settings
from web.briefings.ids import ID_PREFIX, request_fingerprint
from web.briefings.service import briefing_request
from web.schedules.plan import SchedulePlan
from workflows.briefing import BriefingWorkflow
from workflows.task_timeout import WORKFLOW_TASK_TIMEOUT

SCHEDULE_ID_PREFIX = "schedule-"
OVERLAP_POLICY = ScheduleOverlapPolicy.SKIP
CATCHUP_WINDOW = timedelta(hours=1)
PAUSED_NOTE = "paused from the web page"
RESUMED_NOTE = "resumed from the web page"
_OURS = f"ScheduleId STARTS_WITH '{SCHEDULE_ID_PREFIX}'"


class ScheduleNotFound(LookupError):
    pass


class ScheduleConflict(ValueError):
    """The form's key already created a schedule with another plan."""


class ScheduleRejected(ValueError):
    """Temporal refused the schedule, e.g. a time zone its own database lacks."""


def schedule_id_for(idempotency_key: str) -> str:
    # One id per rendered form: submitting it twice creates one schedule, not two.
    return f"{SCHEDULE_ID_PREFIX}{hashlib.sha256(idempotency_key.encode()).hexdigest()[:8]}"


def run_id_prefix(schedule_id: str) -> str:
    """Temporal appends each run's time: briefing-sched-1a2b3c4d-2026-11-30T06:00:00Z."""
    return f"{ID_PREFIX}sched-{schedule_id.removeprefix(SCHEDULE_ID_PREFIX)}"


def _schedule(settings: Settings, plan: SchedulePlan, schedule_id: str) -> Schedule:
    # No editor review (the default): nobody is at the page when a schedule fires.
    request = briefing_request(settings, plan.topic, plan.max_stories)
    action = ScheduleActionStartWorkflow(
        BriefingWorkflow.run,
        request,
        id=run_id_prefix(schedule_id),
        task_queue=settings.task_queue,
        memo={"topic": request.topic, "fingerprint": request_fingerprint(request)},
        static_summary=f"Scheduled briefing: {request.topic}",
        task_timeout=WORKFLOW_TASK_TIMEOUT,
    )
    return Schedule(
        action=action,
        spec=ScheduleSpec(calendars=[plan.calendar()], time_zone_name=plan.time_zone),
        policy=SchedulePolicy(overlap=OVERLAP_POLICY, catchup_window=CATCHUP_WINDOW),
    )


async def create_schedule(
    client: Client, settings: Settings, plan: SchedulePlan, schedule_id: str
) -> None:
    """Creates it, or finds it already made by the same form with the same plan."""
    try:
        await client.create_schedule(
            schedule_id,
            _schedule(settings, plan, schedule_id),
            memo=plan.model_dump(mode="json"),
        )
    except ScheduleAlreadyRunningError:
        if await plan_of(await describe_schedule(client, schedule_id)) != plan:
            raise ScheduleConflict(schedule_id) from None
    except RPCError as error:
        if error.status == RPCStatusCode.INVALID_ARGUMENT:
            raise ScheduleRejected(error.message) from error
        raise


async def plan_of(description: ScheduleDescription) -> SchedulePlan:
    return SchedulePlan.model_validate(await description.memo())


@asynccontextmanager
async def _existing(client: Client, schedule_id: str) -> AsyncIterator[ScheduleHandle]:
    """The schedule's handle; ScheduleNotFound for an id that is not (or no longer) ours."""
    if not schedule_id.startswith(SCHEDULE_ID_PREFIX):
        raise ScheduleNotFound(schedule_id)
    try:
        yield client.get_schedule_handle(schedule_id)
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            raise ScheduleNotFound(schedule_id) from error
        raise


async def describe_schedule(client: Client, schedule_id: str) -> ScheduleDescription:
    async with _existing(client, schedule_id) as handle:
        return await handle.describe()


async def describe_all(client: Client, also: Iterable[str] = ()) -> list[ScheduleDescription]:
    """Ours, described: fresher than the list's visibility data, with the runs in flight.

    `also`: ids just created, which the listing (eventually consistent) may not show yet.
    """
    ids = [entry.id async for entry in await client.list_schedules(_OURS)]
    ids += [schedule_id for schedule_id in also if schedule_id not in ids]
    found = await asyncio.gather(
        *(_described_if_still_there(client, schedule_id) for schedule_id in ids)
    )
    return [description for description in found if description is not None]


async def _described_if_still_there(client: Client, schedule_id: str) -> ScheduleDescription | None:
    try:
        return await describe_schedule(client, schedule_id)
    except ScheduleNotFound:
        return None  # deleted since the listing, which lags a little


async def pause_schedule(client: Client, schedule_id: str) -> None:
    async with _existing(client, schedule_id) as handle:
        await handle.pause(note=PAUSED_NOTE)


async def resume_schedule(client: Client, schedule_id: str) -> None:
    async with _existing(client, schedule_id) as handle:
        await handle.unpause(note=RESUMED_NOTE)


async def trigger_schedule(client: Client, schedule_id: str) -> None:
    """Runs it now; the overlap policy holds here too: skipped while the last one still runs."""
    async with _existing(client, schedule_id) as handle:
        await handle.trigger()


async def delete_schedule(client: Client, schedule_id: str) -> None:
    """Future runs stop; briefings already started run on."""
    async with _existing(client, schedule_id) as handle:
        await handle.delete()
