"""Limits on live streams per client: how often one opens, how many at once, and no slot leaks."""

import inspect
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack

import httpx
import pytest
from fastapi import FastAPI
from sse_starlette import EventSourceResponse

from testing.polling import wait_for_async
from testing.servers import serve_in_thread
from web.app import create_app
from web.limits.streams import STREAM_PATH_SUFFIX
from web.limits.visitors import STREAM_SLOT_RETRY_SECONDS

CLIENT = "127.0.0.1"
STREAM = {"Accept": "text/event-stream"}


@pytest.fixture
def stream_settings(settings):
    return settings.model_copy(update={"sse_max_streams_per_client": 2, "sse_rate_per_minute": 0})


class AppClient(httpx.AsyncClient):
    """A client of an app served in a thread, holding the app to read its stream counts."""

    def __init__(self, app: FastAPI, base_url: str) -> None:
        super().__init__(base_url=base_url, timeout=15)
        self.app = app


@pytest.fixture
async def web(stream_settings) -> AsyncIterator[AppClient]:
    app = create_app(stream_settings)
    with serve_in_thread(app) as url:
        async with AppClient(app, url) as client:
            yield client


def open_streams(web: AppClient) -> int:
    return web.app.state.visitor_limits.streams.count(CLIENT)


async def waiting_briefing(web: httpx.AsyncClient) -> str:
    # No worker polls the test's task queue: the briefing's stream stays open, waiting.
    return (await web.post("/api/briefings", json={"topic": "science"})).json()["id"]


async def until_open_streams(web: AppClient, count: int) -> None:
    await wait_for_async(
        lambda: open_streams(web),
        10,
        f"{count} streams counted",
        until=lambda counted: counted == count,
        interval=0.05,
    )


def endpoints(routes) -> Iterator:
    for route in routes:
        if hasattr(route, "original_router"):  # FastAPI's wrapper of an included router
            yield from endpoints(route.original_router.routes)
        elif hasattr(route, "endpoint"):
            yield route


def test_every_event_stream_of_the_app_is_under_the_stream_limits(settings):
    routes = list(endpoints(create_app(settings).routes))
    streams = {
        route.path
        for route in routes
        if inspect.signature(route.endpoint).return_annotation is EventSourceResponse
    }
    limited = {route.path for route in routes if route.path.endswith(STREAM_PATH_SUFFIX)}
    assert streams == limited
    assert {"/briefings/{briefing_id}/events", "/dashboard/events"} <= streams


async def test_a_stream_over_the_cap_is_refused_before_any_byte_and_a_closed_one_frees_its_slot(
    web,
):
    url = f"/api/briefings/{await waiting_briefing(web)}/events"
    async with AsyncExitStack() as held:
        for _ in range(2):
            response = await held.enter_async_context(web.stream("GET", url, headers=STREAM))
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
        refused = await web.get(url, headers=STREAM)
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == str(STREAM_SLOT_RETRY_SECONDS)
        assert "at most 2" in refused.json()["error"]
        assert open_streams(web) == 2
    await until_open_streams(web, 0)  # both viewers left
    async with web.stream("GET", url, headers=STREAM) as again:
        assert again.status_code == 200


async def test_streams_that_fail_to_open_hold_no_slot(web):
    for _ in range(5):  # more than the cap of 2: a leaked slot would turn one into a 429
        response = await web.get("/api/briefings/briefing-nope/events", headers=STREAM)
        assert response.status_code == 404
        # The slot is given back just after the last byte is sent, so the client may be first.
        await until_open_streams(web, 0)


async def test_opening_streams_too_often_is_refused_with_429_and_retry_after(settings):
    often = settings.model_copy(update={"sse_rate_per_minute": 2})
    with serve_in_thread(create_app(often)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=15) as web:
            opened = [await web.get("/api/briefings/briefing-nope/events") for _ in range(2)]
            refused = await web.get("/api/briefings/briefing-nope/events")
            page_stream = await web.get("/dashboard/events")
    assert [response.status_code for response in opened] == [404, 404]
    assert refused.status_code == page_stream.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 30
    assert refused.json()["error"].startswith("Too many live streams opened from your address")
    assert page_stream.headers["content-type"].startswith("text/html")


async def test_zero_turns_the_stream_limits_off(settings):
    unlimited = settings.model_copy(
        update={"sse_rate_per_minute": 0, "sse_max_streams_per_client": 0}
    )
    app = create_app(unlimited)
    with serve_in_thread(app) as url:
        async with AppClient(app, url) as web:
            stream_url = f"/api/briefings/{await waiting_briefing(web)}/events"
            async with AsyncExitStack() as held:
                for _ in range(25):
                    stream = web.stream("GET", stream_url, headers=STREAM)
                    response = await held.enter_async_context(stream)
                    assert response.status_code == 200
            missing = [await web.get("/api/briefings/briefing-nope/events") for _ in range(5)]
    assert {response.status_code for response in missing} == {404}
