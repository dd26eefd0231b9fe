"""The story catalogue: the packaged content's coverage, and clear errors for broken content."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from demo.newsroom.catalogue import SECTIONS, CatalogueError, load_catalogue
from tests.demo.newsroom.content_files import story_record, write_content


def test_packaged_catalogue_covers_40_stories_5_outlets_and_every_section() -> None:
    stories = load_catalogue().stories

    assert len(stories) >= 40
    assert len({story.outlet for story in stories}) >= 5
    assert {story.section for story in stories} == set(SECTIONS)


def test_duplicate_slug_is_named_with_both_files(tmp_path: Path) -> None:
    write_content(tmp_path, "sport.json", [story_record("same-slug")])
    write_content(tmp_path, "world.json", [story_record("same-slug")])

    with pytest.raises(CatalogueError, match=r"world\.json, story 'same-slug'.*sport\.json"):
        load_catalogue(tmp_path)


def test_unknown_outlet_is_named_with_its_file_and_story(tmp_path: Path) -> None:
    write_content(tmp_path, "tech.json", [story_record("gadget", outlet="daily-bugle")])

    with pytest.raises(CatalogueError, match=r"tech\.json, story 'gadget'.*'daily-bugle'"):
        load_catalogue(tmp_path)


def test_empty_body_is_named_with_its_file_and_story(tmp_path: Path) -> None:
    write_content(tmp_path, "science.json", [story_record("hollow", body=[])])

    with pytest.raises(CatalogueError, match=r"science\.json, story 'hollow'.*body"):
        load_catalogue(tmp_path)


def test_unreadable_json_is_named_with_its_file(tmp_path: Path) -> None:
    (tmp_path / "culture.json").write_text('[{"slug": "half', encoding="utf-8")

    with pytest.raises(CatalogueError, match=r"culture\.json: unreadable JSON"):
        load_catalogue(tmp_path)


def test_publication_time_is_hours_before_now_rounded_to_the_minute(tmp_path: Path) -> None:
    write_content(tmp_path, "world.json", [story_record("dated", published_hours_ago=1.5)])
    now = datetime(2025, 3, 14, 12, 0, 40, 123, tzinfo=UTC)

    story = load_catalogue(tmp_path, now).stories[0]

    assert story.published == datetime(2025, 3, 14, 10, 31, tzinfo=UTC)


def test_outlet_stories_come_newest_first(tmp_path: Path) -> None:
    records = [
        story_record("older", published_hours_ago=9),
        story_record("newer", published_hours_ago=1),
        story_record("elsewhere", outlet="lab-notes", published_hours_ago=0),
    ]
    write_content(tmp_path, "world.json", records)

    stories = load_catalogue(tmp_path).for_outlet("harbour-herald")

    assert [story.slug for story in stories] == ["newer", "older"]
