"""The web app on loopback, driven like a browser: cookies kept, forms read and posted back."""

import html
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from core.settings import Settings
from testing.polling import wait_for_async
from testing.servers import serve_in_thread
from web.app import create_app

HTMX = {"HX-Request": "true"}
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
_CHECKED = re.compile(r'<input type="checkbox" name="sources" value="([^"]+)" checked>')


@asynccontextmanager
async def browser(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    # Async on purpose: the in-process worker and Temporal client share the test's event loop.
    with serve_in_thread(create_app(settings)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=15) as client:
            yield client


def hidden_fields(page: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in _HIDDEN.findall(page)}


def checked_sources(page: str) -> list[str]:
    return [html.unescape(url) for url in _CHECKED.findall(page)]


async def filled_in_form(web: httpx.AsyncClient, **values: str | list[str]) -> dict:
    """The home page's form as a person leaves it: defaults, hidden fields, then `values`."""
    page = (await web.get("/")).text
    return {
        **hidden_fields(page),
        "sources": checked_sources(page),
        "max_stories": "8",
        **values,
    }


def field_error(page: str, field: str) -> str | None:
    found = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    return html.unescape(found.group(1)) if found else None


def finished(body: dict) -> bool:
    return body["status"] != "running"


async def briefing_when(
    web: httpx.AsyncClient, briefing_id: str, condition, *, timeout: float = 60.0
) -> dict:
    """Poll the API, 10 times a second, until the briefing satisfies `condition`."""

    async def body() -> dict:
        return (await web.get(f"/api/briefings/{briefing_id}")).json()

    return await wait_for_async(body, timeout, f"{briefing_id} as awaited", until=condition)


async def cancel_requested(temporal_client: Client, briefing_id: str) -> bool:
    """Whether a cancel reached the workflow: the API writes it to the history before answering."""
    history = await temporal_client.get_workflow_handle(briefing_id).fetch_history()
    requested = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED
    return any(event.event_type == requested for event in history.events)
