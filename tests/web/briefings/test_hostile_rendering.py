"""Feed and LLM text in every place a briefing is shown: the page and its live partial, the
Markdown and standalone HTML downloads and the Atom feed. None of it may run, link anywhere but
to a source over http(s), or change the briefing's structure.

The briefing below is hostile beyond what the activities now let through, as one written before
those checks could be (completed runs keep their results): rendering must be safe on its own.
"""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import TypedDict

import feedparser

from activities.feeds.links import http_link
from activities.markdown import render_markdown
from activities.models import Briefing, BriefingSection, BriefingStory, TokenUsage
from tests.markup_audit import (
    elements,
    foreign_markup,
    hrefs,
    markdown_headings,
    markdown_links,
    markdown_structure_breaks,
)
from web.briefings.models import ArticlePanel
from web.exports.atom import AtomEntry, AtomFeed, render_feed
from web.live.events import Done
from web.live.rendering import html_frame
from web.templating import templates

SOURCE = "https://herald.example/stories/tunnel"
ODD_SOURCE = 'https://herald.example/a b"><script>alert(1)</script>'
NOT_WEB_LINKS = [
    "javascript:alert(1)",
    "data:text/html,<script>alert(2)</script>",
    "java\tscript:x",
]
SCRIPT = "<script>alert('{}')</script>"
PAGE_URL = "http://127.0.0.1:8000/briefings/briefing-0123456789ab"
MOMENT = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)


class BriefingText(TypedDict):
    """What the briefing and its Markdown are both made of."""

    title: str
    lead: str
    sections: list[BriefingSection]
    models: list[str]
    offline_extractive: bool
    editor_note: str


def hostile_briefing() -> Briefing:
    title = f"Briefing: {SCRIPT.format('topic')}\x01"
    section = BriefingSection(
        title="World",
        stories=[
            BriefingStory(
                title=SCRIPT.format("title") + "Harbour tunnel opens",
                summary="</p><iframe src=//evil.example></iframe>\n\n# Pwned\n- [x](http://evil.example)",
                links=[SOURCE, ODD_SOURCE, *NOT_WEB_LINKS],
                source_names=["<b onmouseover=alert(1)>Herald</b>", "Odd", "JS", "Data", "Tab"],
                model=SCRIPT.format("model"),
            )
        ],
    )
    fields: BriefingText = {
        "title": title,
        "lead": "<img src=x onerror=alert('l')> Read [this](javascript:alert(1)) www.evil.example",
        "sections": [section],
        "models": [SCRIPT.format("model")],
        "offline_extractive": True,
        "editor_note": f"{SCRIPT.format('note')}\n## Not a heading",
    }
    markdown = render_markdown(**fields, failed_sources=["http://failed.example/feed"])
    return Briefing(
        topic=SCRIPT.format("topic"),
        markdown=markdown,
        generated_at=MOMENT,
        usage=TokenUsage(),
        **fields,
    )


WEB_LINKS = [SOURCE, http_link(ODD_SOURCE)]


def test_the_article_writes_only_its_own_markup_and_links_only_to_web_sources() -> None:
    article = templates.get_template("partials/_briefing_article.html").render(
        briefing=hostile_briefing()
    )

    assert foreign_markup(article) == []
    assert hrefs(article) == [*WEB_LINKS, "#", "#", "#"]


def test_the_live_partial_of_a_finished_briefing_is_as_safe_as_the_page() -> None:
    event = Done(ArticlePanel("briefing-0123456789ab", hostile_briefing()))

    data = html_frame(event).decode()

    extra = {"also_tags": frozenset({"nav"}), "also_attributes": frozenset({"download", "type"})}
    assert foreign_markup(data.replace('aria-label="Download"', ""), **extra) == []
    assert [link for link in hrefs(data) if not link.startswith("/")] == [*WEB_LINKS, "#", "#", "#"]


def test_the_standalone_export_runs_nothing_and_links_only_to_sources_and_its_page() -> None:
    document = templates.get_template("export_standalone.html").render(
        briefing=hostile_briefing(), page_url=PAGE_URL, csp="default-src 'none'"
    )

    page_tags = frozenset({"html", "head", "meta", "title", "style", "body", "main", "footer"})
    page_attributes = frozenset({"lang", "charset", "name", "content", "http-equiv"})
    assert foreign_markup(document, also_tags=page_tags, also_attributes=page_attributes) == []
    assert [tag for tag, _ in elements(document)].count("style") == 1
    assert hrefs(document) == [*WEB_LINKS, "#", "#", "#", PAGE_URL]


def test_the_atom_feed_is_valid_xml_carrying_the_article_as_escaped_text() -> None:
    briefing = hostile_briefing()
    article = templates.get_template("partials/_briefing_article.html").render(briefing=briefing)
    entry = AtomEntry(
        id="urn:uuid:0b6f3a52-51a4-4e0f-9a44-3c0f1b2d7e11",
        title=briefing.title,
        link=PAGE_URL + "\x02",
        published=MOMENT,
        updated=MOMENT,
        author=f"briefing ({', '.join(briefing.models)})",
        summary=briefing.lead,
        content_html=article,
    )
    feed = AtomFeed(
        id="urn:uuid:x", title="Finished", self_link=PAGE_URL, home_link=PAGE_URL, entries=[entry]
    )

    document = render_feed(feed, MOMENT)

    root = ET.fromstring(document)
    namespace = {"atom": "http://www.w3.org/2005/Atom"}
    summary = root.find("atom:entry/atom:summary", namespace)
    assert summary is not None and summary.text == briefing.lead
    assert not root.findall(".//{*}script") and not root.findall(".//{*}img")
    parsed = feedparser.parse(document)
    assert not parsed.bozo, parsed.get("bozo_exception")
    [read] = parsed.entries
    assert read.link == PAGE_URL
    assert foreign_markup(read.content[0].value) == []


def test_the_markdown_keeps_its_headings_and_links_only_to_web_sources() -> None:
    markdown = hostile_briefing().markdown

    assert markdown_headings(markdown) == [
        "# Briefing: \\<script\\>alert('topic')\\</script\\>",
        "## World",
        "### \\<script\\>alert('title')\\</script\\>Harbour tunnel opens",
    ]
    assert markdown_links(markdown) == WEB_LINKS
    assert markdown_structure_breaks(markdown) == []
