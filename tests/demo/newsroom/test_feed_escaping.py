"""Story text full of markup characters survives both feed formats intact."""

import html
import re
from pathlib import Path

import feedparser
import httpx
import pytest

from demo.newsroom.outlets import OUTLETS_BY_SLUG, feed_path
from demo.newsroom.server import create_app
from testing.servers import serve_in_thread
from tests.demo.newsroom.content_files import story_record, write_content

TRICKY = {
    "title": "Fish & chips < £5 > \"cheap\" at O'Neill's — café",
    "dek": 'Prices fell <b>sharply</b> & "suddenly"; 3 > 2.',
    "author": "Siobhán O'Brien & <Partners>",
    "tags": ["R&D", "<script>"],
    "body": ["A <script>alert('x')</script> & a \"quote\".", "Ünïcödé ünd 5 < 6 & 7 > 6."],
}


def _text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _entry_of(tmp_path: Path, outlet_slug: str) -> feedparser.FeedParserDict:
    write_content(tmp_path, "world.json", [story_record("tricky", outlet_slug, **TRICKY)])
    with serve_in_thread(create_app(content_dir=tmp_path)) as base_url:
        response = httpx.get(base_url + feed_path(OUTLETS_BY_SLUG[outlet_slug]))
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    return parsed.entries[0]


@pytest.mark.parametrize("outlet_slug", ["harbour-herald", "stage-and-page"], ids=["rss", "atom"])
def test_markup_characters_round_trip_through_the_feed(tmp_path: Path, outlet_slug: str) -> None:
    entry = _entry_of(tmp_path, outlet_slug)

    assert entry.title == TRICKY["title"]
    assert entry.author == TRICKY["author"]
    assert _text_of(entry.summary) == TRICKY["dek"]
    assert [tag.term for tag in entry.tags] == ["world", *TRICKY["tags"]]


def test_markup_characters_round_trip_through_a_whole_story_feed(tmp_path: Path) -> None:
    entry = _entry_of(tmp_path, "final-whistle")

    assert _text_of(entry.content[0].value) == "\n".join(TRICKY["body"])
