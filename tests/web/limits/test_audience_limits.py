"""A briefing's stream holds an audience from one address, up to what the server holds."""

import asyncio

from testing.polling import wait_for_async
from tests.web.limits.viewers import STREAM, RawViewer, open_viewer, served, waiting_briefing
from web.limits.capacity import FULL_RETRY_SECONDS

AUDIENCE = 300  # the benchmark's audience is 500 from one address; this keeps the test quick


async def open_audience(web, path: str, size: int) -> list[RawViewer]:
    return list(await asyncio.gather(*(open_viewer(str(web.base_url), path) for _ in range(size))))


def close_all(viewers: list[RawViewer]) -> None:
    for viewer in viewers:
        viewer.close()


async def until_no_streams(web) -> None:
    await wait_for_async(
        lambda: web.open_streams, 10, "no stream open", until=lambda count: count == 0
    )


async def test_hundreds_of_viewers_from_one_address_watch_until_the_server_caps_them(settings):
    capped = settings.model_copy(
        update={"sse_max_viewers_per_briefing": AUDIENCE, "sse_max_streams": AUDIENCE + 1}
    )
    async with served(capped) as web:
        watched, other = await waiting_briefing(web), await waiting_briefing(web)
        audience = await open_audience(web, f"/briefings/{watched}/events", AUDIENCE)
        try:
            assert [viewer.status for viewer in audience] == [200] * AUDIENCE
            await asyncio.gather(*(viewer.read_until(b"event: status") for viewer in audience))
            assert web.app.state.hub.feed_count == 1  # one subscription for all of them

            one_more = await web.get(f"/api/briefings/{watched}/events", headers=STREAM)
            assert one_more.status_code == 503
            assert one_more.headers["retry-after"] == str(FULL_RETRY_SECONDS)
            assert f"as many viewers as this server holds ({AUDIENCE})" in one_more.json()["error"]

            last_stream = await open_viewer(str(web.base_url), f"/api/briefings/{other}/events")
            assert last_stream.status == 200  # the cap was that briefing's, not the server's
            server_full = await web.get(f"/api/briefings/{other}/events", headers=STREAM)
            page_stream = await web.get(f"/briefings/{other}/events", headers=STREAM)
            last_stream.close()
        finally:
            close_all(audience)
        assert server_full.status_code == page_stream.status_code == 503
        assert f"as many live streams as it can ({AUDIENCE + 1})" in server_full.json()["error"]
        assert page_stream.headers["content-type"].startswith("text/html")
        await until_no_streams(web)
        again = await open_viewer(str(web.base_url), f"/api/briefings/{watched}/events")
        again.close()
        assert again.status == 200  # every viewer who left gave its place back


async def test_viewers_arriving_together_start_one_subscription_and_pay_for_it_once(settings):
    async with served(settings.model_copy(update={"sse_rate_per_minute": 1})) as web:
        briefing = await waiting_briefing(web)
        audience = await open_audience(web, f"/api/briefings/{briefing}/events", 50)
        close_all(audience)
        assert [viewer.status for viewer in audience] == [200] * 50
        assert web.app.state.hub.feed_count == 1


async def test_only_the_first_viewer_of_a_briefing_pays_the_rate_of_work(settings):
    async with served(settings.model_copy(update={"sse_rate_per_minute": 2})) as web:
        briefing = await waiting_briefing(web)
        first = await open_viewer(str(web.base_url), f"/api/briefings/{briefing}/events")
        unknown = [await web.get("/api/briefings/briefing-nope/events") for _ in range(2)]
        joining = await open_viewer(str(web.base_url), f"/api/briefings/{briefing}/events")
        dashboard = await web.get("/dashboard/events", headers=STREAM)
        first.close()
        joining.close()
    assert first.status == joining.status == 200
    # An unknown id costs a describe; a stream that reads for each viewer pays too.
    assert [response.status_code for response in unknown] == [404, 429]
    assert unknown[1].json()["error"].startswith("Too many live streams opened from your address")
    assert dashboard.status_code == 429


async def test_opening_streams_in_a_loop_is_held_to_the_view_rate(settings):
    async with served(settings.model_copy(update={"sse_view_rate_per_minute": 3})) as web:
        briefing = await waiting_briefing(web)
        path = f"/api/briefings/{briefing}/events"
        opened = [await open_viewer(str(web.base_url), path) for _ in range(3)]
        close_all(opened)
        refused = await web.get(path, headers=STREAM)
    assert [viewer.status for viewer in opened] == [200] * 3
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 20


async def test_an_address_full_of_viewers_is_still_held_to_the_rate_of_starting_work(settings):
    async with served(settings.model_copy(update={"start_rate_per_minute": 2})) as web:
        briefing = await waiting_briefing(web)
        audience = await open_audience(web, f"/briefings/{briefing}/events", 50)
        try:
            second = await web.post("/api/briefings", json={"topic": "art"})
            third = await web.post("/api/briefings", json={"topic": "music"})
        finally:
            close_all(audience)
    assert [viewer.status for viewer in audience] == [200] * 50
    assert second.status_code == 202
    assert third.status_code == 429
    assert third.json()["error"].startswith("Too many briefings started from your address")
