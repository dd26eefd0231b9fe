"""Feed links: only absolute http(s) URLs pass, printable in HTML, Markdown and XML as they are."""

import pytest

from activities.feeds.links import LINK_MAX_CHARS, http_link


def test_a_web_link_passes_unchanged() -> None:
    link = "https://news.example/a/story?id=3&x=%20#top"
    assert http_link(link) == link


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "file:///etc/passwd",
        "ftp://files.example/x",
        "mailto:someone@example.org",
        "http:evil.example",
        "http://",
        "https://[::1",
        "",
    ],
)
def test_anything_but_an_absolute_http_url_is_refused(link: str) -> None:
    assert http_link(link) is None


def test_a_relative_link_resolves_against_the_feed_but_a_foreign_scheme_does_not() -> None:
    base = "https://herald.example/feeds/world.xml"
    assert http_link("/stories/7", base=base) == "https://herald.example/stories/7"
    assert http_link("javascript:alert(1)", base=base) is None


def test_characters_that_could_end_an_attribute_or_a_markdown_link_are_percent_encoded() -> None:
    link = http_link('https://news.example/a b"c<d>e\\f')
    assert link == "https://news.example/a%20b%22c%3Cd%3Ee%5Cf"


def test_a_link_too_long_to_be_real_is_refused() -> None:
    assert http_link("https://news.example/" + "a" * LINK_MAX_CHARS) is None
