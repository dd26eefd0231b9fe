"""The recent list's cache: Temporal calls do not grow with the number of viewers."""

import asyncio

import pytest

from core.temporal_errors import TemporalUnavailable
from web.briefings.recent import RecentBriefingsCache
from web.briefings.schemas import BriefingList


class CountingLister:
    """Stands in for Temporal visibility, counting how often it is asked."""

    def __init__(self, error: Exception | None = None) -> None:
        self.calls = 0
        self.error = error

    async def __call__(self, client) -> BriefingList:
        self.calls += 1
        await asyncio.sleep(0.05)
        if self.error:
            raise self.error
        return BriefingList(briefings=[])


async def test_concurrent_viewers_share_one_fetch_in_flight():
    lister = CountingLister()
    cache = RecentBriefingsCache(list_recent=lister)
    await asyncio.gather(*(cache.get(None) for _ in range(25)))
    assert lister.calls == 1


async def test_an_answer_is_reused_until_it_is_older_than_the_ttl():
    lister = CountingLister()
    cache = RecentBriefingsCache(list_recent=lister, ttl_seconds=0.3)
    await cache.get(None)
    await cache.get(None)
    assert lister.calls == 1
    await asyncio.sleep(0.3)
    await cache.get(None)
    assert lister.calls == 2


async def test_temporal_unreachable_is_cached_too():
    lister = CountingLister(error=TemporalUnavailable("connection refused"))
    cache = RecentBriefingsCache(list_recent=lister)
    for _ in range(3):
        with pytest.raises(TemporalUnavailable, match="connection refused"):
            await cache.get(None)
    assert lister.calls == 1
