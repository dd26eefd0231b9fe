"""A story's main text pulled out of its page: trafilatura, with its own fallbacks left on.

Runs in a limited child process (hostile HTML is as dangerous as hostile XML), never in the
worker itself. Pages marked as paywalled in their structured data (schema.org's
`isAccessibleForFree: false`, the mark publishers give search engines) are reported as such:
what is extracted from them is a teaser, not the story.
"""

import json
import re
from collections.abc import Iterator

import lxml.html
import trafilatura
from pydantic import BaseModel

from activities.feeds.text import without_control_characters
from activities.models import ARTICLE_TEXT_MAX_CHARS

# A sentence ends at . ! ? (or one closed by a quote or bracket) followed by a space.
_SENTENCE_END = re.compile(r"""[.!?…][”"’')\]]*(?=\s)""")


class Extraction(BaseModel):
    text: str
    paywalled: bool = False


def extract_article(url: str, html: bytes) -> Extraction:
    text = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
        deduplicate=True,
    )
    cleaned = _paragraphs(without_control_characters(text or ""))
    return Extraction(
        text=cut_at_sentence(cleaned, ARTICLE_TEXT_MAX_CHARS), paywalled=_marked_paywalled(html)
    )


def cut_at_sentence(text: str, limit: int) -> str:
    """At most `limit` characters, ending with a whole sentence (or a word, if none ends)."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [match.end() for match in _SENTENCE_END.finditer(head + " ")]
    if ends:
        return head[: ends[-1]].rstrip()
    return head[: limit - 1].rsplit(" ", 1)[0] + "…"


def _paragraphs(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def _marked_paywalled(html: bytes) -> bool:
    try:
        document = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return False
    for script in document.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        if any(_is_false(value) for value in _values_of(data, "isAccessibleForFree")):
            return True
    return False


def _values_of(data: object, key: str) -> Iterator[object]:
    """Every value of `key` anywhere in a JSON-LD document (objects, lists, @graph)."""
    if isinstance(data, dict):
        for name, value in data.items():
            if name == key:
                yield value
            yield from _values_of(value, key)
    elif isinstance(data, list):
        for item in data:
            yield from _values_of(item, key)


def _is_false(value: object) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")
