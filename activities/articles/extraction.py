"""A story's main text pulled out of its page: trafilatura, with its own fallbacks left on.

Runs in a limited child process (hostile HTML is as dangerous as hostile XML), never in the
worker itself. Pages marked as paywalled in their structured data (schema.org's
`isAccessibleForFree: false`, the mark publishers give search engines) are reported as such:
what is extracted from them is a teaser, not the story.

The options were chosen on the article corpus of `testing/article_pages/` (bench and results:
`bench/extraction_quality.py`, docs/benchmarks.md): precision first, tables kept (results
tables are the story, and old CMSs lay whole pages out in tables), the headline dropped (the
summary gets the title separately), social-media embeds removed.
"""

import json
import re
from collections.abc import Iterator

import trafilatura
from lxml.html import HtmlElement
from pydantic import BaseModel

from activities.feeds.text import without_control_characters
from activities.models import ARTICLE_TEXT_MAX_CHARS

# A sentence ends at . ! ? (or one closed by a quote or bracket) followed by a space.
_SENTENCE_END = re.compile(r"""[.!?…][”"’»')\]]*(?=\s)""")
# The blockquotes the big platforms' embed snippets put into a page: someone else's post.
_SOCIAL_EMBEDS = (
    "//blockquote[contains(@class, 'twitter-tweet') or contains(@class, 'instagram-media')"
    " or contains(@class, 'tiktok-embed')]"
)
# What sites put between the headline and their own name in <title>.
_TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+")


class Extraction(BaseModel):
    text: str
    paywalled: bool = False


def extract_article(url: str, html: bytes) -> Extraction:
    document = trafilatura.load_html(html)
    if document is None:
        return Extraction(text="")
    paywalled = _marked_paywalled(document)
    headlines = _headlines(document)
    for embed in document.xpath(_SOCIAL_EMBEDS):
        embed.drop_tree()
    text = trafilatura.extract(
        document,
        url=url,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_precision=True,
        # trafilatura's deduplication remembers text across calls in the process: a page read
        # a third time by the same (long-lived) child came back empty.
        deduplicate=False,
    )
    paragraphs = _paragraphs(without_control_characters(text or ""))
    if paragraphs and paragraphs[0].casefold() in headlines:
        paragraphs = paragraphs[1:]
    return Extraction(
        text=cut_at_sentence("\n\n".join(paragraphs), ARTICLE_TEXT_MAX_CHARS), paywalled=paywalled
    )


def cut_at_sentence(text: str, limit: int) -> str:
    """At most `limit` characters, ending with a whole sentence (or a word, if none ends)."""
    if len(text) <= limit:
        return text
    # One character past the limit tells a sentence's end from a quote that closes it later.
    ends = [match.end() for match in _SENTENCE_END.finditer(text[: limit + 1])]
    if ends:
        return text[: ends[-1]].rstrip()
    head = text[: limit - 1]
    if not (head[-1:].isspace() or text[limit - 1].isspace()):
        head = head.rsplit(None, 1)[0]  # the cut is inside a word: leave that word out
    return head.rstrip() + "…"


def _paragraphs(text: str) -> list[str]:
    """One block per paragraph; a table's rows (trafilatura writes them `| a | b |`) stay one."""
    blocks: list[str] = []
    for line in (" ".join(line.split()) for line in text.splitlines()):
        if line.startswith("|") and blocks and blocks[-1].startswith("|"):
            blocks[-1] += "\n" + line
        elif line:
            blocks.append(line)
    return blocks


def _headlines(document: HtmlElement) -> set[str]:
    """The page's headline as its <h1>, og:title and <title> (without the site's name) say."""
    found = [heading.text_content() for heading in document.iter("h1")]
    found += document.xpath("//meta[@property='og:title']/@content")
    title = document.findtext(".//title") or ""
    found += [title, _TITLE_SEPARATORS.split(title.strip())[0]]
    return {" ".join(str(text).split()).casefold() for text in found} - {""}


def _marked_paywalled(document: HtmlElement) -> bool:
    for script in document.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):  # nested past the stack: not a mark we can read
            continue
        if any(_is_false(value) for value in _values_of(data, "isAccessibleForFree")):
            return True
    return False


def _values_of(data: object, key: str) -> Iterator[object]:
    """Every value of `key` anywhere in a JSON-LD document (objects, lists, @graph).

    Walked with a list, not recursion: however deep the document, no stack runs out."""
    pending = [data]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if key in node:
                yield node[key]
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)


def _is_false(value: object) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")
