"""The /schedules list: each schedule in words, its next and last run, read once per process.

Every viewer polls every 5 s; they share one answer (and one fetch while it is in flight), so
the calls to Temporal do not grow with viewers. A change made here drops the cached answer.
"""

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pydantic import ValidationError
from temporalio.client import Client, ScheduleActionExecutionStartWorkflow, ScheduleDescription

from core.temporal_errors import TemporalUnavailable, temporal_call
from web.schedules.plan import SchedulePlan
from web.schedules.service import describe_all, plan_of

TTL_SECONDS = 4.0
# How long a new schedule may take to appear in Temporal's (eventually consistent) listing.
LISTING_LAG_SECONDS = 60.0


@dataclass(frozen=True)
class LastRun:
    briefing_id: str
    started: str
    running: bool


@dataclass(frozen=True)
class ScheduleRow:
    id: str
    topic: str
    when: str
    paused: bool
    note: str
    next_run: str | None
    last_run: LastRun | None
    skipped: int  # runs not started because the previous one was still running
    missed: int  # runs not started because Temporal was away longer than the catch-up window


@dataclass(frozen=True)
class ScheduleList:
    rows: list[ScheduleRow]
    temporal_error: str | None = None


async def schedule_row(description: ScheduleDescription) -> ScheduleRow | None:
    try:
        plan = await plan_of(description)
    except ValidationError:
        return None  # not made by this app: its memo holds no plan
    info, state = description.info, description.schedule.state
    return ScheduleRow(
        id=description.id,
        topic=plan.topic,
        when=plan.in_words(),
        paused=state.paused,
        note=state.note or "",
        next_run=None
        if state.paused or not info.next_action_times
        else plan.local_time(info.next_action_times[0]),
        last_run=_last_run(description, plan),
        skipped=info.num_actions_skipped_overlap,
        missed=info.num_actions_missed_catchup_window,
    )


def _last_run(description: ScheduleDescription, plan: SchedulePlan) -> LastRun | None:
    info = description.info
    if not info.recent_actions:
        return None
    last = info.recent_actions[-1]
    if not isinstance(last.action, ScheduleActionExecutionStartWorkflow):
        return None
    running = any(
        isinstance(action, ScheduleActionExecutionStartWorkflow)
        and action.workflow_id == last.action.workflow_id
        for action in info.running_actions
    )
    return LastRun(
        briefing_id=last.action.workflow_id,
        started=plan.local_time(last.started_at),
        running=running,
    )


async def fetch_rows(client: Client, also: list[str]) -> list[ScheduleRow]:
    descriptions = sorted(await describe_all(client, also), key=_newest_first)
    rows = [await schedule_row(description) for description in descriptions]
    return [row for row in rows if row is not None]


def _newest_first(description: ScheduleDescription) -> float:
    created = description.info.created_at
    return -created.timestamp() if created else 0.0


Outcome = list[ScheduleRow] | TemporalUnavailable


class ScheduleListCache:
    def __init__(
        self,
        fetch: Callable[[Client, list[str]], Awaitable[list[ScheduleRow]]] = fetch_rows,
        ttl_seconds: float = TTL_SECONDS,
    ) -> None:
        self._fetch_rows = fetch
        self._ttl = ttl_seconds
        self._fetched_at = -math.inf
        self._outcome: Outcome | None = None
        self._in_flight: asyncio.Task[Outcome] | None = None
        self._created: dict[str, float] = {}

    def invalidate(self, created: str | None = None) -> None:
        """After a change. `created`: a new schedule's id, described until the listing has it."""
        if created is not None:
            self._created[created] = time.monotonic()
        # A fetch begun before the change may miss it: the next reader starts a new one.
        self._outcome = None
        self._in_flight = None

    def _recently_created(self) -> list[str]:
        # Only a hint of which ids to describe: Temporal still says whether each exists.
        horizon = time.monotonic() - LISTING_LAG_SECONDS
        self._created = {key: at for key, at in self._created.items() if at > horizon}
        return list(self._created)

    async def get(self, client: Client) -> ScheduleList:
        outcome = self._outcome
        if outcome is None or time.monotonic() - self._fetched_at >= self._ttl:
            if self._in_flight is None:
                self._in_flight = asyncio.create_task(self._fetch(client))
            # Shielded: a viewer who leaves does not cancel the fetch the others wait for.
            outcome = await asyncio.shield(self._in_flight)
        if isinstance(outcome, TemporalUnavailable):
            return ScheduleList([], temporal_error=str(outcome))
        return ScheduleList(outcome)

    async def _fetch(self, client: Client) -> Outcome:
        outcome: Outcome
        try:
            async with temporal_call():
                outcome = await self._fetch_rows(client, self._recently_created())
        except TemporalUnavailable as error:
            outcome = error  # cached too: an outage does not multiply the calls either
        finally:
            still_current = self._in_flight is asyncio.current_task()
            if still_current:
                self._in_flight = None
        if still_current:
            self._outcome, self._fetched_at = outcome, time.monotonic()
        return outcome
