"""An outlet's feed in the outlet's own format."""

from datetime import datetime

from demo.newsroom import atom, rss
from demo.newsroom.catalogue import Story
from demo.newsroom.outlets import Outlet


def render_feed(outlet: Outlet, stories: list[Story], base_url: str, now: datetime) -> str:
    """`stories` newest first; `now` dates a feed that has no stories."""
    render = rss.render_rss if outlet.feed_format == "rss" else atom.render_atom
    return render(outlet, stories, base_url, now)


def feed_media_type(outlet: Outlet) -> str:
    media_type = rss.MEDIA_TYPE if outlet.feed_format == "rss" else atom.MEDIA_TYPE
    return f"{media_type}; charset=utf-8"
