"""The slow fault: feeds, pages and PDFs served whole but trickling in, counted while in flight."""

import httpx
import pytest

from demo.newsroom.outlets import OUTLETS_BY_SLUG, feed_path
from testing.polling import wait_for
from tests.demo.newsroom.content_files import REPORT_SLUG

RSS_FEED = feed_path(OUTLETS_BY_SLUG["harbour-herald"])
STORY_PAGE = "/stories/harbour-herald-story"
REPORT = f"/stories/{REPORT_SLUG}.pdf"
DOCUMENTS = [("feed", RSS_FEED), ("pages", STORY_PAGE), ("pages", REPORT)]
DOCUMENT_IDS = ["feed", "page", "pdf"]
# Short enough for a quick test, and still a piece every 50 ms or so.
QUICK_SECONDS = 0.5
# Far longer than any wait here: a download seen to end in time was not left to finish.
ENDLESS_SECONDS = 120
HANG_UP_NOTICED_SECONDS = 10.0


@pytest.fixture
def newsroom(newsroom_with_report: httpx.Client) -> httpx.Client:
    """Here every newsroom has a report, for the PDF cases."""
    return newsroom_with_report


def _inject_slow(client: httpx.Client, target: str, seconds: float) -> None:
    fault = {"feed": "harbour-herald", "target": target, "mode": "slow", "seconds": seconds}
    response = client.post("/_admin/faults", json=fault)
    assert response.status_code == 201, response.text


def _downloading(client: httpx.Client, path: str) -> int:
    return client.get("/_admin/requests").json()["downloading"].get(path, 0)


@pytest.mark.parametrize(("target", "path"), DOCUMENTS, ids=DOCUMENT_IDS)
def test_a_slow_document_is_the_normal_one_arriving_in_pieces(
    newsroom: httpx.Client, target: str, path: str
) -> None:
    normal = newsroom.get(path)
    _inject_slow(newsroom, target, QUICK_SECONDS)

    with newsroom.stream("GET", path) as response:
        pieces = list(response.iter_raw())

    assert response.status_code == 200
    assert response.headers["content-type"] == normal.headers["content-type"]
    assert b"".join(pieces) == normal.content
    assert len(pieces) > 1


@pytest.mark.parametrize(("target", "path"), DOCUMENTS, ids=DOCUMENT_IDS)
def test_a_slow_document_is_counted_downloading_until_its_last_piece(
    newsroom: httpx.Client, target: str, path: str
) -> None:
    _inject_slow(newsroom, target, QUICK_SECONDS)

    with newsroom.stream("GET", path) as response:
        pieces = response.iter_raw()
        next(pieces)
        midway = _downloading(newsroom, path)
        for _ in pieces:
            pass

    assert midway == 1
    assert _downloading(newsroom, path) == 0


@pytest.mark.parametrize(("target", "path"), DOCUMENTS, ids=DOCUMENT_IDS)
def test_a_reader_hanging_up_mid_body_ends_its_download(
    newsroom: httpx.Client, target: str, path: str
) -> None:
    _inject_slow(newsroom, target, ENDLESS_SECONDS)

    midway = _hang_up_after_the_first_piece(newsroom, path)

    assert midway == 1
    _wait_until_not_downloading(newsroom, path)


def test_an_oversize_feed_is_counted_downloading_until_its_reader_hangs_up(
    newsroom: httpx.Client,
) -> None:
    fault = {"feed": "harbour-herald", "mode": "oversize", "bytes": 50_000_000}
    newsroom.post("/_admin/faults", json=fault).raise_for_status()

    midway = _hang_up_after_the_first_piece(newsroom, RSS_FEED)

    assert midway == 1
    _wait_until_not_downloading(newsroom, RSS_FEED)


def _hang_up_after_the_first_piece(newsroom: httpx.Client, path: str) -> int:
    """The path's downloading count with the first piece read; then the connection is dropped
    unread, as by a worker killed mid-download."""
    with newsroom.stream("GET", path) as response:
        pieces = response.iter_raw()  # kept: dropping it would close the connection at once
        next(pieces)
        return _downloading(newsroom, path)


def _wait_until_not_downloading(newsroom: httpx.Client, path: str) -> None:
    wait_for(
        lambda: _downloading(newsroom, path),
        HANG_UP_NOTICED_SECONDS,
        f"{path} no longer downloading",
        until=lambda count: count == 0,
    )


def test_the_slow_fault_lasts_ten_seconds_unless_told(newsroom: httpx.Client) -> None:
    created = newsroom.post("/_admin/faults", json={"feed": "*", "mode": "slow"}).json()

    assert created["seconds"] == 10.0


@pytest.mark.parametrize("seconds", [0, -1, 601], ids=["zero", "negative", "past ten minutes"])
def test_the_slow_fault_refuses_a_duration_out_of_range(
    newsroom: httpx.Client, seconds: float
) -> None:
    fault = {"feed": "*", "mode": "slow", "seconds": seconds}

    assert newsroom.post("/_admin/faults", json=fault).status_code == 422
