"""The non-durable agent: the briefing's own activities, called in-process by plain asyncio.

Fetch every feed concurrently, select with the workflow's selection code, summarise with the
workflow's concurrency, compose. No engine and no record: a crash means starting over.

The activities read `activity.info()` and call `activity.heartbeat()`, which need an activity
context. `temporalio.testing.ActivityEnvironment` gives them one without a worker: per call it
builds a context object and runs the function in one extra task, no I/O and no serialisation
(bench.overhead measures it). Calling the functions bare would fail; faking the `activity`
module would no longer be the very same code path.

Run as a script (bench.crash_cost kills it part-way):
    python -m bench.plain_pipeline --llm-url URL --topic TOPIC --max-stories N FEED_URL...
"""

import argparse
import asyncio
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from temporalio.testing import ActivityEnvironment

from activities.compose import ComposeActivities
from activities.fetch import FeedFetcher
from activities.llm.client import build_openai_client
from activities.models import (
    Briefing,
    ComposeInput,
    FetchFeedInput,
    Story,
    SummarizedStory,
    SummarizeInput,
)
from activities.summarize import SummarizeActivities
from core.settings import OFFLINE_MODEL
from workflows.activity_options import SUMMARY_CONCURRENCY
from workflows.models import BriefingRequest
from workflows.selection import select_stories

# As the worker builds its client (core.settings: llm_timeout_seconds).
LLM_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class PlainBriefing:
    briefing: Briefing
    stories: list[Story]


class PlainAgent:
    """The worker's activity objects, built the way worker.main builds them."""

    def __init__(self, *, llm_base_url: str, trusted_feed_hosts: list[str]) -> None:
        llm = build_openai_client(
            api_key="offline", base_url=llm_base_url, timeout=LLM_TIMEOUT_SECONDS
        )
        self._fetch = FeedFetcher(trusted_feed_hosts)
        self._summarize = SummarizeActivities(llm)
        self._compose = ComposeActivities(llm)
        self._environment = ActivityEnvironment()

    async def run(self, request: BriefingRequest) -> PlainBriefing:
        run = self._environment.run
        results = await asyncio.gather(
            *(run(self._fetch.fetch_feed, FetchFeedInput(url=url)) for url in request.sources)
        )
        entries = [entry for result in results for entry in result.entries]
        selection = select_stories(
            entries, topic=request.topic, now=datetime.now(UTC), max_stories=request.max_stories
        )
        bound = asyncio.Semaphore(SUMMARY_CONCURRENCY)

        async def summarize(story: Story) -> SummarizedStory:
            async with bound:
                summary = await run(
                    self._summarize.summarize_story,
                    SummarizeInput(topic=request.topic, story=story, model=request.model),
                )
            # As the workflow does: compose needs the summary, not the excerpt.
            return SummarizedStory(story=story.model_copy(update={"excerpt": ""}), summary=summary)

        summarized = await asyncio.gather(*(summarize(story) for story in selection.stories))
        briefing = await run(
            self._compose.compose_briefing,
            ComposeInput(
                topic=request.topic,
                model=request.model,
                stories=list(summarized),
                generated_at=datetime.now(UTC),
            ),
        )
        return PlainBriefing(briefing=briefing, stories=selection.stories)


def briefing_request(topic: str, sources: list[str], max_stories: int) -> BriefingRequest:
    """The request both pipelines run, as the web would resolve it for the offline model."""
    return BriefingRequest(
        topic=topic, sources=sources, max_stories=max_stories, model=OFFLINE_MODEL
    )


async def _main(args: argparse.Namespace) -> None:
    agent = PlainAgent(llm_base_url=args.llm_url, trusted_feed_hosts=args.feeds)
    result = await agent.run(briefing_request(args.topic, args.feeds, args.max_stories))
    print(json.dumps({"stories": [story.id for story in result.stories]}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--llm-url", required=True, help="OpenAI-compatible base URL (…/v1)")
    parser.add_argument("--topic", required=True)
    parser.add_argument("--max-stories", type=int, default=8)
    parser.add_argument("feeds", nargs="+")
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
