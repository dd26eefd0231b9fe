"""Atom 1.0 feeds, with the standfirst as `summary` and the full story as HTML `content`."""

import xml.etree.ElementTree as ET
from datetime import datetime

from demo.newsroom.catalogue import Story
from demo.newsroom.feed_common import (
    add_text,
    body_html,
    dek_html,
    feed_id,
    feed_url,
    serialise,
    story_id,
    story_url,
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
        _add_entry(root, story, base_url)
    return serialise(root)


def _add_entry(root: ET.Element, story: Story, base_url: str) -> None:
    entry = ET.SubElement(root, "entry")
    add_text(entry, "id", story_id(story))
    add_text(entry, "title", story.title)
    link = {"rel": "alternate", "type": "text/html", "href": story_url(base_url, story.slug)}
    ET.SubElement(entry, "link", link)
    add_text(entry, "published", _rfc3339(story.published))
    add_text(entry, "updated", _rfc3339(story.published))
    add_text(ET.SubElement(entry, "author"), "name", story.author)
    add_text(entry, "summary", dek_html(story), type="html")
    add_text(entry, "content", body_html(story), type="html")
    for term in (story.section, *story.tags):
        ET.SubElement(entry, "category", {"term": term})


def _rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
