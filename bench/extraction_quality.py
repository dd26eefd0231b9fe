"""Article extraction quality: `extract_article` on the corpus of `testing/article_pages/`, scored
against each page's true text by token overlap, beside two baselines measured in the same run
(trafilatura with its default options, and every text node of <body>).

Each extractor reads every page `--rounds` times, interleaved with the others; a page's time is
its median round, its score that of the first (extraction is deterministic). Prints a table
per page and one per extractor; then one per extractor on a held-out set no option was chosen
on: the demo newsroom's open story pages (three site templates and their clutter), whose true
text is the story's body.

    python -m bench.extraction_quality --rounds 20
"""

import argparse
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import trafilatura

from activities.articles.extraction import extract_article
from bench.common import markdown_table, percentile
from demo.newsroom.catalogue import load_catalogue
from demo.newsroom.outlets import OUTLETS
from demo.newsroom.pages import story_page
from testing.article_corpus import CorpusPage, body_text, corpus_pages
from testing.text_overlap import Overlap, token_overlap

SMOKE_PAGES = ("classic_news", "blog_comments")
NEWSROOM = "http://newsroom.example"


def ours(page: CorpusPage) -> str:
    return extract_article(page.url, page.html).text


def trafilatura_defaults(page: CorpusPage) -> str:
    return trafilatura.extract(page.html, url=page.url) or ""


def all_of_body(page: CorpusPage) -> str:
    return body_text(page.html)


EXTRACTORS: dict[str, Callable[[CorpusPage], str]] = {
    "extract_article": ours,
    "trafilatura, default options": trafilatura_defaults,
    "all text of <body>": all_of_body,
}


@dataclass(frozen=True)
class PageResult:
    page: str
    overlap: Overlap
    milliseconds: float


def newsroom_pages() -> list[CorpusPage]:
    catalogue = load_catalogue()
    return [
        CorpusPage(
            story.slug, story_page(story, catalogue, NEWSROOM).encode(), "\n".join(story.body)
        )
        for outlet in OUTLETS
        if outlet.access == "open"
        for story in catalogue.for_outlet(outlet.slug)
        if story.link == "page"
    ]


def measure(pages: Sequence[CorpusPage], rounds: int) -> dict[str, list[PageResult]]:
    """Every extractor on every page, interleaved, so that a busy moment of the (shared)
    machine slows them all alike."""
    texts: dict[tuple[str, str], str] = {}
    times: dict[tuple[str, str], list[float]] = defaultdict(list)
    for _ in range(rounds):
        for page in pages:
            for name, extractor in EXTRACTORS.items():
                started = time.perf_counter()
                text = extractor(page)
                times[name, page.name].append((time.perf_counter() - started) * 1000)
                texts.setdefault((name, page.name), text)
    return {
        name: [
            PageResult(
                page.name,
                token_overlap(texts[name, page.name], page.true_text),
                statistics.median(times[name, page.name]),
            )
            for page in pages
        ]
        for name in EXTRACTORS
    }


def per_page_table(results: dict[str, list[PageResult]]) -> str:
    names = list(results)
    header = ["page", "precision", "recall", "F1", "ms"] + [f"F1, {name}" for name in names[1:]]
    rows = []
    for index, mine in enumerate(results[names[0]]):
        others = [f"{results[name][index].overlap.f1:.3f}" for name in names[1:]]
        overlap = mine.overlap
        scores = [f"{overlap.precision:.3f}", f"{overlap.recall:.3f}", f"{overlap.f1:.3f}"]
        rows.append([mine.page, *scores, f"{mine.milliseconds:.1f}", *others])
    return markdown_table(header, rows)


def summary_table(results: dict[str, list[PageResult]]) -> str:
    def row(name: str, pages: Sequence[PageResult]) -> list[object]:
        def mean(values: list[float]) -> str:
            return f"{statistics.mean(values):.3f}"

        times = [page.milliseconds for page in pages]
        return [
            name,
            mean([page.overlap.precision for page in pages]),
            mean([page.overlap.recall for page in pages]),
            mean([page.overlap.f1 for page in pages]),
            f"{statistics.mean(times):.1f}",
            f"{percentile(times, 0.5):.1f}",
        ]

    header = ["extractor", "mean precision", "mean recall", "mean F1", "mean ms/page", "p50 ms"]
    return markdown_table(header, [row(name, pages) for name, pages in results.items()])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20, help="extractions of each page")
    parser.add_argument("--smoke", action="store_true", help="two pages, two rounds, for CI")
    args = parser.parse_args()
    pages = corpus_pages()
    if args.smoke:
        args.rounds, pages = 2, [page for page in pages if page.name in SMOKE_PAGES]
    for extractor in EXTRACTORS.values():  # warm-up: imports, trafilatura's lazy tables
        extractor(pages[0])
    results = measure(pages, args.rounds)
    ours_ms, defaults_ms = (
        statistics.mean(page.milliseconds for page in results[name])
        for name in ("extract_article", "trafilatura, default options")
    )
    notes = [
        f"{len(pages)} pages, {args.rounds} rounds each, extractors interleaved; "
        "ms: the median round of a page.",
        f"Time of extract_article / trafilatura's defaults, mean per page: "
        f"{ours_ms / defaults_ms:.2f}.",
    ]
    held_out = newsroom_pages()[: 2 if args.smoke else None]
    newsroom = summary_table(measure(held_out, 1 if args.smoke else 3))
    notes.append(f"Held out: the demo newsroom's {len(held_out)} open story pages.")
    print(per_page_table(results), summary_table(results), *notes, newsroom, sep="\n\n")


if __name__ == "__main__":
    main()
