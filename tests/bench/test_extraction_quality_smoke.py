"""bench.extraction_quality runs and prints its tables (figures are not checked here: the
quality floors are tests/activities/articles/test_extraction.py's, timings the machine's)."""

from tests.bench.smoke import run_smoke, table_rows


def test_extraction_quality_prints_its_pages_and_every_extractor():
    output = run_smoke("bench.extraction_quality")

    rows = table_rows(output)
    assert {"classic_news", "blog_comments"} <= rows.keys()
    assert {"extract_article", "trafilatura, default options", "all text of <body>"} <= rows.keys()
    assert "2 pages, 2 rounds each" in output
    assert "Time of extract_article / trafilatura's defaults" in output
