"""parse_feed on feeds written here: limits that real feeds rarely reach."""

from activities.feeds.parsing import parse_feed
from activities.models import ENTRIES_PER_FEED_MAX, PAYLOAD_BUDGET_BYTES


def rss(items: list[str]) -> bytes:
    body = "".join(items)
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Wide News</title><link>http://wide.test/</link>{body}</channel></rss>"
    ).encode()


def item(number: int, text: str) -> str:
    return (
        f"<item><title>Story {number}</title><link>http://wide.test/{number}</link>"
        f"<pubDate>Fri, 27 Nov 2026 {number % 24:02d}:00:00 +0000</pubDate>"
        f"<description>{text}</description></item>"
    )


def test_a_feed_of_long_non_latin_stories_stays_within_the_payload_budget():
    text = "東京の記者が長い記事を書いた。" * 400  # 3 bytes a character in UTF-8
    result = parse_feed("http://wide.test/feed", rss([item(n, text) for n in range(40)]))
    assert 0 < len(result.entries) < ENTRIES_PER_FEED_MAX
    assert len(result.model_dump_json().encode()) < PAYLOAD_BUDGET_BYTES


def test_html_in_titles_and_bodies_becomes_plain_text():
    escaped = "&lt;p&gt;First &amp;amp; second.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    result = parse_feed("http://wide.test/feed", rss([item(1, escaped)]))
    [entry] = result.entries
    assert entry.excerpt == "First & second."
    assert entry.source_name == "Wide News"
