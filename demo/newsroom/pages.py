"""The newsroom's human-facing HTML: a front page and one page per story."""

from html import escape

from demo.newsroom.catalogue import Catalogue, Story
from demo.newsroom.feed_common import feed_url, story_url
from demo.newsroom.outlets import OUTLETS, OUTLETS_BY_SLUG

_STYLE = (
    "body{font-family:Georgia,serif;max-width:42rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#222}small,.meta{color:#666}a{color:#14508c}"
)


def index_page(catalogue: Catalogue, base_url: str) -> str:
    rows = []
    for outlet in OUTLETS:
        stories = catalogue.for_outlet(outlet.slug)
        url = feed_url(base_url, outlet.slug)
        headlines = "".join(
            f'<li><a href="{escape(story_url(base_url, story.slug))}">{escape(story.title)}</a>'
            "</li>"
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
    return _layout("The demo newsroom", body)


def story_page(story: Story, base_url: str) -> str:
    outlet = OUTLETS_BY_SLUG[story.outlet]
    paragraphs = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in story.body)
    tags = ", ".join(escape(tag) for tag in story.tags)
    published = story.published.strftime("%d %B %Y, %H:%M UTC")
    body = (
        f'<p><a href="{escape(base_url)}/">{escape(outlet.name)}</a> &middot; '
        f"{escape(story.section)}</p>"
        f"<article><h1>{escape(story.title)}</h1><p><strong>{escape(story.dek)}</strong></p>"
        f'<p class="meta">By {escape(story.author)} &middot; '
        f'<time datetime="{story.published.isoformat()}">{published}</time></p>'
        f'{paragraphs}<p class="meta">Tags: {tags}</p></article>'
    )
    return _layout(f"{story.title} | {outlet.name}", body)


def not_found_page(what: str) -> str:
    return _layout("Not found", f"<h1>Not found</h1><p>No such {escape(what)}.</p>")


def _layout(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )
