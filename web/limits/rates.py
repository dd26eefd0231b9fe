"""Per-client limits held in one web process's memory: a token bucket and a count of streams.

Nothing here is shared between web replicas: each enforces its own limits, which is enough to
stop one visitor from flooding the process it is talking to.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

# Stale buckets are dropped this often (in takes), so memory follows the clients of the last minute.
PRUNE_EVERY = 1000


class RateLimited(Exception):
    """Refused for now; `retry_after` is when (in whole seconds) the next request would pass."""

    def __init__(self, retry_after: int, message: str) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """A token bucket per client: bursts of up to `per_minute`, then `per_minute` a minute.

    0 turns it off. `refund` gives a token back when the request it paid for did nothing.
    """

    def __init__(
        self, per_minute: int, what: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.capacity = float(per_minute)
        self.per_second = per_minute / 60
        self.what = what  # "briefings started", for the message
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._takes = 0

    @property
    def enabled(self) -> bool:
        return self.capacity > 0

    def seconds_until_allowed(self, client: str) -> int:
        """0 when a request would pass now, else the wait in whole seconds (rounded up)."""
        if not self.enabled:
            return 0
        missing = 1 - self._refilled(client).tokens
        return 0 if missing <= 0 else max(1, math.ceil(missing / self.per_second))

    def take(self, client: str) -> None:
        """Spends one of the client's tokens, or raises RateLimited and spends nothing."""
        if not self.enabled:
            return
        wait = self.seconds_until_allowed(client)
        if wait:
            raise RateLimited(wait, f"Too many {self.what} from your address.")
        self._buckets[client].tokens -= 1
        self._takes += 1
        if self._takes % PRUNE_EVERY == 0:
            self._prune()

    def refund(self, client: str) -> None:
        if self.enabled:
            bucket = self._refilled(client)
            bucket.tokens = min(self.capacity, bucket.tokens + 1)

    def _refilled(self, client: str) -> _Bucket:
        now = self._clock()
        bucket = self._buckets.setdefault(client, _Bucket(self.capacity, now))
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.per_second)
        bucket.updated = now
        return bucket

    def _prune(self) -> None:
        # A bucket that has refilled is the same as no bucket at all.
        for client in list(self._buckets):
            if self._refilled(client).tokens >= self.capacity:
                del self._buckets[client]


class StreamSlots:
    """How many streams each client holds open at once, up to `per_client` (0: no cap)."""

    def __init__(self, per_client: int) -> None:
        self.per_client = per_client
        self._open: dict[str, int] = {}

    def is_full(self, client: str) -> bool:
        return self.per_client > 0 and self._open.get(client, 0) >= self.per_client

    def open(self, client: str) -> None:
        self._open[client] = self._open.get(client, 0) + 1

    def close(self, client: str) -> None:
        remaining = self._open.get(client, 0) - 1
        if remaining > 0:
            self._open[client] = remaining
        else:
            self._open.pop(client, None)  # no entry left behind per past client

    def count(self, client: str) -> int:
        return self._open.get(client, 0)
