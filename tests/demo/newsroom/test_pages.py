"""The newsroom's front page, article pages and health check."""

from pathlib import Path

import httpx

from demo.newsroom.outlets import OUTLETS, feed_path
from demo.newsroom.server import create_app
from testing.servers import serve_in_thread
from tests.demo.newsroom.content_files import story_record, write_content


def test_front_page_lists_every_outlet_with_its_feed_url(newsroom: httpx.Client) -> None:
    page = newsroom.get("/")

    assert page.headers["content-type"].startswith("text/html")
    for outlet in OUTLETS:
        assert str(newsroom.base_url).rstrip("/") + feed_path(outlet) in page.text


def test_front_page_escapes_outlet_names(newsroom: httpx.Client) -> None:
    page = newsroom.get("/").text

    assert "Stage &amp; Page" in page
    assert "Stage & Page" not in page


def test_article_page_shows_the_story_escaped(tmp_path: Path) -> None:
    record = story_record("escaped", title="Cats <b>& dogs</b>", body=["<script>x</script>"])
    write_content(tmp_path, "world.json", [record])

    with serve_in_thread(create_app(content_dir=tmp_path)) as base_url:
        page = httpx.get(base_url + "/stories/escaped")

    assert page.status_code == 200
    assert "Cats &lt;b&gt;&amp; dogs&lt;/b&gt;" in page.text
    assert "<script>" not in page.text


def test_unknown_article_is_not_found(newsroom: httpx.Client) -> None:
    assert newsroom.get("/stories/no-such-story").status_code == 404


def test_health_reports_story_and_outlet_counts(newsroom: httpx.Client) -> None:
    assert newsroom.get("/healthz").json() == {"status": "ok", "stories": 6, "outlets": 6}


def test_a_public_url_is_used_for_links_when_readers_reach_the_newsroom_elsewhere(fixture_content):
    app = create_app(content_dir=fixture_content, public_url="http://localhost:8100")
    with serve_in_thread(app) as url:
        feed = httpx.get(f"{url}/feeds/harbour-herald.xml").text
    assert "http://localhost:8100/stories/" in feed
    assert url not in feed
