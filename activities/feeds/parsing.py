"""Turning feed bytes into small, plain-text entries."""

import calendar
import io
from datetime import UTC, datetime
from urllib.parse import urlsplit

import feedparser

from activities.errors import FeedError
from activities.feeds.job_refusal import JobRefused
from activities.feeds.links import http_link
from activities.feeds.text import html_to_text, truncate_text
from activities.feeds.xml_guard import refuse_entity_declarations
from activities.models import (
    ENTRIES_PER_FEED_MAX,
    EXCERPT_MAX_CHARS,
    FEED_RESULT_MAX_BYTES,
    FeedEntry,
    FetchFeedResult,
)

TITLE_MAX_CHARS = 300


def parse_feed(url: str, body: bytes) -> FetchFeedResult:
    """Untrusted bytes go through parse_feed_in_child: crafted ones keep feedparser busy."""
    refuse_entity_declarations(url, body)
    # A stream, never bytes or str: feedparser opens a body that looks like a path or a URL.
    parsed = feedparser.parse(io.BytesIO(body))
    if parsed.bozo and not parsed.entries:
        reason = parsed.get("bozo_exception") or "not a feed"
        raise JobRefused(
            f"{url} is not a valid RSS or Atom feed: {reason}",
            kind=FeedError.MALFORMED,
            non_retryable=True,
        )
    source_name = html_to_text(parsed.feed.get("title", "")) or urlsplit(url).hostname or url
    entries = [
        entry for raw in parsed.entries if (entry := _to_entry(raw, source_name, url)) is not None
    ]
    entries.sort(key=lambda entry: entry.published or datetime.min.replace(tzinfo=UTC))
    entries.reverse()
    return FetchFeedResult(
        url=url, source_name=source_name, entries=_within_budget(entries[:ENTRIES_PER_FEED_MAX])
    )


def _within_budget(entries: list[FeedEntry]) -> list[FeedEntry]:
    kept, size = [], 0
    for entry in entries:
        size += len(entry.model_dump_json().encode())
        if size > FEED_RESULT_MAX_BYTES:
            break
        kept.append(entry)
    return kept


def _to_entry(raw: dict, source_name: str, feed_url: str) -> FeedEntry | None:
    title = truncate_text(html_to_text(raw.get("title", "")), TITLE_MAX_CHARS)
    # Resolved against the feed, as a reader would; a story with no web link is dropped, since
    # every story in a briefing must show where it came from.
    link = http_link(raw.get("link") or "", base=feed_url)
    if not title or not link:
        return None
    return FeedEntry(
        title=title,
        link=link,
        published=_published(raw),
        source_name=source_name,
        source_url=feed_url,
        excerpt=truncate_text(html_to_text(_richest_text(raw)), EXCERPT_MAX_CHARS),
        categories=[tag["term"] for tag in raw.get("tags", []) if tag.get("term")][:10],
    )


def _richest_text(raw: dict) -> str:
    contents = [content.get("value", "") for content in raw.get("content", [])]
    candidates = [*contents, raw.get("summary", "")]
    return max(candidates, key=len)


def _published(raw: dict) -> datetime | None:
    moment = raw.get("published_parsed") or raw.get("updated_parsed")
    if not moment:
        return None
    return datetime.fromtimestamp(calendar.timegm(moment), tz=UTC)
