"""Faults on story pages and report PDFs: an outlet's pages misbehave on request, its feed
carries on."""

import httpx
import pytest

from demo.newsroom.outlets import OUTLETS_BY_SLUG, feed_path
from tests.demo.newsroom.content_files import REPORT_SLUG

STORY_PAGE = "/stories/harbour-herald-story"
OTHER_STORY_PAGE = "/stories/circuit-daily-story"
STORY_FIRST_PARAGRAPH = "First paragraph of harbour-herald-story."
RSS_FEED = feed_path(OUTLETS_BY_SLUG["harbour-herald"])
REPORT_PDF = f"/stories/{REPORT_SLUG}.pdf"


def _inject_page_fault(client: httpx.Client, **fault: object) -> None:
    response = client.post("/_admin/faults", json={"target": "pages", **fault})
    assert response.status_code == 201, response.text


def test_error_fault_on_pages_answers_500_and_leaves_the_feed_alone(
    newsroom: httpx.Client,
) -> None:
    _inject_page_fault(newsroom, feed="harbour-herald", mode="error")

    assert newsroom.get(STORY_PAGE).status_code == 500
    assert newsroom.get(RSS_FEED).status_code == 200
    assert newsroom.get(OTHER_STORY_PAGE).status_code == 200


def test_feed_fault_leaves_story_pages_alone(newsroom: httpx.Client) -> None:
    newsroom.post("/_admin/faults", json={"feed": "*", "mode": "error"}).raise_for_status()

    assert newsroom.get(STORY_PAGE).status_code == 200


def test_all_outlets_page_fault_reaches_every_outlets_pages(newsroom: httpx.Client) -> None:
    _inject_page_fault(newsroom, feed="*", mode="error", count=2)

    assert newsroom.get(STORY_PAGE).status_code == 500
    assert newsroom.get(OTHER_STORY_PAGE).status_code == 500
    assert newsroom.get(STORY_PAGE).status_code == 200


def test_timeout_fault_on_pages_outlasts_a_shorter_read_timeout(newsroom: httpx.Client) -> None:
    _inject_page_fault(newsroom, feed="harbour-herald", mode="timeout", seconds=2)

    with pytest.raises(httpx.ReadTimeout):
        newsroom.get(STORY_PAGE, timeout=0.5)


def test_malformed_page_is_cut_off_before_its_story(newsroom: httpx.Client) -> None:
    _inject_page_fault(newsroom, feed="harbour-herald", mode="malformed")

    response = newsroom.get(STORY_PAGE)

    assert response.status_code == 200
    assert "Headline for harbour-herald-story" in response.text
    assert STORY_FIRST_PARAGRAPH not in response.text
    assert not response.text.rstrip().endswith("</html>")


def test_empty_page_has_no_body(newsroom: httpx.Client) -> None:
    _inject_page_fault(newsroom, feed="harbour-herald", mode="empty")

    response = newsroom.get(STORY_PAGE)

    assert response.status_code == 200 and response.content == b""


def test_oversize_page_sends_exactly_the_requested_bytes_around_its_story(
    newsroom: httpx.Client,
) -> None:
    _inject_page_fault(newsroom, feed="harbour-herald", mode="oversize", bytes=300_000)

    response = newsroom.get(STORY_PAGE)

    assert len(response.content) == 300_000
    assert response.headers["content-type"].startswith("text/html")
    assert STORY_FIRST_PARAGRAPH in response.text and response.text.endswith("</html>")


def test_resetting_an_outlet_clears_its_feed_and_page_faults(newsroom: httpx.Client) -> None:
    _inject_page_fault(newsroom, feed="harbour-herald", mode="error")
    newsroom.post("/_admin/faults", json={"feed": "harbour-herald", "mode": "error"})

    newsroom.delete("/_admin/faults/harbour-herald")

    assert newsroom.get(STORY_PAGE).status_code == 200
    assert newsroom.get(RSS_FEED).status_code == 200


def test_error_fault_on_pages_answers_500_for_a_report_pdf(
    newsroom_with_report: httpx.Client,
) -> None:
    _inject_page_fault(newsroom_with_report, feed="harbour-herald", mode="error")

    assert newsroom_with_report.get(REPORT_PDF).status_code == 500


def test_timeout_fault_on_pages_holds_a_report_pdf_back(newsroom_with_report: httpx.Client) -> None:
    _inject_page_fault(newsroom_with_report, feed="harbour-herald", mode="timeout", seconds=2)

    with pytest.raises(httpx.ReadTimeout):
        newsroom_with_report.get(REPORT_PDF, timeout=0.5)


def test_malformed_report_pdf_is_cut_off_before_its_end(newsroom_with_report: httpx.Client) -> None:
    whole = newsroom_with_report.get(REPORT_PDF).content
    _inject_page_fault(newsroom_with_report, feed="harbour-herald", mode="malformed")

    cut = newsroom_with_report.get(REPORT_PDF)

    assert cut.headers["content-type"] == "application/pdf"
    assert whole.startswith(cut.content) and b"%%EOF" not in cut.content


def test_empty_report_pdf_has_no_body(newsroom_with_report: httpx.Client) -> None:
    _inject_page_fault(newsroom_with_report, feed="harbour-herald", mode="empty")

    response = newsroom_with_report.get(REPORT_PDF)

    assert response.status_code == 200 and response.content == b""


def test_oversize_fault_serves_a_report_pdf_whole_and_spends_its_use(
    newsroom_with_report: httpx.Client,
) -> None:
    whole = newsroom_with_report.get(REPORT_PDF).content
    _inject_page_fault(newsroom_with_report, feed="harbour-herald", mode="oversize", count=1)

    assert newsroom_with_report.get(REPORT_PDF).content == whole
    assert newsroom_with_report.get("/_admin/faults").json() == {"faults": []}
