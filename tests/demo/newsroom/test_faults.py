"""The chaos controls: each fault mode, its lifetime, and the admin API around it."""

import feedparser
import httpx
import pytest

from demo.newsroom.outlets import OUTLETS_BY_SLUG, feed_path

RSS_FEED = feed_path(OUTLETS_BY_SLUG["harbour-herald"])
ATOM_FEED = feed_path(OUTLETS_BY_SLUG["circuit-daily"])
# The fixture newsroom's one story per outlet (tests/demo/newsroom/content_files.py).
STORY_PAGE = "/stories/harbour-herald-story"


def _inject(client: httpx.Client, **fault: object) -> httpx.Response:
    response = client.post("/_admin/faults", json=fault)
    assert response.status_code == 201, response.text
    return response


def test_error_fault_answers_500(newsroom: httpx.Client) -> None:
    _inject(newsroom, feed="harbour-herald", mode="error")

    assert newsroom.get(RSS_FEED).status_code == 500


def test_timeout_fault_outlasts_a_shorter_client_read_timeout(newsroom: httpx.Client) -> None:
    _inject(newsroom, feed="harbour-herald", mode="timeout", seconds=2)

    with pytest.raises(httpx.ReadTimeout):
        newsroom.get(RSS_FEED, timeout=0.5)


def test_timeout_fault_answers_normally_once_the_delay_is_over(newsroom: httpx.Client) -> None:
    _inject(newsroom, feed="harbour-herald", mode="timeout", seconds=0.2)

    parsed = feedparser.parse(newsroom.get(RSS_FEED).content)

    assert not parsed.bozo and len(parsed.entries) == 1


@pytest.mark.parametrize("feed", [RSS_FEED, ATOM_FEED], ids=["rss", "atom"])
def test_malformed_fault_serves_a_bozo_document_without_entries(
    newsroom: httpx.Client, feed: str
) -> None:
    _inject(newsroom, feed="*", mode="malformed")

    response = newsroom.get(feed)
    parsed = feedparser.parse(response.content)

    assert response.status_code == 200
    assert parsed.bozo and len(parsed.entries) == 0


@pytest.mark.parametrize("feed", [RSS_FEED, ATOM_FEED], ids=["rss", "atom"])
def test_empty_fault_serves_a_valid_feed_without_entries(newsroom: httpx.Client, feed: str) -> None:
    _inject(newsroom, feed="*", mode="empty")

    parsed = feedparser.parse(newsroom.get(feed).content)

    assert not parsed.bozo and len(parsed.entries) == 0


def test_oversize_fault_streams_past_a_clients_size_cap(newsroom: httpx.Client) -> None:
    cap = 100_000
    _inject(newsroom, feed="circuit-daily", mode="oversize", bytes=300_000)

    received = b""
    with newsroom.stream("GET", ATOM_FEED) as response:
        for chunk in response.iter_bytes():
            received += chunk
            if len(received) > cap:
                break

    assert received.startswith(b"<?xml") and b"<feed" in received[:1000]
    assert len(received) > cap


def test_oversize_fault_sends_exactly_the_requested_bytes(newsroom: httpx.Client) -> None:
    _inject(newsroom, feed="harbour-herald", mode="oversize", bytes=300_000)

    assert len(newsroom.get(RSS_FEED).content) == 300_000


def test_counted_fault_clears_itself_after_its_requests(newsroom: httpx.Client) -> None:
    _inject(newsroom, feed="harbour-herald", mode="error", count=1)

    assert newsroom.get(RSS_FEED).status_code == 500
    assert newsroom.get(RSS_FEED).status_code == 200
    assert newsroom.get("/_admin/faults").json() == {"faults": []}


def test_feed_fault_leaves_other_feeds_alone(newsroom: httpx.Client) -> None:
    _inject(newsroom, feed="harbour-herald", mode="error")

    assert newsroom.get(ATOM_FEED).status_code == 200


def test_feed_fault_takes_precedence_over_the_all_feeds_fault(newsroom: httpx.Client) -> None:
    _inject(newsroom, feed="*", mode="error")
    _inject(newsroom, feed="harbour-herald", mode="empty")

    assert newsroom.get(RSS_FEED).status_code == 200
    assert newsroom.get(ATOM_FEED).status_code == 500


def test_reset_clears_every_fault(newsroom: httpx.Client) -> None:
    _inject(newsroom, feed="*", mode="error")
    _inject(newsroom, feed="harbour-herald", mode="error")

    assert newsroom.delete("/_admin/faults").status_code == 204
    assert newsroom.get(RSS_FEED).status_code == 200


def test_reset_of_one_feed_keeps_the_others(newsroom: httpx.Client) -> None:
    _inject(newsroom, feed="harbour-herald", mode="error")
    _inject(newsroom, feed="circuit-daily", mode="error")

    newsroom.delete("/_admin/faults/harbour-herald")

    assert newsroom.get(RSS_FEED).status_code == 200
    assert newsroom.get(ATOM_FEED).status_code == 500


def test_active_faults_are_listed_with_their_defaults(newsroom: httpx.Client) -> None:
    created = _inject(newsroom, feed="lab-notes", mode="timeout").json()

    assert created == {
        "feed": "lab-notes",
        "mode": "timeout",
        "target": "feed",
        "count": None,
        "seconds": 30.0,
        "bytes": None,
    }
    assert newsroom.get("/_admin/faults").json() == {"faults": [created]}


@pytest.mark.parametrize(
    "fault",
    [{"feed": "daily-bugle", "mode": "error"}, {"feed": "*", "mode": "explode"}],
    ids=["unknown feed", "unknown mode"],
)
def test_unknown_feed_or_mode_is_rejected(newsroom: httpx.Client, fault: dict) -> None:
    assert newsroom.post("/_admin/faults", json=fault).status_code == 422


def test_feed_requests_are_counted_faulty_or_not(newsroom: httpx.Client) -> None:
    _inject(newsroom, feed="harbour-herald", mode="error", count=1)
    newsroom.get(RSS_FEED)
    newsroom.get(RSS_FEED)

    counts = newsroom.get("/_admin/requests").json()["requests"]

    assert counts["harbour-herald"] == 2 and counts["circuit-daily"] == 0


def test_request_counts_reset(newsroom: httpx.Client) -> None:
    newsroom.get(RSS_FEED)
    newsroom.get(STORY_PAGE)

    assert newsroom.delete("/_admin/requests").status_code == 204
    counts = newsroom.get("/_admin/requests").json()
    assert counts["requests"]["harbour-herald"] == 0 and counts["pages"] == {}


def test_story_page_requests_are_counted_by_story(newsroom: httpx.Client) -> None:
    _inject(newsroom, feed="harbour-herald", mode="error", target="pages", count=1)
    newsroom.get(STORY_PAGE)
    newsroom.get(STORY_PAGE)

    counts = newsroom.get("/_admin/requests").json()

    assert counts["pages"] == {"harbour-herald-story": 2}
    assert counts["requests"]["harbour-herald"] == 0
