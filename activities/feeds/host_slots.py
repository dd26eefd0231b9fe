"""At most a few downloads at once from any one host, across every fetch of a worker process.

A briefing of twenty slow URLs on one host then costs that host's few connections and leaves
the rest of the worker's fetch slots to other feeds. A host's semaphore exists only while
someone holds or waits for it, so a stream of distinct hosts costs no memory once it has passed.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from activities.feeds.address_guard import port_of


def host_key(url: str) -> str:
    """host:port as the URL names it (the redirects it leads to are not counted apart)."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return url  # the download itself refuses it, with the reason
    return f"{parsed.host}:{port_of(parsed)}"


class HostSlots:
    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, url: str) -> AsyncIterator[None]:
        """Waits for one of the URL's host's slots and holds it for the block."""
        key = host_key(url)
        slots = self._slots.setdefault(key, asyncio.Semaphore(self._per_host))
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with slots:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._slots[key]
