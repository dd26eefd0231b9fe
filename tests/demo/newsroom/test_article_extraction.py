"""What an article extractor makes of our story pages: trafilatura, as read_article runs it
(precision first, comments left out), recovers every paragraph and no clutter."""

import httpx
import pytest
import trafilatura

from demo.newsroom.catalogue import Story, load_catalogue
from demo.newsroom.outlets import OUTLETS_BY_SLUG
from demo.newsroom.page_clutter import clutter_sentences

CATALOGUE = load_catalogue()
OPEN_STORIES = [
    story for story in CATALOGUE.stories if OUTLETS_BY_SLUG[story.outlet].access == "open"
]

every_open_story = pytest.mark.parametrize("story", OPEN_STORIES, ids=lambda story: story.slug)


def _extracted(client: httpx.Client, story: Story) -> str:
    page = client.get(f"/stories/{story.slug}").text
    # Comments are trafilatura's to keep by default (it appends them); an article reader
    # wants the story alone.
    return trafilatura.extract(page, favor_precision=True, include_comments=False) or ""


@every_open_story
def test_extraction_recovers_every_paragraph(packaged_newsroom: httpx.Client, story: Story) -> None:
    paragraphs = _extracted(packaged_newsroom, story).splitlines()

    assert [paragraph for paragraph in story.body if paragraph not in paragraphs] == []


@every_open_story
def test_extraction_leaves_out_every_clutter_text(
    packaged_newsroom: httpx.Client, story: Story
) -> None:
    extracted = _extracted(packaged_newsroom, story)
    # A menu word the story itself uses ("Home", say) is no sign of clutter.
    story_text = "\n".join((story.title, story.dek, *story.body))
    clutter = [text for text in clutter_sentences(story, CATALOGUE) if text not in story_text]

    assert [text for text in clutter if text in extracted] == []


@pytest.mark.parametrize("story", CATALOGUE.for_outlet("the-ledger"), ids=lambda story: story.slug)
def test_extraction_of_a_paywalled_page_holds_nothing_past_the_first_paragraph(
    packaged_newsroom: httpx.Client, story: Story
) -> None:
    extracted = _extracted(packaged_newsroom, story)

    assert [paragraph for paragraph in story.body[1:] if paragraph in extracted] == []
