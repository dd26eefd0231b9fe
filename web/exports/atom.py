"""Atom 1.0 documents (RFC 4287), built with ElementTree so feed text can never become markup."""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
# Characters XML 1.0 cannot carry at all, escaped or not; ElementTree would write them anyway.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class AtomEntry:
    id: str
    title: str
    link: str
    published: datetime
    updated: datetime
    author: str
    summary: str
    content_html: str


@dataclass(frozen=True)
class AtomFeed:
    id: str
    title: str
    self_link: str
    home_link: str
    entries: list[AtomEntry]


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_feed(feed: AtomFeed, now: datetime) -> bytes:
    root = ET.Element("feed", xmlns=ATOM_NAMESPACE)
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    # An empty feed still needs <updated>: then it is the time of asking.
    newest = max((entry.updated for entry in feed.entries), default=now)
    _text(root, "updated", timestamp(newest))
    _link(root, "self", "application/atom+xml", feed.self_link)
    _link(root, "alternate", "text/html", feed.home_link)
    _text(root, "generator", "briefing")
    for entry in feed.entries:
        _entry(root, entry)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _entry(root: ET.Element, entry: AtomEntry) -> None:
    element = ET.SubElement(root, "entry")
    _text(element, "id", entry.id)
    _text(element, "title", entry.title)
    _text(element, "published", timestamp(entry.published))
    _text(element, "updated", timestamp(entry.updated))
    _link(element, "alternate", "text/html", entry.link)
    author = ET.SubElement(element, "author")
    _text(author, "name", entry.author)
    _text(element, "summary", entry.summary)
    # type="html": the article travels as escaped text, which ElementTree escapes for us.
    _text(element, "content", entry.content_html, type="html")


def _link(parent: ET.Element, rel: str, media_type: str, href: str) -> None:
    ET.SubElement(parent, "link", rel=rel, type=media_type, href=_NOT_XML.sub("", href))


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = _NOT_XML.sub("", text)
    return element
