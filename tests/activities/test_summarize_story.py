"""summarize_story against the real offline LLM: the summary and the heartbeats while it waits."""

import httpx
from openai import AsyncOpenAI
from temporalio.testing import ActivityEnvironment

from activities.models import SummarizeInput
from activities.summarize import SummarizeActivities
from tests.activities.stories import MODEL, TIDAL_BARRIER, sentences


def summarize_request() -> SummarizeInput:
    return SummarizeInput(topic="the city", story=TIDAL_BARRIER, model=MODEL)


async def test_a_story_is_summarised_in_sentences_of_its_excerpt(
    activity_environment: ActivityEnvironment, llm_client: AsyncOpenAI
) -> None:
    summarize_story = SummarizeActivities(llm_client).summarize_story

    summary = await activity_environment.run(summarize_story, summarize_request())

    assert sentences(summary.summary)
    assert set(sentences(summary.summary)) <= set(sentences(TIDAL_BARRIER.excerpt))
    assert summary.story_id == TIDAL_BARRIER.id
    assert summary.model == "offline-extractive"
    assert summary.usage.completion_tokens > 0
    assert summary.attempt == 1


async def test_summarize_story_heartbeats_while_the_llm_is_slow_to_answer(
    activity_environment: ActivityEnvironment, llm_client: AsyncOpenAI, llm_admin: httpx.Client
) -> None:
    llm_admin.post("/faults", json={"mode": "hang", "seconds": 2.5, "count": 1}).raise_for_status()
    heartbeats: list[tuple] = []
    activity_environment.on_heartbeat = lambda *details: heartbeats.append(details)
    summarize_story = SummarizeActivities(llm_client).summarize_story

    summary = await activity_environment.run(summarize_story, summarize_request())

    assert summary.summary
    assert len(heartbeats) >= 1
