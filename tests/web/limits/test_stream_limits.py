"""Streams that read or render for each viewer: capped per address, and no slot leaks."""

import inspect
from collections.abc import Iterator

import pytest
from sse_starlette import EventSourceResponse

from testing.polling import wait_for_async
from tests.web.limits.viewers import STREAM, AppClient, open_viewer, served, waiting_briefing
from web.app import create_app
from web.limits.streams import STREAM_PATH_SUFFIX, is_audience_stream
from web.limits.visitors import STREAM_SLOT_RETRY_SECONDS

CLIENT = "127.0.0.1"


def per_viewer_streams(web: AppClient) -> int:
    return web.app.state.visitor_limits.streams.count(CLIENT)


async def until_no_streams(web: AppClient) -> None:
    await wait_for_async(
        lambda: (web.open_streams, per_viewer_streams(web)),
        10,
        "no stream counted",
        until=lambda counts: counts == (0, 0),
        interval=0.05,
    )


def endpoints(routes) -> Iterator:
    for route in routes:
        if hasattr(route, "original_router"):  # FastAPI's wrapper of an included router
            yield from endpoints(route.original_router.routes)
        elif hasattr(route, "endpoint"):
            yield route


def test_every_event_stream_is_under_the_stream_limits_and_only_briefings_are_audiences(
    settings,
):
    routes = list(endpoints(create_app(settings).routes))
    streams = {
        route.path
        for route in routes
        if inspect.signature(route.endpoint).return_annotation is EventSourceResponse
    }
    limited = {route.path for route in routes if route.path.endswith(STREAM_PATH_SUFFIX)}
    assert streams == limited
    audiences = {path for path in streams if is_audience_stream(path)}
    assert audiences == {"/briefings/{briefing_id}/events", "/api/briefings/{briefing_id}/events"}
    assert {"/dashboard/events", "/comparisons/{comparison_id}/events"} <= streams - audiences


@pytest.fixture
async def web(settings):
    two_each = settings.model_copy(update={"sse_max_streams_per_client": 2})
    async with served(two_each) as client:
        yield client


async def test_a_per_viewer_stream_over_the_address_cap_is_refused_and_a_closed_one_frees_it(
    web,
):
    held = [await open_viewer(str(web.base_url), "/dashboard/events") for _ in range(2)]
    try:
        assert [viewer.status for viewer in held] == [200, 200]
        refused = await web.get("/dashboard/events", headers=STREAM)
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == str(STREAM_SLOT_RETRY_SECONDS)
        assert "at most 2" in refused.text
        assert per_viewer_streams(web) == 2
    finally:
        for viewer in held:
            viewer.close()
    await until_no_streams(web)  # both viewers left
    again = await open_viewer(str(web.base_url), "/dashboard/events")
    again.close()
    assert again.status == 200


async def test_a_briefings_viewers_are_not_held_to_the_address_cap(web):
    briefing = await waiting_briefing(web)
    audience = [
        await open_viewer(str(web.base_url), f"/api/briefings/{briefing}/events") for _ in range(5)
    ]
    for viewer in audience:
        viewer.close()
    assert [viewer.status for viewer in audience] == [200] * 5
    assert per_viewer_streams(web) == 0


async def test_streams_that_fail_to_open_hold_nothing(web):
    for _ in range(5):  # more than the cap of 2: a leaked slot would turn one into a 429
        briefing = await web.get("/api/briefings/briefing-nope/events", headers=STREAM)
        comparison = await web.get("/comparisons/comparison-nope/events", headers=STREAM)
        assert briefing.status_code == comparison.status_code == 404
        # The slot is given back just after the last byte is sent, so the client may be first.
        await until_no_streams(web)


async def test_zero_turns_the_stream_limits_off(settings):
    unlimited = settings.model_copy(
        update={
            "sse_rate_per_minute": 0,
            "sse_view_rate_per_minute": 0,
            "sse_max_streams_per_client": 0,
            "sse_max_viewers_per_briefing": 0,
            "sse_max_streams": 0,
        }
    )
    async with served(unlimited) as web:
        held = [await open_viewer(str(web.base_url), "/dashboard/events") for _ in range(25)]
        for viewer in held:
            viewer.close()
        missing = [await web.get("/api/briefings/briefing-nope/events") for _ in range(5)]
    assert {viewer.status for viewer in held} == {200}
    assert {response.status_code for response in missing} == {404}
