"""The fetch step: one feed downloaded (through the SSRF guard) and parsed in a child process."""

import asyncio
from collections.abc import Iterable

from temporalio import activity

from activities.address_guard import AddressGuard
from activities.feed_download import download_feed
from activities.feed_limits import DEFAULT_FEED_LIMITS, FeedLimits
from activities.feed_parser_pool import parse_feed_in_child
from activities.models import FetchFeedInput, FetchFeedResult

HEARTBEAT_INTERVAL_SECONDS = 1.0


class FeedFetcher:
    def __init__(
        self, trusted_hosts: Iterable[str] = (), limits: FeedLimits = DEFAULT_FEED_LIMITS
    ) -> None:
        # Entries are feed URLs or host[:port]: those hosts may be on private addresses.
        self._guard = AddressGuard(trusted_hosts)
        self._limits = limits

    @activity.defn(name="fetch_feed")
    async def fetch_feed(self, request: FetchFeedInput) -> FetchFeedResult:
        fetching = asyncio.ensure_future(self._download_and_parse(request.url))
        try:
            # Heartbeats go on while a connect, a read or the parse waits, not only per chunk.
            while not fetching.done():
                await asyncio.wait({fetching}, timeout=HEARTBEAT_INTERVAL_SECONDS)
                activity.heartbeat()
            result = fetching.result()
        finally:
            if not fetching.done():
                fetching.cancel()  # the activity was cancelled: stop the download or parse too
                await asyncio.wait({fetching})
        return result.model_copy(update={"attempt": activity.info().attempt})

    async def _download_and_parse(self, url: str) -> FetchFeedResult:
        body = await download_feed(url, self._guard, self._limits)
        return await parse_feed_in_child(url, body, self._limits)
