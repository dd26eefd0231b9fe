"""What one viewer receives: the events after the one it last saw, then live ones, then close.

Offsets are the workflow stream's: the same event has the same id in every web process, so a
browser that reconnects with Last-Event-ID gets exactly what it missed, even from a new process.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass

from activities.models import Briefing
from core.domain import RunStatus
from web.live.feed import BriefingFeed
from web.live.fold import ProgressFold
from web.live.liveness import Liveness
from workflows.models import BriefingProgress, BriefingStatus, ProgressEvent


@dataclass(frozen=True)
class LiveEvent:
    name: str  # progress | briefing | status | close
    offset: int | None = None  # only progress events carry one: they are what resumes
    progress: BriefingProgress | None = None
    event: ProgressEvent | None = None
    briefing: Briefing | None = None
    liveness: Liveness | None = None
    outcome: RunStatus | None = None
    error: str | None = None
    briefing_id: str | None = None


async def live_events(feed: BriefingFeed, *, after: int | None) -> AsyncIterator[LiveEvent]:
    start = 0 if after is None else after + 1
    # A fresh web process may not have caught up with what this browser already saw.
    while len(feed.events) < start and not feed.finished:
        await feed.wait_for_change(len(feed.events), feed.liveness)
    fold = ProgressFold(topic="")
    for event in feed.events[:start]:
        fold.apply(event)
    offset, liveness = start, None
    while True:
        while offset < len(feed.events):
            event = feed.events[offset]
            progress = fold.apply(event)
            if event.review is not None or event.review_outcome is not None:
                yield LiveEvent("review", progress=progress, briefing_id=feed.briefing_id)
            if event.status == BriefingStatus.COMPLETED and feed.briefing is not None:
                yield LiveEvent("briefing", briefing=feed.briefing, briefing_id=feed.briefing_id)
            yield LiveEvent("progress", offset=offset, progress=progress, event=event)
            offset += 1
        if feed.finished:
            stream_complete = feed.events and feed.events[-1].status != BriefingStatus.RUNNING
            if feed.briefing is not None and not stream_complete:
                # The closed run's stream could not be read (no worker): its result still can.
                yield LiveEvent("briefing", briefing=feed.briefing, briefing_id=feed.briefing_id)
            yield LiveEvent("close", outcome=feed.outcome, error=feed.outcome_error)
            return
        if feed.liveness != liveness:
            liveness = feed.liveness
            yield LiveEvent("status", liveness=liveness)
        await feed.wait_for_change(offset, liveness)
