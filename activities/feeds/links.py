"""Links from feeds: only absolute http(s) URLs get through, in a form safe to print anywhere.

A feed's link ends up in an href, in the Markdown export's `[name](<link>)` and in Atom, so a
link that passes is percent-encoded until it holds no space, quote or angle bracket.
"""

import re
from urllib.parse import quote, urljoin, urlsplit

LINK_MAX_CHARS = 2000
WEB_SCHEMES = ("http", "https")
# URL syntax characters kept as they are; quote() also keeps letters, digits and "_.-~".
_URL_SYNTAX = "!#$%&'()*+,/:;=?@[]"
# Browsers drop tabs and newlines inside a URL, so "java\tscript:" would pass a scheme check
# and then run: a link holding any control character is refused outright.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def http_link(link: str, base: str | None = None) -> str | None:
    """`link` as an absolute http(s) URL (resolved against `base` if relative), else None."""
    candidate = link.strip()
    if not candidate or _CONTROL.search(candidate):
        return None
    try:
        if base:
            candidate = urljoin(base, candidate)
        printable = quote(candidate, safe=_URL_SYNTAX)
        parts = urlsplit(printable)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme not in WEB_SCHEMES or not host or len(printable) > LINK_MAX_CHARS:
        return None
    return printable
