"""Atom 1.0 feeds: the standfirst as `summary`, a full story as HTML `content`; each outlet's
entries carry what `Outlet.feed_text` says."""

import xml.etree.ElementTree as ET
from datetime import datetime

from demo.newsroom.catalogue import Story
from demo.newsroom.feed_common import (
    add_text,
    feed_id,
    feed_url,
    item_texts,
    serialise,
    story_id,
    story_link,
)
from demo.newsroom.outlets import Outlet

MEDIA_TYPE = "application/atom+xml"
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"


def render_atom(outlet: Outlet, stories: list[Story], base_url: str, now: datetime) -> str:
    root = ET.Element("feed", {"xmlns": ATOM_NAMESPACE, "xml:lang": "en-GB"})
    add_text(root, "id", feed_id(outlet.slug))
    add_text(root, "title", outlet.name)
    add_text(root, "subtitle", outlet.tagline)
    add_text(root, "updated", _rfc3339(stories[0].published if stories else now))
    ET.SubElement(root, "link", {"rel": "self", "href": feed_url(base_url, outlet.slug)})
    ET.SubElement(root, "link", {"rel": "alternate", "href": base_url.rstrip("/") + "/"})
    # A feed-level author keeps the feed valid even if it has no entries.
    add_text(ET.SubElement(root, "author"), "name", outlet.name)
    for story in stories:
        _add_entry(root, outlet, story, base_url)
    return serialise(root)


def _add_entry(root: ET.Element, outlet: Outlet, story: Story, base_url: str) -> None:
    entry = ET.SubElement(root, "entry")
    add_text(entry, "id", story_id(story))
    add_text(entry, "title", story.title)
    media_type = "application/pdf" if story.link == "pdf" else "text/html"
    link = {"rel": "alternate", "type": media_type, "href": story_link(base_url, story)}
    ET.SubElement(entry, "link", link)
    add_text(entry, "published", _rfc3339(story.published))
    add_text(entry, "updated", _rfc3339(story.published))
    add_text(ET.SubElement(entry, "author"), "name", story.author)
    texts = item_texts(outlet, story)
    if texts.summary_html is not None:
        add_text(entry, "summary", texts.summary_html, type="html")
    if texts.content_html is not None:
        add_text(entry, "content", texts.content_html, type="html")
    for term in (story.section, *story.tags):
        ET.SubElement(entry, "category", {"term": term})


def _rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
