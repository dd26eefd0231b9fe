"""Turning feed HTML into short plain text."""

import re
from html.parser import HTMLParser

_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}
_SKIPPED_TAGS = {"script", "style"}
# Control characters other than whitespace: in a terminal (`briefing new --wait` prints the
# briefing) an escape sequence from a feed could rewrite the screen. Bidi controls (embeddings,
# overrides, isolates, marks) let a title display reversed or spoof what follows it, and
# invisible characters (zero-width space, word joiner, BOM) make look-alike titles and hide
# words from filters. ZWJ and ZWNJ stay: Persian, Indic scripts and emoji need them.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f"
    r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    r"\u200b\u2060-\u2064\ufeff\u180e]"
)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS and self._skipping:
            self._skipping -= 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text with paragraphs kept as blank-line breaks."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    paragraphs = re.split(r"\n\s*\n", without_control_characters("".join(extractor.parts)))
    cleaned = (" ".join(paragraph.split()) for paragraph in paragraphs)
    return "\n\n".join(paragraph for paragraph in cleaned if paragraph)


def without_control_characters(text: str) -> str:
    return _CONTROL.sub("", text)


def truncate_text(text: str, limit: int) -> str:
    """Cut at a word boundary so excerpts never end mid-word."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"
