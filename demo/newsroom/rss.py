"""RSS 2.0 feeds: the standfirst as `description`, a full story in `content:encoded`, bylines in
`dc:creator`; each outlet's items carry what `Outlet.feed_text` says."""

import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import format_datetime

from demo.newsroom.catalogue import Story
from demo.newsroom.feed_common import (
    add_text,
    feed_url,
    item_texts,
    serialise,
    story_id,
    story_link,
)
from demo.newsroom.outlets import Outlet

MEDIA_TYPE = "application/rss+xml"
NAMESPACES = {
    "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
    "xmlns:dc": "http://purl.org/dc/elements/1.1/",
    "xmlns:atom": "http://www.w3.org/2005/Atom",
}


def render_rss(outlet: Outlet, stories: list[Story], base_url: str, now: datetime) -> str:
    root = ET.Element("rss", {"version": "2.0", **NAMESPACES})
    channel = ET.SubElement(root, "channel")
    add_text(channel, "title", outlet.name)
    add_text(channel, "link", base_url.rstrip("/") + "/")
    add_text(channel, "description", outlet.tagline)
    add_text(channel, "language", "en-gb")
    newest = stories[0].published if stories else now
    add_text(channel, "lastBuildDate", _rfc822(newest))
    self_link = {"href": feed_url(base_url, outlet.slug), "rel": "self", "type": MEDIA_TYPE}
    ET.SubElement(channel, "atom:link", self_link)
    for story in stories:
        _add_item(channel, outlet, story, base_url)
    return serialise(root)


def _add_item(channel: ET.Element, outlet: Outlet, story: Story, base_url: str) -> None:
    item = ET.SubElement(channel, "item")
    add_text(item, "title", story.title)
    add_text(item, "link", story_link(base_url, story))
    add_text(item, "guid", story_id(story), isPermaLink="false")
    add_text(item, "pubDate", _rfc822(story.published))
    add_text(item, "dc:creator", story.author)
    texts = item_texts(outlet, story)
    if texts.summary_html is not None:
        add_text(item, "description", texts.summary_html)
    if texts.content_html is not None:
        add_text(item, "content:encoded", texts.content_html)
    for term in (story.section, *story.tags):
        add_text(item, "category", term)


def _rfc822(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)
