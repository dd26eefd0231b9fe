"""The briefing without Temporal: the same activities, selection and concurrency, in plain asyncio.

This is the agent most teams write first, and not a strawman: the very same fetch, summarise and
compose code, the same prompts, the workflow's own selection and concurrency limits, and the
openai client's own retries (Engine.PLAIN), so a 429 or two does not kill it. What it lacks is a
record: its progress lives in this process's memory, and a crash loses it with everything paid for.

The activities read `activity.info()` and call `activity.heartbeat()`, which need an activity
context. `temporalio.testing.ActivityEnvironment` gives them one without a worker: per call a
context object and one extra task, no I/O and no serialisation (bench/overhead.py measures it).
Each call gets its own, named for its step (step_environments.py), so an LLM step's heartbeats
tell the run what it is writing.
"""

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

from openai import AsyncOpenAI
from temporalio.exceptions import ApplicationError

from activities.articles.reader import ArticleReader
from activities.compose import ComposeActivities
from activities.errors import LLMError
from activities.fetch import FeedFetcher
from activities.llm.client import Engine
from activities.llm.live_text import LiveText
from activities.models import (
    ArticleRead,
    Briefing,
    ComposeInput,
    FeedEntry,
    FetchFeedInput,
    ReadArticleInput,
    Story,
    SummarizedStory,
)
from activities.summarize import SummarizeActivities
from plain_agent.step_environments import StepEnvironments
from workflows.activity_options import FETCH_CONCURRENCY, SUMMARY_CONCURRENCY
from workflows.failures import failure_reason, failure_type
from workflows.models import BriefingRequest, BriefingStatus, SourceFailure, StepKind
from workflows.progress import ProgressTracker
from workflows.read_step import read_all
from workflows.reading import StoryText, spares_for
from workflows.selection import select_stories, selection_detail

T = TypeVar("T")


class PlainRunFailed(Exception):
    """The run cannot produce a briefing; the reason is already on its progress."""


def _now() -> datetime:
    return datetime.now(UTC)


def _no_subscribers(event: object) -> None:
    """Readers poll the progress: there is no stream to publish on."""


class PlainAgent:
    """The worker's activity objects, built the way worker.main builds them, with the LLM
    client's own retries instead of Temporal's."""

    def __init__(self, llm: AsyncOpenAI, fetcher: FeedFetcher, reader: ArticleReader) -> None:
        self.fetch_feed = fetcher.fetch_feed
        self.read_article = reader.read_article
        self.summarize_story = SummarizeActivities(llm, Engine.PLAIN).summarize_story
        self.compose_briefing = ComposeActivities(llm, Engine.PLAIN).compose_briefing

    def tracker(self, request: BriefingRequest) -> ProgressTracker:
        return ProgressTracker(request.topic, _now(), _no_subscribers)

    async def run(
        self,
        run_id: str,
        request: BriefingRequest,
        tracker: ProgressTracker,
        writing: dict[str, LiveText] | None = None,
    ) -> Briefing:
        """One briefing, its progress kept on `tracker` as the workflow keeps its own, and the
        words of each LLM step under way on `writing`, by step id."""
        steps = StepEnvironments(run_id, writing if writing is not None else {})
        run = _Run(self, steps, request, tracker)
        try:
            briefing = await run.briefing()
        except PlainRunFailed as error:
            tracker.end(BriefingStatus.FAILED, _now(), error=str(error))
            raise
        tracker.end(BriefingStatus.COMPLETED, _now())
        return briefing


@dataclasses.dataclass
class _Run:
    agent: PlainAgent
    steps: StepEnvironments
    request: BriefingRequest
    tracker: ProgressTracker

    async def briefing(self) -> Briefing:
        entries = await self._fetch_all()
        stories = self._select(entries)
        texts = await read_all(self._read, _now, self.tracker, stories, self.request.max_stories)
        summarized = await self._summarize_all(texts)
        return await self._compose(summarized)

    async def _fetch_all(self) -> list[FeedEntry]:
        sources = list(dict.fromkeys(self.request.sources))
        steps = {f"fetch-{index}": url for index, url in enumerate(sources)}
        for step_id, url in steps.items():
            self.tracker.add(step_id, StepKind.FETCH, url)
        slots = asyncio.Semaphore(FETCH_CONCURRENCY)
        batches = await asyncio.gather(
            *(self._fetch_one(slots, step_id, url) for step_id, url in steps.items())
        )
        failures = self.tracker.progress.failed_sources
        if len(failures) == len(sources):
            reasons = "; ".join(f"{failure.url}: {failure.reason}" for failure in failures)
            raise PlainRunFailed(f"every source failed: {reasons}")
        return [entry for batch in batches for entry in batch]

    async def _fetch_one(self, slots: asyncio.Semaphore, step_id: str, url: str) -> list[FeedEntry]:
        async with slots:
            self.tracker.start(step_id, _now())
            try:
                result = await self.steps.run(
                    step_id, self.agent.fetch_feed, FetchFeedInput(url=url)
                )
            except Exception as error:  # noqa: BLE001 - a failed source is recorded, not fatal
                reason = failure_reason(error)
                self.tracker.fail(step_id, _now(), reason=reason)
                self.tracker.progress.failed_sources.append(SourceFailure(url=url, reason=reason))
                return []
        detail = f"{result.source_name}: {len(result.entries)} stories"
        self.tracker.finish(step_id, _now(), detail=detail)
        return result.entries

    def _select(self, entries: list[FeedEntry]) -> list[Story]:
        self.tracker.add("select", StepKind.SELECT, "Select stories")
        self.tracker.start("select", _now())
        spares = spares_for(self.request.max_stories)
        selection = select_stories(
            entries,
            topic=self.request.topic,
            now=_now(),
            max_stories=self.request.max_stories + spares,
        )
        if not selection.stories:
            self.tracker.fail("select", _now(), reason="the sources had no stories")
            raise PlainRunFailed("the sources had no stories")
        detail = selection_detail(selection, self.request.topic, self.request.max_stories)
        self.tracker.finish("select", _now(), detail=detail)
        return selection.stories

    async def _read(self, page: ReadArticleInput, step_id: str) -> ArticleRead:
        return await self.steps.run(step_id, self.agent.read_article, page)

    async def _summarize_all(self, texts: list[StoryText]) -> list[SummarizedStory]:
        for text in texts:
            self.tracker.add(f"summarize-{text.story.id}", StepKind.SUMMARIZE, text.story.title)
        bound = asyncio.Semaphore(SUMMARY_CONCURRENCY)
        results = await asyncio.gather(*(self._summarize_one(bound, text) for text in texts))
        summarized = [result for result in results if result is not None]
        if not summarized:
            raise PlainRunFailed("no story could be summarised")
        return summarized

    async def _summarize_one(
        self, bound: asyncio.Semaphore, text: StoryText
    ) -> SummarizedStory | None:
        step_id = f"summarize-{text.story.id}"
        async with bound:
            self.tracker.start(step_id, _now())
            try:
                summary = await self._with_fallback(
                    lambda model: self.steps.run(
                        step_id,
                        self.agent.summarize_story,
                        text.summarize_input(self.request.topic, model),
                    )
                )
            except Exception as error:  # noqa: BLE001 - one story lost, not the briefing
                self.tracker.fail(step_id, _now(), reason=failure_reason(error))
                return None
        self.tracker.finish(
            step_id,
            _now(),
            tokens=summary.usage.total,
            detail=f"summarised by {summary.model} {text.source.phrase}",
            usage=summary.usage,
            text=summary.summary,
        )
        return text.summarized(summary)

    async def _with_fallback(self, call: Callable[[str], Awaitable[T]]) -> T:
        """As the workflow does: a model that refuses for good (4xx) hands over to the fallback."""
        fallback = self.request.fallback_model
        try:
            return await call(self.request.model)
        except ApplicationError as error:
            refused = failure_type(error) == LLMError.REJECTED
            if not refused or not fallback or fallback == self.request.model:
                raise
        return await call(fallback)

    async def _compose(self, stories: list[SummarizedStory]) -> Briefing:
        self.tracker.add("compose", StepKind.COMPOSE, "Compose the briefing")
        self.tracker.start("compose", _now())
        compose_input = ComposeInput(
            topic=self.request.topic,
            model=self.request.model,
            stories=stories,
            failed_sources=[failure.url for failure in self.tracker.progress.failed_sources],
            generated_at=_now(),
        )
        try:
            briefing = await self._with_fallback(
                lambda model: self.steps.run(
                    "compose",
                    self.agent.compose_briefing,
                    compose_input.model_copy(update={"model": model}),
                )
            )
        except Exception as error:  # noqa: BLE001 - said on the step and on the run
            reason = failure_reason(error)
            self.tracker.fail("compose", _now(), reason=reason)
            raise PlainRunFailed(f"composing failed: {reason}") from error
        self.tracker.finish(
            "compose",
            _now(),
            tokens=briefing.compose_usage.total,
            detail=briefing.title,
            usage=briefing.compose_usage,
            text=briefing.lead,
        )
        return briefing
