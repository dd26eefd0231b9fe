"""How much one feed may cost the worker: bytes, seconds to download, seconds to parse.

Worker-level constants, not settings: they protect the worker from hostile feeds, and no real
feed comes near them (a 2 MiB feed parses in well under a second). Tests pass smaller ones.
The shape every download shares is here too (a child's job has its own, child_limits.py); a
story's page has its own caps (activities/articles/limits.py).
"""

from dataclasses import dataclass, field
from typing import Protocol

import httpx

from activities.feeds.child_limits import ChildJobLimits

FEED_MAX_BYTES = 2 * 1024 * 1024
# Per connect / per read: a server that stalls briefly may be busy, so these are retryable.
FEED_TIMEOUT = httpx.Timeout(connect=5.0, read=10.0, write=5.0, pool=5.0)
# The whole download, every redirect hop and the body: cuts off a body that drips forever.
FEED_TOTAL_SECONDS = 20.0
# Downloads from one host:port at once, in a worker process (a browser's HTTP/1.1 limit): the
# six default sources share one host; a host that drips holds six slots, never all of them.
FEED_DOWNLOADS_PER_HOST = 6
# feedparser's author e-mail regex backtracks quadratically: a crafted 2 MiB feed parses for hours.
# Counted in CPU seconds, so a busy machine slows a parse down without failing it...
FEED_PARSE_CPU_SECONDS = 10
# ...and only a parse that gets too little CPU to finish in this long is cut off (retryable).
FEED_PARSE_WALL_SECONDS = 20.0
# Address space of the parsing child: room for any honest 2 MiB feed, not for an expansion bomb.
FEED_PARSE_MEMORY_BYTES = 1024 * 1024 * 1024
# A parsing child is reused this many times, then replaced, so whatever the parser leaks is bounded.
FEED_PARSES_PER_CHILD = 200
# Parsing children kept waiting between parses (about 35 MB each); more start while more parses
# overlap. A briefing parses its sources at once, six by default: with fewer kept, some of them
# would start afresh for every briefing.
FEED_PARSER_IDLE_CHILDREN_MAX = 6


@dataclass(frozen=True)
class FeedLimits:
    max_bytes: int = FEED_MAX_BYTES
    timeout: httpx.Timeout = field(default_factory=lambda: FEED_TIMEOUT)
    total_seconds: float = FEED_TOTAL_SECONDS
    downloads_per_host: int = FEED_DOWNLOADS_PER_HOST
    parse_cpu_seconds: int = FEED_PARSE_CPU_SECONDS
    parse_wall_seconds: float = FEED_PARSE_WALL_SECONDS
    parse_memory_bytes: int = FEED_PARSE_MEMORY_BYTES

    @property
    def child_job(self) -> ChildJobLimits:
        return ChildJobLimits(
            self.parse_cpu_seconds, self.parse_memory_bytes, self.parse_wall_seconds
        )


DEFAULT_FEED_LIMITS = FeedLimits()


class DownloadLimits(Protocol):
    """What one download may cost, feed or page: FeedLimits and ArticleLimits both say."""

    @property
    def max_bytes(self) -> int: ...
    @property
    def timeout(self) -> httpx.Timeout: ...
    @property
    def total_seconds(self) -> float: ...
