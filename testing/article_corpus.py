"""The article-extraction corpus: pages written for this project, each with its true text.

Every page in `article_pages/` (`NAME.html`) has a sibling `NAME.txt`: the text a careful reader
calls the article. The headline, standfirst, byline, captions, author bios, related links,
comments, embeds and every piece of site furniture are left out; body paragraphs, subheadings,
block quotes, tables' cells and a live blog's update times are in. A pull quote that repeats a
sentence of the body counts once, where the body has it. All text is original.
"""

from dataclasses import dataclass
from pathlib import Path

import lxml.html

PAGES = Path(__file__).parent / "article_pages"
# Text no reader sees.
_INVISIBLE = ("script", "style", "noscript", "template")


@dataclass(frozen=True)
class CorpusPage:
    name: str
    html: bytes
    true_text: str

    @property
    def url(self) -> str:
        return f"https://{self.name.replace('_', '-')}.example/article"


def corpus_pages() -> list[CorpusPage]:
    return [
        CorpusPage(path.stem, path.read_bytes(), path.with_suffix(".txt").read_text())
        for path in sorted(PAGES.glob("*.html"))
    ]


def corpus_page(name: str) -> CorpusPage:
    path = PAGES / f"{name}.html"
    return CorpusPage(name, path.read_bytes(), path.with_suffix(".txt").read_text())


def body_text(html: bytes) -> str:
    """Every text node of <body> a reader could see, spaced: the naive extraction."""
    body = lxml.html.document_fromstring(html).find(".//body")
    if body is None:
        return ""
    for node in body.iter(*_INVISIBLE):
        node.text = ""
    return " ".join(str(text) for text in body.itertext())
