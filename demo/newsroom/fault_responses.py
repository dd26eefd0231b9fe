"""The bodies of misbehaving feeds: documents a careful client must refuse."""

from collections.abc import Iterator
from datetime import datetime

from demo.newsroom.catalogue import Story
from demo.newsroom.feed_rendering import render_feed
from demo.newsroom.outlets import Outlet

CHUNK_BYTES = 64 * 1024
_PADDING_MARKER = "@@oversize-padding@@"
_FILLER = b"The wire keeps talking and the story never ends. "
# Cut mid-element, with a bare ampersand: broken for a strict parser, and too early in the
# document for feedparser's lenient fallback to recover any entry from it.
_GARBLED_TAIL = "<title>Half a headline & <descrip"


def malformed_document(outlet: Outlet, base_url: str, now: datetime) -> str:
    """The outlet's feed header, truncated before any story and trailing off into garbage."""
    complete = render_feed(outlet, [], base_url, now)
    closing = "</channel>" if outlet.feed_format == "rss" else "</feed>"
    return complete[: complete.index(closing)] + _GARBLED_TAIL


def oversize_document(outlet: Outlet, base_url: str, now: datetime, size: int) -> Iterator[bytes]:
    """A valid feed of `size` bytes (more if tiny), padded inside one story's standfirst."""
    rendered = render_feed(outlet, [_padding_story(outlet, now)], base_url, now)
    head, tail = (part.encode("utf-8") for part in rendered.split(_PADDING_MARKER))
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
