"""When to kill: the moment a cell names, seen in the history, the server's pending activities
(and their heartbeats), the LLM's request log or the newsroom's downloads in flight, never
guessed by sleeping. bench/matrix/holds.py holds open the moments too quick to see.
"""

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from temporalio.api.enums.v1 import PendingActivityState
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client

from activities.llm.client import Engine, run_header
from activities.llm.live_text import read_live_text
from bench.matrix.cells import PLAIN, Boundary, Cell

POLL_SECONDS = 0.02
# Words the live text must show: the stream has begun, and is still going.
STREAM_WORDS = 3


@dataclass(frozen=True)
class Observers:
    """Where moments are seen: Temporal, the LLM's request log, the newsroom's downloads."""

    client: Client
    llm: httpx.AsyncClient
    newsroom: httpx.AsyncClient


async def wait_for_moment(
    cell: Cell, observers: Observers, briefing_id: str, plain_id: str | None
) -> bool:
    """True once the moment is there; False if it passed unseen (an attempt nothing holds).
    A plain cell's moment is its plain run's (`plain_id`): an LLM call of that run."""
    boundary, client, llm = cell.boundary, observers.client, observers.llm
    if cell.part == PLAIN:
        assert plain_id is not None  # a plain cell runs a comparison
        lead = boundary == Boundary.LEAD_CALL
        await _llm_call_in_flight(llm, run_header(Engine.PLAIN, plain_id), lead=lead)
        return True
    if boundary in (Boundary.SCHEDULED, Boundary.COMPLETED, Boundary.REVIEW_WAIT):
        await _history_shows(client, briefing_id, cell)
    elif boundary == Boundary.STARTED:
        assert cell.activity_id is not None  # activity boundaries name their activity
        started = _pending_started(client, briefing_id, cell.activity_id)
        return await _before_completed(started, client, briefing_id, cell)
    elif boundary == Boundary.DOWNLOAD:
        downloading = _mid_download(observers, briefing_id, cell)
        return await _before_completed(downloading, client, briefing_id, cell)
    elif boundary in (Boundary.SUMMARY_CALL, Boundary.LEAD_CALL):
        label = run_header(Engine.DURABLE, briefing_id)
        await _llm_call_in_flight(llm, label, lead=boundary == Boundary.LEAD_CALL)
    elif boundary == Boundary.SUMMARY_STREAM:
        await _summary_streaming(client, briefing_id)
    return True


async def _before_completed(
    moment: Coroutine[Any, Any, object], client: Client, briefing_id: str, cell: Cell
) -> bool:
    """The moment seen, or the activity's completion seen first: a moment that never comes
    passes unseen (a PDF's read has no mid-download: it stops at the headers)."""
    assert cell.activity_id is not None  # activity boundaries name their activity
    seen = asyncio.ensure_future(moment)
    completion = Cell(cell.part, Boundary.COMPLETED, cell.activity_id)
    completed = asyncio.ensure_future(_history_shows(client, briefing_id, completion))
    done, pending = await asyncio.wait({seen, completed}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    return seen in done


async def _mid_download(observers: Observers, briefing_id: str, cell: Cell) -> None:
    """The newsroom has begun sending the activity's document and not finished it."""
    scheduled = await _history_shows(
        observers.client, briefing_id, Cell(cell.part, Boundary.SCHEDULED, cell.activity_id)
    )
    payloads = scheduled.activity_task_scheduled_event_attributes.input.payloads
    (activity_input,) = await observers.client.data_converter.decode(payloads)
    path = urlsplit(activity_input["url"]).path  # FetchFeedInput's or ReadArticleInput's
    while True:
        response = await observers.newsroom.get("/_admin/requests")
        if response.raise_for_status().json()["downloading"].get(path, 0) > 0:
            return
        await asyncio.sleep(POLL_SECONDS)


async def _history_shows(client: Client, briefing_id: str, cell: Cell) -> HistoryEvent:
    """Long-polls the history (wait_new_event) until the event the cell names arrives."""
    activity_of: dict[int, str] = {}  # scheduled event id -> activity id
    handle = client.get_workflow_handle(briefing_id)
    async for event in handle.fetch_history_events(wait_new_event=True):
        if event.HasField("activity_task_scheduled_event_attributes"):
            scheduled = event.activity_task_scheduled_event_attributes
            activity_of[event.event_id] = scheduled.activity_id
        if is_the_moment(event, cell, activity_of):
            return event
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


async def _summary_streaming(client: Client, briefing_id: str) -> None:
    """A summary's live text shows words: what a viewer of the page sees being written."""
    handle = client.get_workflow_handle(briefing_id)
    started = PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
    while True:
        description = await handle.describe()
        for pending in description.raw_description.pending_activities:
            details = pending.heartbeat_details.payloads
            if not (pending.activity_id.startswith("summarize-") and pending.state == started):
                continue
            live = read_live_text(await client.data_converter.decode(details)) if details else None
            if live is not None and len(live.text.split()) >= STREAM_WORDS:
                return
        await asyncio.sleep(POLL_SECONDS)


async def _llm_call_in_flight(llm: httpx.AsyncClient, run_label: str, *, lead: bool) -> None:
    while True:
        for entry in await logged_calls(llm, run_label):
            is_lead = entry["articles"] > 1
            if entry["status"] is None and is_lead == lead:
                return
        await asyncio.sleep(POLL_SECONDS)


async def run_requests(llm: httpx.AsyncClient, briefing_id: str) -> list[dict]:
    """The LLM's log of this briefing's calls, oldest first."""
    return await logged_calls(llm, run_header(Engine.DURABLE, briefing_id))


async def logged_calls(llm: httpx.AsyncClient, run_label: str) -> list[dict]:
    """The LLM's log of the calls one run made (its X-Briefing-Run), oldest first."""
    response = await llm.get("/_admin/requests", params={"run": run_label})
    response.raise_for_status()
    return response.json()
