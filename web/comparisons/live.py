"""A comparison's columns over server-sent events, re-rendered each time either side moves.

Neither side has one stream to follow (the plain agent keeps its progress in memory), so this
reads the comparison as the page does, twice a second: a process that dies shows within a
second, and a new web process picks up where the old one left off (nothing is kept here).
The words each side's LLM steps are writing come with each read, so they too move twice a
second here (the briefing page's own stream sends them ten times a second).
"""

import asyncio
from collections.abc import AsyncIterator

import httpx

from core.temporal_errors import TemporalUnavailable, temporal_call
from web.comparisons.models import comparison_columns
from web.comparisons.schemas import ComparisonView
from web.comparisons.service import Comparisons
from web.live.rendering import RECONNECT_MILLISECONDS, Frame
from web.page_context import render_html

POLL_SECONDS = 0.5
COLUMNS = "partials/comparisons/_columns.html"
STREAM_STATUS = "partials/comparisons/_stream_status.html"


async def column_frames(comparisons: Comparisons, first: ComparisonView) -> AsyncIterator[Frame]:
    """`columns` whenever they change, `status` while they cannot be read, `close` at the end."""
    view: ComparisonView | None = first
    problem: str | None = None
    sent: dict[str, str] = {"status": render_html(STREAM_STATUS, problem=None)}
    while True:
        if view is not None:
            html = render_html(COLUMNS, columns=comparison_columns(view))
            if sent.get("columns") != html:
                sent["columns"] = html
                yield _frame("columns", html)
            if view.finished:
                yield _frame("close", "finished")
                return
        status = render_html(STREAM_STATUS, problem=problem)
        if sent["status"] != status:
            sent["status"] = status
            yield _frame("status", status)
        await asyncio.sleep(POLL_SECONDS)
        view, problem = await _read(comparisons, first.id)


async def _read(
    comparisons: Comparisons, comparison_id: str
) -> tuple[ComparisonView | None, str | None]:
    """The comparison now, or why it cannot be read (the page keeps what it last showed)."""
    try:
        async with temporal_call():
            return await comparisons.view(comparison_id), None
    except TemporalUnavailable:
        return None, "Temporal is unreachable: the comparison carries on when it is back."
    except httpx.HTTPError as error:
        return None, f"The plain agent could not be read ({type(error).__name__})."


def _frame(event: str, data: str) -> Frame:
    return {"event": event, "data": data, "retry": RECONNECT_MILLISECONDS}
