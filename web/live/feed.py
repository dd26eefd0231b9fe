"""One Temporal subscription per briefing per web process, shared by all its viewers.

The events are a cache of the workflow's stream, never the truth: a restarted web process
subscribes again from offset 0 and gets exactly the same events at the same offsets. The feed
only records what arrives (journal.py) and announces it: it never writes to a viewer, so no
viewer, however slow, can hold up its next poll.
"""

import asyncio
import logging
from datetime import UTC, datetime

from temporalio.client import Client
from temporalio.contrib.workflow_streams import WorkflowStreamClient

from activities.models import Briefing
from core.domain import RunStatus
from core.logs import about
from web.briefings.closed_run import read_closed_run
from web.live.journal import EventJournal
from web.live.liveness import Liveness, assess
from web.live.writing import read_writing
from workflows.briefing import PROGRESS_TOPIC, BriefingWorkflow
from workflows.models import BriefingResult, BriefingStatus, ProgressEvent

log = logging.getLogger(__name__)
# Also how often the viewer count is sent, when it changed: changes coalesce in between.
WATCH_INTERVAL_SECONDS = 2.0
RETRY_MAX_SECONDS = 5.0


class BriefingFeed:
    def __init__(self, client: Client, briefing_id: str, live_text_interval: float) -> None:
        self.briefing_id = briefing_id
        self.journal = EventJournal(briefing_id)
        self.liveness = Liveness.LIVE
        self.outcome: RunStatus | None = None  # set once the run has closed
        self.outcome_error: str | None = None
        self.briefing: Briefing | None = None
        self._result: BriefingResult | None = None  # read once, when the completing event came
        self.viewers = 0
        self.last_viewed = datetime.now(UTC)
        self._client = client
        self._live_text_interval = live_text_interval
        self._tasks = [
            asyncio.create_task(self._follow_stream(), name=f"feed-{briefing_id}"),
            asyncio.create_task(self._watch_liveness(), name=f"watch-{briefing_id}"),
            asyncio.create_task(self._watch_writing(), name=f"writing-{briefing_id}"),
        ]

    @property
    def finished(self) -> bool:
        return self.outcome is not None

    def join(self) -> None:
        self.viewers += 1
        if self.journal.status is None:
            self.journal.publish_status(self.liveness, self.viewers)

    def leave(self) -> None:
        self.viewers -= 1
        self.last_viewed = datetime.now(UTC)

    def close(self) -> None:
        for task in self._tasks:
            task.cancel()

    async def _follow_stream(self) -> None:
        delay = 0.5
        while not self.finished:
            stream = WorkflowStreamClient.create(self._client, self.briefing_id)
            try:
                async for item in stream.subscribe(
                    PROGRESS_TOPIC,
                    from_offset=len(self.journal.entries),
                    result_type=ProgressEvent,
                ):
                    if item.offset == len(self.journal.entries):
                        await self._accept(item.data)
                        delay = 0.5
                await self._settle_outcome()
                await asyncio.sleep(delay)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - Temporal down, no worker: retry
                log.info(
                    "subscription to %s interrupted: %s",
                    self.briefing_id,
                    error,
                    extra=about(self.briefing_id),
                )
                if await self._closed_without_stream():
                    return
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_SECONDS)

    async def _accept(self, event: ProgressEvent) -> None:
        if event.status == BriefingStatus.COMPLETED and self.briefing is None:
            # The article must be at hand when the event that completes it is drawn.
            self._result = await self._handle().result()
            self.briefing = self._result.briefing
        self.journal.record(event, self.briefing, self.liveness)

    async def _settle_outcome(self) -> None:
        description = await self._handle().describe()
        closed = await read_closed_run(self._client, description, known=self._result)
        if closed is None:
            return  # the subscription ended early: follow it again
        self.outcome_error = closed.error
        self.briefing = self.briefing or closed.briefing
        self.outcome = closed.status
        self.journal.close(closed.status, closed.error, self.briefing, self.liveness)

    async def _closed_without_stream(self) -> bool:
        """A closed run's stream is read by query, which needs a worker; fall back to its result."""
        try:
            await self._settle_outcome()
        except Exception:  # noqa: BLE001 - Temporal itself is down; the caller retries
            return False
        return self.finished

    async def _watch_liveness(self) -> None:
        while not self.finished:
            try:
                description = await self._handle().describe()
                liveness = assess(description.raw_description, datetime.now(UTC))
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - any failure to reach Temporal reads the same
                liveness = Liveness.TEMPORAL_UNREACHABLE
            self.liveness = liveness
            if not self.finished:
                self.journal.publish_status(liveness, self.viewers)
            await asyncio.sleep(WATCH_INTERVAL_SECONDS)

    async def _watch_writing(self) -> None:
        """While an LLM step is under way and someone watches, read what it has written."""
        while not self.finished:
            await asyncio.sleep(self._live_text_interval)
            if self.viewers == 0 or not self.journal.writing_under_way:
                continue
            try:
                description = await self._handle().describe()
                writing = await read_writing(description, self._client.data_converter)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the liveness watch tells the viewers
                continue
            self.journal.publish_writing(writing)

    def _handle(self):
        return self._client.get_workflow_handle_for(BriefingWorkflow.run, self.briefing_id)
