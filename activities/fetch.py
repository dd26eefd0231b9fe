"""The fetch step: one feed downloaded (through the SSRF guard) and parsed."""

from collections.abc import Iterable

from temporalio import activity

from activities.address_guard import AddressGuard
from activities.feed_download import download_feed
from activities.feed_parsing import parse_feed
from activities.models import FetchFeedInput, FetchFeedResult


class FeedFetcher:
    def __init__(self, trusted_hosts: Iterable[str] = ()) -> None:
        # Entries are feed URLs or host[:port]: those hosts may be on private addresses.
        self._guard = AddressGuard(trusted_hosts)

    @activity.defn(name="fetch_feed")
    async def fetch_feed(self, request: FetchFeedInput) -> FetchFeedResult:
        body = await download_feed(request.url, self._guard)
        result = parse_feed(request.url, body)
        return result.model_copy(update={"attempt": activity.info().attempt})
