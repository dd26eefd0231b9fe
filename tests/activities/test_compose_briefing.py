"""compose_briefing against the real offline LLM: lead, sections, Markdown and token usage."""

from datetime import UTC, datetime

import pytest
from openai import AsyncOpenAI
from temporalio.testing import ActivityEnvironment

from activities.compose import ComposeActivities
from activities.models import Briefing, ComposeInput, TokenUsage
from tests.activities.stories import (
    CHIP_PLANT,
    COMET_SIGHTING,
    MODEL,
    TIDAL_BARRIER,
    sentences,
    summarized,
)

# Ranked best first: a science story, a technology story, then science again.
RANKED_STORIES = [
    summarized(TIDAL_BARRIER, TokenUsage(prompt_tokens=120, completion_tokens=40)),
    summarized(CHIP_PLANT, TokenUsage(prompt_tokens=100, completion_tokens=35)),
    summarized(COMET_SIGHTING, TokenUsage(prompt_tokens=80, completion_tokens=25)),
]


@pytest.fixture
async def briefing(activity_environment: ActivityEnvironment, llm_client: AsyncOpenAI) -> Briefing:
    request = ComposeInput(
        topic="the week",
        model=MODEL,
        stories=RANKED_STORIES,
        generated_at=datetime(2025, 3, 14, 9, 30, tzinfo=UTC),
    )
    compose_briefing = ComposeActivities(llm_client).compose_briefing
    return await activity_environment.run(compose_briefing, request)


async def test_the_briefing_opens_with_a_lead_drawn_from_the_summaries(briefing: Briefing) -> None:
    summary_sentences = {
        sentence for item in RANKED_STORIES for sentence in sentences(item.summary.summary)
    }

    assert sentences(briefing.lead)
    assert set(sentences(briefing.lead)) <= summary_sentences
    assert briefing.lead in briefing.markdown


async def test_sections_follow_their_best_story_and_stories_keep_their_rank(
    briefing: Briefing,
) -> None:
    layout = [(section.title, [s.title for s in section.stories]) for section in briefing.sections]

    assert layout == [
        ("Science", [TIDAL_BARRIER.title, COMET_SIGHTING.title]),
        ("Technology", [CHIP_PLANT.title]),
    ]


async def test_the_markdown_names_every_story_and_link_and_says_it_is_offline_extractive(
    briefing: Briefing,
) -> None:
    for item in RANKED_STORIES:
        assert item.story.title in briefing.markdown
        assert all(link in briefing.markdown for link in item.story.links)
    assert "offline extractive" in briefing.markdown
    assert briefing.offline_extractive


async def test_usage_is_the_sum_of_the_summaries_and_the_lead(briefing: Briefing) -> None:
    summaries = sum((item.summary.usage for item in RANKED_STORIES), TokenUsage())

    assert briefing.compose_usage.completion_tokens > 0
    assert briefing.usage == summaries + briefing.compose_usage
