"""Read: each chosen story's page, a few at a time, then a spare for each page with no article.

A read that fails (a 404, a page too large, a refused address) fails its step, never the
briefing: the story keeps its feed text. The plain agent runs this same step with its own way of
calling the activity and its own clock, so `read` and `now` are handed in.
"""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

from temporalio import workflow

from activities.articles.reader import ArticleReader
from activities.models import ArticleRead, ReadArticleInput, Story
from workflows import activity_options as options
from workflows.failures import failure_reason, reraise_if_cancelled
from workflows.models import BriefingRequest, StepKind
from workflows.progress import ProgressTracker
from workflows.reading import (
    StoryText,
    choose,
    feed_text,
    needs_a_spare,
    read_detail,
    read_input,
    spare_label,
    story_text,
)

# Briefings started before it summarise each story from its feed text, as their histories say.
READ_ARTICLES_PATCH = "read-articles"

# One page read as its step: the activity call, and the step id it goes by.
Read = Callable[[ReadArticleInput, str], Awaitable[ArticleRead]]


def read_in_workflow(request: BriefingRequest) -> Read:
    async def read(page: ReadArticleInput, step_id: str) -> ArticleRead:
        return await workflow.execute_activity_method(
            ArticleReader.read_article,
            page,
            activity_id=step_id,
            summary=f"Read: {page.url}",
            # Downloads, as feeds are: on the feed queue, whose slots bound them per worker.
            task_queue=request.feed_task_queue,
            start_to_close_timeout=options.READ_START_TO_CLOSE,
            heartbeat_timeout=options.READ_HEARTBEAT,
            retry_policy=options.READ_RETRY,
            cancellation_type=options.CANCELLATION,
        )

    return read


async def read_all(
    read: Read,
    now: Callable[[], datetime],
    tracker: ProgressTracker,
    stories: list[Story],
    max_stories: int,
) -> list[StoryText]:
    """`stories` in rank order: the first `max_stories` are wanted, the rest are spares."""
    wanted, spares = stories[:max_stories], stories[max_stories:]
    step = _ReadStep(read, now, tracker, asyncio.Semaphore(options.READ_CONCURRENCY))
    for story in wanted:
        tracker.add(_step_id(story), StepKind.READ, story.title)
    texts = await asyncio.gather(*(step.read_one(story) for story in wanted))
    weak = [text for text in texts if needs_a_spare(text)]
    used_spares = spares[: len(weak)]
    for spare, text in zip(used_spares, weak, strict=False):
        tracker.add(_step_id(spare), StepKind.READ, spare_label(spare, text))
    spare_texts = await asyncio.gather(*(step.read_one(spare) for spare in used_spares))
    return choose(texts, spare_texts)


class _ReadStep:
    def __init__(
        self,
        read: Read,
        now: Callable[[], datetime],
        tracker: ProgressTracker,
        slots: asyncio.Semaphore,
    ) -> None:
        self._read, self._now, self._tracker, self._slots = read, now, tracker, slots

    async def read_one(self, story: Story) -> StoryText:
        step_id, page = _step_id(story), read_input(story)
        async with self._slots:
            self._tracker.start(step_id, self._now())
            if page is None:
                text = feed_text(story, "the feed gave no link")
                self._tracker.finish(step_id, self._now(), detail=read_detail(text))
                return text
            try:
                read = await self._read(page, step_id)
            except Exception as error:  # noqa: BLE001 - a failed read leaves the feed's text
                reraise_if_cancelled(error)
                reason = failure_reason(error)
                self._tracker.fail(step_id, self._now(), reason=reason)
                return feed_text(story, f"the page could not be read: {reason}")
        text = story_text(story, read)
        self._tracker.finish(step_id, self._now(), attempt=read.attempt, detail=read_detail(text))
        return text


def _step_id(story: Story) -> str:
    return f"read-{story.id}"
