"""The bodies of misbehaving feeds and story pages: documents a careful client must refuse."""

import dataclasses
from collections.abc import Iterator
from datetime import datetime
from html import escape

from demo.newsroom.catalogue import Story
from demo.newsroom.feed_rendering import render_feed
from demo.newsroom.outlets import Outlet

CHUNK_BYTES = 64 * 1024
_PADDING_MARKER = "@@oversize-padding@@"
_FILLER = b"The wire keeps talking and the story never ends. "
# Cut mid-element, with a bare ampersand: broken for a strict parser, and too early in the
# document for feedparser's lenient fallback to recover any entry from it.
_GARBLED_TAIL = "<title>Half a headline & <descrip"
# A page cut off where its story begins, mid-tag, as a dropped connection leaves it.
_GARBLED_PAGE_TAIL = '<p>Half a sentence & <div class="sto'


def malformed_document(outlet: Outlet, base_url: str, now: datetime) -> str:
    """The outlet's feed header, truncated before any story and trailing off into garbage."""
    complete = render_feed(outlet, [], base_url, now)
    closing = "</channel>" if outlet.feed_format == "rss" else "</feed>"
    return complete[: complete.index(closing)] + _GARBLED_TAIL


def oversize_document(outlet: Outlet, base_url: str, now: datetime, size: int) -> Iterator[bytes]:
    """A valid feed of `size` bytes (more if tiny), padded inside one story's standfirst."""
    # Even an outlet whose feed carries headlines only gets a standfirst to pad.
    with_standfirst = dataclasses.replace(outlet, feed_text="dek")
    padding_story = _padding_story(outlet, now)
    return padded(render_feed(with_standfirst, [padding_story], base_url, now), size)


def malformed_page(page: str, story: Story) -> str:
    """The story's page, cut off just before its first paragraph and trailing off into garbage."""
    return page[: page.index(f"<p>{escape(story.body[0])}")] + _GARBLED_PAGE_TAIL


def with_padding_paragraph(story: Story) -> Story:
    """The story with a last paragraph for `padded` to fill."""
    return story.model_copy(update={"body": (*story.body, _PADDING_MARKER)})


def padded(document: str, size: int) -> Iterator[bytes]:
    """`document` grown to `size` bytes (more if tiny) by filler where its padding marker is."""
    head, tail = (part.encode("utf-8") for part in document.split(_PADDING_MARKER))
    yield head
    remaining = max(0, size - len(head) - len(tail))
    chunk = (_FILLER * (CHUNK_BYTES // len(_FILLER) + 1))[:CHUNK_BYTES]
    while remaining > 0:
        piece = chunk[:remaining]
        remaining -= len(piece)
        yield piece
    yield tail


def _padding_story(outlet: Outlet, now: datetime) -> Story:
    return Story(
        slug="the-story-that-never-ends",
        outlet=outlet.slug,
        section="world",
        title="The story that never ends",
        dek=_PADDING_MARKER,
        author="The Wire",
        published_hours_ago=0,
        body=("It goes on.",),
        published=now,
    )
