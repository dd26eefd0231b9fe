"""The newsroom's human-facing HTML: a front page, and story pages dressed as real news sites."""

import json
from html import escape

from demo.newsroom import page_clutter
from demo.newsroom.catalogue import Catalogue, Story
from demo.newsroom.feed_common import feed_url, story_link, story_url
from demo.newsroom.outlets import OUTLETS, OUTLETS_BY_SLUG
from demo.newsroom.page_layouts import LAYOUTS
from demo.newsroom.page_parts import StoryView

_STYLE = (
    "body{font-family:Georgia,serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#222}small,.meta,.byline{color:#666}a{color:#14508c}"
    "nav ul,.menu ul{list-style:none;padding:0}nav li,.menu li{display:inline;margin-right:1em}"
    ".cookie-banner,.gdpr-consent,.consent{background:#f3f0e8;padding:.5rem 1rem}"
    ".paywall{border:2px solid #14508c;padding:1rem;margin:1rem 0}"
)
# The CSS selector of the paywalled part, as schema.org's paywall markup names it.
PAYWALL_SELECTOR = ".paywall"


def index_page(catalogue: Catalogue, base_url: str) -> str:
    rows = []
    for outlet in OUTLETS:
        stories = catalogue.for_outlet(outlet.slug)
        url = feed_url(base_url, outlet.slug)
        headlines = "".join(
            f'<li><a href="{escape(story_link(base_url, story))}">{escape(story.title)}</a></li>'
            for story in stories[:3]
        )
        rows.append(
            f"<section><h2>{escape(outlet.name)}</h2><p><em>{escape(outlet.tagline)}</em></p>"
            f'<p class="meta">{outlet.feed_format.upper()} feed: '
            f'<a href="{escape(url)}">{escape(url)}</a> &middot; {len(stories)} stories</p>'
            f"<ul>{headlines}</ul></section>"
        )
    body = (
        "<h1>The demo newsroom</h1>"
        "<p>Six fictional outlets publishing original synthetic stories.</p>" + "".join(rows)
    )
    return _document("The demo newsroom", body)


def story_page(story: Story, catalogue: Catalogue, base_url: str) -> str:
    """The story inside its site's clutter; behind a paywall, only its first paragraph."""
    outlet = OUTLETS_BY_SLUG[story.outlet]
    paywalled = outlet.access == "paywall"
    view = StoryView(
        story=story,
        outlet=outlet,
        base_url=base_url,
        paragraphs=story.body[:1] if paywalled else story.body,
        related=tuple(page_clutter.related_stories(story, catalogue)),
        comments=page_clutter.comments_for(story),
        paywalled=paywalled,
    )
    body = LAYOUTS[outlet.layout](view)
    return _document(f"{story.title} | {outlet.name}", body, _structured_data(view))


def not_found_page(what: str) -> str:
    return _document("Not found", f"<h1>Not found</h1><p>No such {escape(what)}.</p>")


def _structured_data(view: StoryView) -> str:
    """schema.org NewsArticle JSON-LD, as publishers give it to search engines."""
    story = view.story
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "description": story.dek,
        "datePublished": story.published.isoformat(),
        "dateModified": story.published.isoformat(),
        "author": [{"@type": "Person", "name": story.author}],
        "publisher": {"@type": "Organization", "name": view.outlet.name},
        "mainEntityOfPage": story_url(view.base_url, story.slug),
        "articleSection": story.section,
    }
    if view.paywalled:
        # Google's documented markup for paywalled content (strings, as in its examples).
        data["isAccessibleForFree"] = "False"
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": "False",
            "cssSelector": PAYWALL_SELECTOR,
        }
    # "<" escaped so no text in the data can close the script element.
    encoded = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{encoded}</script>'


def _document(title: str, body: str, head_extra: str = "") -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style>{head_extra}</head>"
        f"<body>{body}</body></html>"
    )
