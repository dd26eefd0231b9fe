"""The home page: recent briefings, escaped, and a banner when Temporal is down."""

import asyncio

import httpx

from app.web import create_app
from tests.servers import serve_in_thread
from tests.temporal_dev import free_port


async def test_the_home_page_lists_recent_briefings_with_their_topics_escaped(settings):
    with serve_in_thread(create_app(settings)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=15) as web:
            topic = "<script>alert('x')</script> science"
            await web.post("/api/briefings", json={"topic": topic})
            for _ in range(50):
                page = await web.get("/")
                if "&lt;script&gt;" in page.text:
                    break
                await asyncio.sleep(0.2)
    assert page.status_code == 200
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; science" in page.text
    assert "<script>alert" not in page.text
    assert settings.temporal_ui_url in page.text


async def test_the_home_page_says_when_temporal_is_unreachable(settings):
    offline = settings.model_copy(update={"temporal_address": f"127.0.0.1:{free_port()}"})
    with serve_in_thread(create_app(offline)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=15) as web:
            page = await web.get("/")
            css = await web.get("/static/app.css")
    assert page.status_code == 200
    assert "Temporal is unreachable" in page.text
    assert css.status_code == 200
