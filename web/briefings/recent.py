"""The home page's recent briefings: one Temporal call per 2 s per process, however many viewers."""

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.requests import Request
from temporalio.client import Client

from core.temporal_errors import TemporalUnavailable, temporal_call
from web.briefings.schemas import BriefingList
from web.briefings.service import list_briefings
from web.time_text import age, duration

TTL_SECONDS = 2.0


class RecentBriefingsCache:
    """Every viewer polls every 3 s; they share one answer, and one fetch while it is in flight.

    "Temporal is unreachable" is cached too, so an outage does not multiply the calls either.
    """

    def __init__(
        self,
        list_recent: Callable[[Client], Awaitable[BriefingList]] = list_briefings,
        ttl_seconds: float = TTL_SECONDS,
    ) -> None:
        self._list_recent = list_recent
        self._ttl = ttl_seconds
        self._fetched_at = -math.inf
        self._outcome: BriefingList | TemporalUnavailable | None = None
        self._in_flight: asyncio.Task[None] | None = None

    async def get(self, client: Client) -> BriefingList:
        if self._outcome is None or time.monotonic() - self._fetched_at >= self._ttl:
            if self._in_flight is None:
                self._in_flight = asyncio.create_task(self._fetch(client))
            # Shielded: a viewer who leaves does not cancel the fetch the others wait for.
            await asyncio.shield(self._in_flight)
        outcome = self._outcome
        assert outcome is not None, "a finished fetch always leaves an outcome"
        if isinstance(outcome, TemporalUnavailable):
            raise TemporalUnavailable(str(outcome))
        return outcome

    async def _fetch(self, client: Client) -> None:
        try:
            async with temporal_call():
                self._outcome = await self._list_recent(client)
        except TemporalUnavailable as error:
            self._outcome = error
        finally:
            self._fetched_at = time.monotonic()
            self._in_flight = None


@dataclass(frozen=True)
class RecentRow:
    id: str
    topic: str
    status: str
    age: str
    duration: str


@dataclass(frozen=True)
class RecentBriefings:
    rows: list[RecentRow]
    temporal_error: str | None = None


def recent_rows(listing: BriefingList, now: datetime | None = None) -> list[RecentRow]:
    now = now or datetime.now(UTC)
    return [
        RecentRow(
            id=item.id,
            topic=item.topic,
            status=item.status.value,
            age=age(item.started_at, now),
            duration=duration(item.duration_seconds),
        )
        for item in listing.briefings
    ]


async def recent_for_page(request: Request, client: Client) -> RecentBriefings:
    """The list as the home page shows it: when Temporal is down, empty and saying so."""
    cache: RecentBriefingsCache = request.app.state.recent_briefings
    try:
        return RecentBriefings(recent_rows(await cache.get(client)))
    except TemporalUnavailable as error:
        return RecentBriefings([], temporal_error=str(error))
