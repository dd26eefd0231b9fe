"""What a person sees for a feed URL: the outlet's name for our newsroom, else host and path."""

from urllib.parse import urlsplit

from demo.newsroom.outlets import OUTLETS, feed_path

_OUTLET_NAMES = {feed_path(outlet): outlet.name for outlet in OUTLETS}


def source_label(url: str) -> str:
    # By path alone: the newsroom may run on any host and port (BRIEFING_NEWSROOM_URL, tests).
    parts = urlsplit(url)
    return _OUTLET_NAMES.get(parts.path) or f"{parts.netloc}{parts.path}"
