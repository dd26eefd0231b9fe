"""Which text each story is summarised from, and which spare takes whose place."""

from activities.models import ArticleRead, Story, TextSource
from workflows.reading import (
    choose,
    feed_text,
    read_detail,
    read_input,
    spares_for,
    story_text,
)


def story(name: str, excerpt: str = "One sentence from the feed.", links=None) -> Story:
    return Story(
        id=name,
        title=f"Story {name}",
        excerpt=excerpt,
        links=[f"http://newsroom.test/stories/{name}"] if links is None else links,
        source_names=["The Herald"],
    )


def article(item: Story, text: str = "The whole story. It has sentences.") -> ArticleRead:
    return ArticleRead(url=item.links[0], source=TextSource.ARTICLE, text=text)


def no_article(item: Story, reason: str = "the link is a PDF, not a web page") -> ArticleRead:
    return ArticleRead(url=item.links[0], source=TextSource.FEED, reason=reason)


def test_one_spare_for_every_four_stories_wanted():
    assert [spares_for(n) for n in (1, 4, 5, 8, 25)] == [1, 1, 2, 2, 7]


def test_the_page_to_read_is_the_first_link_and_the_feed_text_is_measured_against_it():
    item = story("a", excerpt="x" * 40, links=["", "http://a.test/1", "http://b.test/1"])
    page = read_input(item)
    assert page is not None and (page.url, page.feed_chars) == ("http://a.test/1", 40)
    assert read_input(story("b", links=[])) is None


def test_an_article_read_is_summarised_from_its_text_and_says_how_much():
    item = story("a")
    text = story_text(item, article(item, "Four words here now."))
    assert (text.source, text.article_text) == (TextSource.ARTICLE, "Four words here now.")
    assert read_detail(text) == "read 4 words from the article"


def test_a_page_with_no_article_leaves_the_feed_text_and_says_why():
    item = story("a")
    text = story_text(item, no_article(item))
    assert (text.source, text.article_text) == (TextSource.FEED, "")
    assert read_detail(text) == "the feed's description is used: the link is a PDF, not a web page"
    headline_only = feed_text(story("b", excerpt=""), "the page is behind a paywall")
    assert read_detail(headline_only) == "only the headline is used: the page is behind a paywall"


def test_a_spare_that_read_an_article_takes_the_place_of_the_story_it_was_read_for():
    a, b, c, spare_1, spare_2 = (story(name) for name in ("a", "b", "c", "s1", "s2"))
    wanted = [story_text(a, article(a)), story_text(b, no_article(b)), story_text(c, no_article(c))]
    spares = [story_text(spare_1, article(spare_1)), story_text(spare_2, no_article(spare_2))]
    chosen = choose(wanted, spares)
    # b is replaced by the spare read for it; c keeps its feed text, its spare had no article.
    assert [text.story.id for text in chosen] == ["a", "s1", "c"]
    assert [text.source for text in chosen] == [
        TextSource.ARTICLE,
        TextSource.ARTICLE,
        TextSource.FEED,
    ]


def test_a_story_with_no_text_at_all_is_dropped_unless_a_spare_has_some():
    bare_1, bare_2, spare = story("a", excerpt=""), story("b", excerpt=""), story("s")
    wanted = [feed_text(bare_1, "HTTP 404"), feed_text(bare_2, "HTTP 404")]
    chosen = choose(wanted, [feed_text(spare, "the page is behind a paywall")])
    # The spare's feed sentence beats a headline alone; the second bare story had no spare left.
    assert [text.story.id for text in chosen] == ["s"]


def test_without_spares_every_story_with_text_is_kept_in_rank_order():
    a, b = story("a"), story("b")
    chosen = choose([feed_text(a), story_text(b, article(b))], [])
    assert [text.story.id for text in chosen] == ["a", "b"]
