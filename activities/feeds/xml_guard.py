"""Refusing XML entity declarations before feedparser sees a feed.

Feeds have no use for them, and every entity attack needs one: nested expansion (billion laughs),
one large entity referenced many times (quadratic blowup: expat stops it, then feedparser's loose
fallback parser expands it anyway: 1.4 GB of memory for a 90 KB feed), and external entities naming
file:// or http:// URLs. Refusing the declaration is simpler and more robust than tuning parsers.
"""

import re

from feedparser.encodings import convert_to_utf8

from activities.errors import FeedError
from activities.feeds.job_refusal import JobRefused

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


def refuse_entity_declarations(url: str, body: bytes) -> None:
    # Checked on the bytes as feedparser will decode them too, so UTF-16 or a declared
    # charset cannot hide a declaration from a byte search.
    as_feedparser_reads_it = convert_to_utf8({}, body, {})
    if _ENTITY_DECLARATION.search(body) or _ENTITY_DECLARATION.search(as_feedparser_reads_it):
        raise JobRefused(
            f"feed refused: {url} declares XML entities, which feeds have no use for"
            " (a way to expand the feed into gigabytes or read local files)",
            kind=FeedError.UNSAFE_XML,
            non_retryable=True,
        )
