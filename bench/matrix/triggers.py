"""When to kill: the moment a cell names, seen in the history, the server's pending activities
or the LLM's request log, never guessed by sleeping.

A moment that would pass too fast to see (an activity started against a server that answers in
a millisecond) is held open from the outside, as the rest of the project injects faults: the
newsroom answers late (its `timeout` fault) or the LLM does (its `hang` fault). Both answer
normally once the time is up, so the content is the same.
"""

import asyncio

import httpx
from temporalio.api.enums.v1 import PendingActivityState
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client

from bench.matrix.cells import Boundary, Cell

POLL_SECONDS = 0.02
# Long enough to see and kill, short against every heartbeat timeout (5 s and more).
HOLD_SECONDS = 1.5


class Holds:
    """The faults that hold a cell's moment open, armed before its briefing starts."""

    def __init__(self, newsroom: httpx.AsyncClient, llm: httpx.AsyncClient) -> None:
        self._newsroom = newsroom
        self._llm = llm

    async def arm(self, cell: Cell) -> None:
        activity = cell.activity_id or ""
        if cell.boundary == Boundary.SUMMARY_CALL:
            await self._hold_llm(count=1)  # one call in flight, the others answered at once
        elif cell.boundary == Boundary.LEAD_CALL:
            await self._hold_llm(count=None)
        elif cell.boundary == Boundary.STARTED:
            if activity.startswith(("summarize-", "compose")):
                await self._hold_llm(count=None)
            else:
                target = "feed" if activity.startswith("fetch-") else "pages"
                fault = {"feed": "*", "mode": "timeout", "target": target, "seconds": HOLD_SECONDS}
                (await self._newsroom.post("/_admin/faults", json=fault)).raise_for_status()

    async def _hold_llm(self, *, count: int | None) -> None:
        fault = {"mode": "hang", "seconds": HOLD_SECONDS, "count": count}
        (await self._llm.post("/_admin/faults", json=fault)).raise_for_status()

    async def release(self) -> None:
        """Every hold off: the attempts after the kill run at full speed. The LLM may be the
        part just killed (a new one has no faults), so its answer is not required."""
        (await self._newsroom.delete("/_admin/faults")).raise_for_status()
        try:
            await self._llm.delete("/_admin/faults")
        except httpx.TransportError:
            pass


async def wait_for_moment(
    cell: Cell, client: Client, llm: httpx.AsyncClient, briefing_id: str
) -> bool:
    """True once the moment is there; False if it passed unseen (an attempt nothing holds)."""
    boundary = cell.boundary
    if boundary in (Boundary.SCHEDULED, Boundary.COMPLETED, Boundary.REVIEW_WAIT):
        await _history_shows(client, briefing_id, cell)
    elif boundary == Boundary.STARTED:
        return await _started_before_completed(client, briefing_id, cell)
    elif boundary in (Boundary.SUMMARY_CALL, Boundary.LEAD_CALL):
        await _llm_call_in_flight(llm, briefing_id, lead=boundary == Boundary.LEAD_CALL)
    return True


async def _started_before_completed(client: Client, briefing_id: str, cell: Cell) -> bool:
    """The attempt seen started, or its completion seen first: the newsroom holds pages but
    not PDFs, whose read is over in tens of milliseconds, between two polls."""
    assert cell.activity_id is not None  # activity boundaries name their activity
    started = asyncio.ensure_future(_pending_started(client, briefing_id, cell.activity_id))
    completion = Cell(cell.part, Boundary.COMPLETED, cell.activity_id)
    completed = asyncio.ensure_future(_history_shows(client, briefing_id, completion))
    done, pending = await asyncio.wait({started, completed}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    return started in done


async def _history_shows(client: Client, briefing_id: str, cell: Cell) -> None:
    """Long-polls the history (wait_new_event) until the event the cell names arrives."""
    activity_of: dict[int, str] = {}  # scheduled event id -> activity id
    handle = client.get_workflow_handle(briefing_id)
    async for event in handle.fetch_history_events(wait_new_event=True):
        if event.HasField("activity_task_scheduled_event_attributes"):
            scheduled = event.activity_task_scheduled_event_attributes
            activity_of[event.event_id] = scheduled.activity_id
        if is_the_moment(event, cell, activity_of):
            return
    raise RuntimeError(f"{briefing_id} closed before {cell.name}")


def is_the_moment(event: HistoryEvent, cell: Cell, activity_of: dict[int, str]) -> bool:
    if cell.boundary == Boundary.SCHEDULED:
        return activity_of.get(event.event_id) == cell.activity_id
    if cell.boundary == Boundary.COMPLETED:
        if not event.HasField("activity_task_completed_event_attributes"):
            return False
        completed = event.activity_task_completed_event_attributes
        return activity_of.get(completed.scheduled_event_id) == cell.activity_id
    # The review step's wait_condition has a timeout: its timer is the wait's start.
    return event.HasField("timer_started_event_attributes")


async def _pending_started(client: Client, briefing_id: str, activity_id: str) -> None:
    handle = client.get_workflow_handle(briefing_id)
    started = PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
    while True:
        description = await handle.describe()
        pending = description.raw_description.pending_activities
        if any(a.activity_id == activity_id and a.state == started for a in pending):
            return
        await asyncio.sleep(POLL_SECONDS)


async def _llm_call_in_flight(llm: httpx.AsyncClient, briefing_id: str, *, lead: bool) -> None:
    while True:
        for entry in await run_requests(llm, briefing_id):
            is_lead = entry["articles"] > 1
            if entry["status"] is None and is_lead == lead:
                return
        await asyncio.sleep(POLL_SECONDS)


async def run_requests(llm: httpx.AsyncClient, briefing_id: str) -> list[dict]:
    """The LLM's log of this briefing's calls (its X-Briefing-Run), oldest first."""
    response = await llm.get("/_admin/requests", params={"run": f"durable:{briefing_id}"})
    response.raise_for_status()
    return response.json()
