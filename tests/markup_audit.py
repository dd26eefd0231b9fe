"""What rendered output holds, read as a browser or a Markdown reader would read it."""

import re
from html.parser import HTMLParser

# Every element and attribute a rendered briefing article uses; anything else came from content.
ARTICLE_TAGS = {"div", "h2", "h3", "h4", "p", "section", "ul", "li", "a"}
ARTICLE_ATTRIBUTES = {"class", "href", "rel", "title"}
_MARKDOWN_LINK = re.compile(r"\]\(<([^>\n]*)>\)")
# An unescaped "://", "www." or "@" is turned into a link by GitHub's Markdown.
_MARKDOWN_AUTOLINK = re.compile(r"(?<!\\)(?::(?=//)|www\.|@)|(?<!\\)<")


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(document: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(document)
    parser.close()
    return parser.elements


def hrefs(document: str) -> list[str]:
    return [attrs["href"] or "" for _, attrs in elements(document) if "href" in attrs]


def foreign_markup(
    document: str,
    *,
    also_tags: frozenset[str] = frozenset(),
    also_attributes: frozenset[str] = frozenset(),
) -> list[str]:
    """Elements or attributes that no template around a briefing article writes."""
    tags, attributes = ARTICLE_TAGS | also_tags, ARTICLE_ATTRIBUTES | also_attributes
    found = []
    for tag, attrs in elements(document):
        if tag not in tags:
            found.append(f"<{tag}>")
        found += [f"<{tag} {name}>" for name in attrs if name not in attributes]
    return found


def markdown_headings(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("#")]


def markdown_links(markdown: str) -> list[str]:
    return _MARKDOWN_LINK.findall(markdown)


def markdown_structure_breaks(markdown: str) -> list[str]:
    """Lines that would open a list, quote, code block or HTML, and text that would autolink."""
    lines = [line for line in markdown.splitlines() if line and line != "---"]
    starts = re.compile(r"^(?:[-+*>=~]|\d+[.)]|```| {4}|<)")
    broken = [line for line in lines if starts.match(line)]
    outside_links = _MARKDOWN_LINK.sub("]()", markdown)
    broken += [match.group() for match in _MARKDOWN_AUTOLINK.finditer(outside_links)]
    return broken
