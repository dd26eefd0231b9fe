"""The web process's feeds, one per watched briefing, closed when nobody watches."""

import asyncio
from datetime import UTC, datetime, timedelta

from temporalio.client import Client

from web.briefings.service import describe_briefing
from web.live.feed import BriefingFeed

IDLE_AFTER = timedelta(minutes=2)
SWEEP_INTERVAL_SECONDS = 30.0


class LiveHub:
    def __init__(self, client: Client) -> None:
        self._client = client
        self._feeds: dict[str, BriefingFeed] = {}
        self._sweeper: asyncio.Task | None = None

    async def open(self, briefing_id: str) -> BriefingFeed:
        """A viewer's hold on the shared feed: any number of viewers, one subscription."""
        feed = self._feeds.get(briefing_id)
        if feed is None:
            await describe_briefing(self._client, briefing_id)  # once per feed, not per viewer
            feed = self._feeds.get(briefing_id)  # another viewer may have opened it meanwhile
            if feed is None:
                feed = self._feeds[briefing_id] = BriefingFeed(self._client, briefing_id)
        if self._sweeper is None:
            self._sweeper = asyncio.create_task(self._sweep_idle_feeds())
        feed.viewers += 1
        return feed

    def release(self, feed: BriefingFeed) -> None:
        feed.viewers -= 1
        feed.last_viewed = datetime.now(UTC)

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
