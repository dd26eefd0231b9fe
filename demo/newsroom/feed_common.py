"""What RSS and Atom feeds share: story URLs, stable identifiers, item texts, serialisation."""

import html
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from demo.newsroom.catalogue import Story
from demo.newsroom.outlets import Outlet

# Tag URIs (RFC 4151) keep ids stable whichever host or port the newsroom is served from.
TAG_AUTHORITY = "newsroom.briefing.example,2025"
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def story_url(base_url: str, slug: str) -> str:
    return f"{base_url.rstrip('/')}/stories/{slug}"


def pdf_url(base_url: str, slug: str) -> str:
    return f"{story_url(base_url, slug)}.pdf"


def story_link(base_url: str, story: Story) -> str:
    """Where a feed item (or the front page) sends readers: the page, or the story's PDF."""
    if story.link == "pdf":
        return pdf_url(base_url, story.slug)
    return story_url(base_url, story.slug)


def feed_url(base_url: str, outlet_slug: str) -> str:
    return f"{base_url.rstrip('/')}/feeds/{outlet_slug}.xml"


def story_id(story: Story) -> str:
    return f"tag:{TAG_AUTHORITY}:stories/{story.slug}"


def feed_id(outlet_slug: str) -> str:
    return f"tag:{TAG_AUTHORITY}:feeds/{outlet_slug}"


@dataclass(frozen=True)
class ItemTexts:
    """What an item carries besides its headline; None for an element the item leaves out."""

    summary_html: str | None
    content_html: str | None


def item_texts(outlet: Outlet, story: Story) -> ItemTexts:
    match outlet.feed_text:
        case "headline":
            return ItemTexts(summary_html=None, content_html=None)
        case "dek":
            return ItemTexts(summary_html=dek_html(story), content_html=None)
        case "full":
            return ItemTexts(summary_html=dek_html(story), content_html=body_html(story))


def dek_html(story: Story) -> str:
    """Escaped as HTML, since readers treat RSS descriptions as HTML whatever they contain."""
    return html.escape(story.dek)


def body_html(story: Story) -> str:
    return "\n".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in story.body)


def add_text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element


def serialise(root: ET.Element) -> str:
    return XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"
