from datetime import UTC, datetime, timedelta

from activities.models import FeedEntry
from workflows.selection import select_stories

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def entry(title: str, source: str, *, hours_ago: float = 1, excerpt: str = "", categories=()):
    return FeedEntry(
        title=title,
        link=f"http://{source}/{title.lower().replace(' ', '-')}",
        published=NOW - timedelta(hours=hours_ago),
        source_name=source,
        source_url=f"http://{source}/feed",
        excerpt=excerpt or title,
        categories=list(categories),
    )


def test_near_duplicate_titles_from_two_sources_become_one_story_with_both_links():
    entries = [
        entry("Council approves funding for tidal barrier", "herald"),
        entry("Harbour council approves tidal barrier funding", "ledger"),
        entry("Tidal energy startup raises funds", "circuit"),
    ]
    selection = select_stories(entries, topic="tidal", now=NOW, max_stories=5)
    merged = [story for story in selection.stories if len(story.links) == 2]
    assert len(selection.stories) == 2
    assert len(merged) == 1
    assert set(merged[0].source_names) == {"herald", "ledger"}


def test_similar_titles_from_the_same_source_stay_separate():
    entries = [
        entry("Council approves funding for tidal barrier", "herald"),
        entry("Council approves funding for tidal barrier repairs", "herald"),
    ]
    selection = select_stories(entries, topic="tidal", now=NOW, max_stories=5)
    assert len(selection.stories) == 2


def test_one_link_twice_in_a_feed_is_one_story_so_no_two_summaries_share_an_activity_id():
    first = entry("Tidal barrier approved", "herald")
    again = first.model_copy(update={"title": "Volcano erupts near the tidal lagoon"})
    selection = select_stories([first, again], topic="tidal", now=NOW, max_stories=5)
    assert len(selection.stories) == selection.candidates == 1


def test_stories_about_the_topic_come_before_unrelated_ones():
    entries = [
        entry("Football final goes to penalties", "sport", hours_ago=0.5),
        entry("Telescope finds water on distant moon", "lab", hours_ago=30, categories=["science"]),
    ]
    selection = select_stories(entries, topic="science", now=NOW, max_stories=1)
    assert selection.topic_matched
    assert selection.stories[0].title == "Telescope finds water on distant moon"


def test_recent_story_wins_between_equally_relevant_ones():
    entries = [
        entry("Battery prices fall again", "a", hours_ago=70),
        entry("Battery recycling plant opens", "b", hours_ago=2),
    ]
    selection = select_stories(entries, topic="battery", now=NOW, max_stories=2)
    assert [story.title for story in selection.stories] == [
        "Battery recycling plant opens",
        "Battery prices fall again",
    ]


def test_when_nothing_matches_the_topic_the_latest_stories_are_chosen_and_flagged():
    entries = [
        entry("Old market report", "a", hours_ago=50),
        entry("Fresh theatre review", "b", hours_ago=1),
    ]
    selection = select_stories(entries, topic="volcano", now=NOW, max_stories=1)
    assert not selection.topic_matched
    assert selection.stories[0].title == "Fresh theatre review"


def test_max_stories_caps_the_selection_and_the_order_is_deterministic():
    subjects = ["comets", "corals", "glaciers", "vaccines", "lasers", "fossils", "bees", "quasars"]
    entries = [
        entry(f"Science of {subject}", f"s{n}", hours_ago=n) for n, subject in enumerate(subjects)
    ]
    first = select_stories(entries, topic="science", now=NOW, max_stories=4)
    second = select_stories(list(reversed(entries)), topic="science", now=NOW, max_stories=4)
    assert len(first.stories) == 4
    assert [s.id for s in first.stories] == [s.id for s in second.stories]
