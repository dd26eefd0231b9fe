"""The results of completed briefings, fetched once per web process: a closed run never changes."""

import asyncio
from collections import OrderedDict

from fastapi import Request
from temporalio.client import Client

from activities.models import Briefing
from core.domain import RunStatus
from web.briefings.closed_run import read_closed_run, run_result
from web.briefings.service import describe_briefing

CACHED_RESULTS = 200


class BriefingNotFinished(Exception):
    """The briefing exists but has no result to export: still running, or it did not complete."""

    def __init__(self, briefing_id: str, status: RunStatus) -> None:
        super().__init__(f"{briefing_id} is {status.value}")
        self.briefing_id = briefing_id
        self.status = status


class FinishedBriefings:
    """Results by workflow id, least recently used dropped first; safe because ids are never
    reused (REJECT_DUPLICATE) and a completed run's result is final."""

    def __init__(self, capacity: int = CACHED_RESULTS) -> None:
        self._capacity = capacity
        self._results: OrderedDict[str, Briefing] = OrderedDict()

    def get(self, workflow_id: str) -> Briefing | None:
        briefing = self._results.get(workflow_id)
        if briefing is not None:
            self._results.move_to_end(workflow_id)
        return briefing

    def put(self, workflow_id: str, briefing: Briefing) -> None:
        self._results[workflow_id] = briefing
        self._results.move_to_end(workflow_id)
        while len(self._results) > self._capacity:
            self._results.popitem(last=False)

    async def completed(self, client: Client, workflow_id: str, run_id: str | None) -> Briefing:
        """The result of a run already known to be completed."""
        cached = self.get(workflow_id)
        if cached is not None:
            return cached
        briefing = (await run_result(client, workflow_id, run_id)).briefing
        self.put(workflow_id, briefing)
        return briefing

    async def many_completed(
        self, client: Client, runs: list[tuple[str, str | None]]
    ) -> list[Briefing]:
        return list(await asyncio.gather(*(self.completed(client, *run) for run in runs)))


def finished_briefings(request: Request) -> FinishedBriefings:
    # Made on first use, so the app's lifespan stays as it is; one per app, shared by all routes.
    state = request.app.state
    cache = getattr(state, "finished_briefings", None)
    if cache is None:
        cache = state.finished_briefings = FinishedBriefings()
    return cache


async def finished_briefing(client: Client, cache: FinishedBriefings, briefing_id: str) -> Briefing:
    """BriefingNotFound for an unknown id, BriefingNotFinished unless the run completed."""
    cached = cache.get(briefing_id)
    if cached is not None:
        return cached
    closed = await read_closed_run(client, await describe_briefing(client, briefing_id))
    if closed is None or closed.briefing is None:
        raise BriefingNotFinished(briefing_id, closed.status if closed else RunStatus.RUNNING)
    cache.put(briefing_id, closed.briefing)
    return closed.briefing
