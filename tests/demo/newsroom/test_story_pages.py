"""Story pages as real news sites serve them: the story inside its site's clutter, a paywall
stub at the-ledger, and research reports as PDFs."""

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import lxml.html
import pytest

from demo.newsroom import page_clutter
from demo.newsroom.catalogue import Story, load_catalogue
from demo.newsroom.outlets import OUTLETS_BY_SLUG
from demo.newsroom.server import create_app
from testing.servers import serve_in_thread
from tests.demo.newsroom.content_files import story_record, write_content

CATALOGUE = load_catalogue()
OPEN_STORIES = [
    story for story in CATALOGUE.stories if OUTLETS_BY_SLUG[story.outlet].access == "open"
]
PAYWALLED_STORIES = CATALOGUE.for_outlet("the-ledger")
JSON_LD = "application/ld+json"
REPORTS = [story for story in CATALOGUE.stories if story.link == "pdf"]

every_open_story = pytest.mark.parametrize("story", OPEN_STORIES, ids=lambda story: story.slug)


def _page(client: httpx.Client, story: Story) -> str:
    response = client.get(f"/stories/{story.slug}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def _document(page: str) -> lxml.html.HtmlElement:
    root = lxml.html.document_fromstring(page)
    assert isinstance(root, lxml.html.HtmlElement)
    return root


def _shown_text(page: str) -> str:
    """The text a reader sees, one line per element."""
    body = _document(page).body
    return "\n".join(text.strip() for text in body.itertext() if text.strip())


def _structured_data(page: str) -> dict:
    head = _document(page).head
    scripts = [script for script in head.iter("script") if script.get("type") == JSON_LD]
    assert len(scripts) == 1
    return json.loads(scripts[0].text or "")


@every_open_story
def test_open_page_shows_every_paragraph_of_the_story(
    packaged_newsroom: httpx.Client, story: Story
) -> None:
    shown = _shown_text(_page(packaged_newsroom, story)).splitlines()

    for paragraph in (story.title, story.dek, *story.body):
        assert paragraph in shown


@every_open_story
def test_page_shows_every_piece_of_its_sites_clutter(
    packaged_newsroom: httpx.Client, story: Story
) -> None:
    shown = _shown_text(_page(packaged_newsroom, story))

    for text in page_clutter.clutter_sentences(story, CATALOGUE):
        assert text in shown


def test_clutter_includes_a_menu_cookie_banner_related_stories_and_comments() -> None:
    story = CATALOGUE.for_outlet("harbour-herald")[0]
    clutter = page_clutter.clutter_sentences(story, CATALOGUE)
    related = [other.title for other in CATALOGUE.for_outlet("harbour-herald")[1:5]]

    assert {"World", "Business", *page_clutter.COOKIE_BANNER, *related} <= set(clutter)
    assert 2 <= len(page_clutter.comments_for(story)) <= 4
    assert {comment.text for comment in page_clutter.comments_for(story)} <= set(clutter)
    assert page_clutter.AD_LABEL in clutter and page_clutter.NEWSLETTER[0] in clutter


@pytest.mark.parametrize("story", CATALOGUE.stories, ids=lambda story: story.slug)
def test_no_clutter_text_is_a_sentence_of_the_story(story: Story) -> None:
    story_text = "\n".join((story.title, story.dek, *story.body))
    sentences = [text for text in page_clutter.clutter_sentences(story, CATALOGUE) if " " in text]

    assert [text for text in sentences if text in story_text] == []


def test_outlets_use_three_different_site_templates(packaged_newsroom: httpx.Client) -> None:
    markers = {"article": "<article", "div-soup": 'class="story-body"', "main-sections": "<main"}
    for outlet_slug in ("harbour-herald", "circuit-daily", "stage-and-page"):
        layout = OUTLETS_BY_SLUG[outlet_slug].layout
        page = _page(packaged_newsroom, CATALOGUE.for_outlet(outlet_slug)[0])
        assert [marker for marker in markers.values() if marker in page] == [markers[layout]]


@every_open_story
def test_page_describes_its_story_as_a_news_article(
    packaged_newsroom: httpx.Client, story: Story
) -> None:
    data = _structured_data(_page(packaged_newsroom, story))

    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story.title
    assert data["author"][0]["name"] == story.author
    # Stories are dated relative to when the newsroom started, to the minute: its clock and
    # this module's may be minutes apart, a story's age is hours.
    published = datetime.fromisoformat(data["datePublished"])
    expected = datetime.now(UTC) - timedelta(hours=story.published_hours_ago)
    assert abs(published - expected) < timedelta(minutes=15)
    assert "isAccessibleForFree" not in data


@pytest.mark.parametrize("story", PAYWALLED_STORIES, ids=lambda story: story.slug)
def test_paywalled_page_shows_the_first_paragraph_then_a_subscription_offer(
    packaged_newsroom: httpx.Client, story: Story
) -> None:
    page = _page(packaged_newsroom, story)
    shown = _shown_text(page)

    assert story.body[0] in shown
    for paragraph in story.body[1:]:
        assert paragraph not in shown and paragraph not in page
    assert "Subscribe to continue reading" in shown
    assert "£14.99 a month" in shown


@pytest.mark.parametrize("story", PAYWALLED_STORIES, ids=lambda story: story.slug)
def test_paywalled_page_carries_schema_orgs_paywall_mark(
    packaged_newsroom: httpx.Client, story: Story
) -> None:
    page = _page(packaged_newsroom, story)
    data = _structured_data(page)

    assert data["isAccessibleForFree"] == "False"
    assert data["hasPart"]["@type"] == "WebPageElement"
    assert data["hasPart"]["isAccessibleForFree"] == "False"
    selector = data["hasPart"]["cssSelector"]
    assert selector == ".paywall"
    assert _document(page).find_class("paywall")


def test_structured_data_cannot_close_its_script_element(tmp_path: Path) -> None:
    title = "Headline </script><b>bold</b>"
    write_content(tmp_path, "world.json", [story_record("scripted", title=title)])

    with serve_in_thread(create_app(content_dir=tmp_path)) as base_url:
        page = httpx.get(f"{base_url}/stories/scripted").text

    assert _structured_data(page)["headline"] == "Headline </script><b>bold</b>"


@pytest.mark.parametrize("story", REPORTS, ids=lambda story: story.slug)
def test_report_link_serves_a_one_page_pdf(packaged_newsroom: httpx.Client, story: Story) -> None:
    response = packaged_newsroom.get(f"/stories/{story.slug}.pdf")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-1.4\n")
    assert response.content.rstrip().endswith(b"%%EOF")
    assert 300 <= len(response.content) <= 8000
    assert b"/Count 1" in response.content
    assert b"(Lab Notes Weekly: research report) Tj" in response.content


@pytest.mark.parametrize("story", REPORTS, ids=lambda story: story.slug)
def test_report_pdf_cross_reference_table_points_at_its_objects(
    packaged_newsroom: httpx.Client, story: Story
) -> None:
    document = packaged_newsroom.get(f"/stories/{story.slug}.pdf").content
    startxref = re.search(rb"startxref\n(\d+)\n", document)
    assert startxref is not None
    xref_at = int(startxref.group(1))
    offsets = [int(offset) for offset in re.findall(rb"(\d{10}) 00000 n ", document)]

    assert document[xref_at:].startswith(b"xref\n")
    for number, offset in enumerate(offsets, start=1):
        assert document[offset:].startswith(b"%d 0 obj\n" % number)


def test_a_story_without_a_report_has_no_pdf(packaged_newsroom: httpx.Client) -> None:
    story = CATALOGUE.for_outlet("harbour-herald")[0]

    assert packaged_newsroom.get(f"/stories/{story.slug}.pdf").status_code == 404
