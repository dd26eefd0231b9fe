"""The web process's feeds, one per watched briefing, closed when nobody watches."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from temporalio.client import Client

from web.briefings.service import describe_briefing
from web.limits.capacity import ServerFull
from web.live.feed import BriefingFeed

IDLE_AFTER = timedelta(minutes=2)
SWEEP_INTERVAL_SECONDS = 30.0


class LiveHub:
    def __init__(self, client: Client, live_text_interval: float) -> None:
        """`live_text_interval`: how often a feed reads what its LLM steps are writing."""
        self._client = client
        self._live_text_interval = live_text_interval
        self._feeds: dict[str, BriefingFeed] = {}
        self._starting: dict[str, asyncio.Future[BriefingFeed]] = {}
        self._sweeper: asyncio.Task | None = None

    async def open(
        self,
        briefing_id: str,
        max_viewers: int = 0,
        before_subscribing: Callable[[], None] = lambda: None,
    ) -> BriefingFeed:
        """A viewer's hold on the shared feed: one subscription for up to `max_viewers` (0: any).

        `before_subscribing` runs once per feed, for the viewer that starts it (it may refuse by
        raising); viewers arriving meanwhile wait for the same start. Raises ServerFull when the
        briefing has as many viewers here as it may.
        """
        feed = self._feeds.get(briefing_id)
        if feed is None:
            starting = self._starting.get(briefing_id)
            if starting is None:
                before_subscribing()
                starting = self._starting[briefing_id] = asyncio.ensure_future(
                    self._subscribe(briefing_id)
                )
                starting.add_done_callback(lambda _: self._starting.pop(briefing_id, None))
            feed = await asyncio.shield(starting)
        if self._sweeper is None:
            self._sweeper = asyncio.create_task(self._sweep_idle_feeds())
        if 0 < max_viewers <= feed.viewers:
            raise ServerFull(
                f"This briefing has as many viewers as this server holds ({max_viewers})."
            )
        feed.join()
        return feed

    async def _subscribe(self, briefing_id: str) -> BriefingFeed:
        await describe_briefing(self._client, briefing_id)  # once per feed: a 404 for all
        feed = self._feeds[briefing_id] = BriefingFeed(
            self._client, briefing_id, self._live_text_interval
        )
        return feed

    def release(self, feed: BriefingFeed) -> None:
        feed.leave()

    def feed_of(self, briefing_id: str) -> BriefingFeed | None:
        return self._feeds.get(briefing_id)

    @property
    def feed_count(self) -> int:
        return len(self._feeds)

    async def _sweep_idle_feeds(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_INTERVAL_SECONDS)
            now = datetime.now(UTC)
            for briefing_id, feed in list(self._feeds.items()):
                if feed.viewers == 0 and now - feed.last_viewed > IDLE_AFTER:
                    feed.close()
                    del self._feeds[briefing_id]

    def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
        for feed in self._feeds.values():
            feed.close()
        self._feeds.clear()
