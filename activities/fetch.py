"""The fetch step: one feed downloaded (through the SSRF guard) and parsed in a child process."""

from collections.abc import Iterable

from temporalio import activity

from activities.feeds.address_guard import AddressGuard
from activities.feeds.download import download_feed
from activities.feeds.host_slots import HostSlots
from activities.feeds.limits import DEFAULT_FEED_LIMITS, FeedLimits
from activities.feeds.parser_pool import parse_feed_in_child
from activities.heartbeats import heartbeating
from activities.metrics import counted_feed_failures
from activities.models import FetchFeedInput, FetchFeedResult


class FeedFetcher:
    def __init__(
        self, trusted_hosts: Iterable[str] = (), limits: FeedLimits = DEFAULT_FEED_LIMITS
    ) -> None:
        # Entries are feed URLs or host[:port]: those hosts may be on private addresses.
        self._guard = AddressGuard(trusted_hosts)
        self._limits = limits
        # Shared by every fetch this fetcher serves, on any of the process's workers.
        self._hosts = HostSlots(limits.downloads_per_host)

    @activity.defn(name="fetch_feed")
    async def fetch_feed(self, request: FetchFeedInput) -> FetchFeedResult:
        with counted_feed_failures():
            result = await heartbeating(self._download_and_parse(request.url))
        return result.model_copy(update={"attempt": activity.info().attempt})

    async def _download_and_parse(self, url: str) -> FetchFeedResult:
        body = await download_feed(url, self._guard, self._limits, self._hosts)
        return await parse_feed_in_child(url, body, self._limits)
