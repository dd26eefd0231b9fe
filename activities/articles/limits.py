"""How much reading one story's page may cost the worker: bytes, seconds to download and to
extract its text.

Pages are bigger than feeds (inline scripts, styles and markup around a few kilobytes of text),
so the cap is larger; the rest is the feeds' own, for the same reasons (activities/feeds/limits.py).
Measured: the corpus's honest pages extract in about 3 ms each; a page of 370,000 elements that
fills the 5 MiB cap takes trafilatura 15 s of CPU (600 MB) and 200,000 elements about 9 s, so
the CPU limit is what stops a huge DOM.
"""

from dataclasses import dataclass, field

import httpx

from activities.feeds.child_limits import ChildJobLimits
from activities.feeds.limits import (
    FEED_DOWNLOADS_PER_HOST,
    FEED_PARSE_CPU_SECONDS,
    FEED_PARSE_MEMORY_BYTES,
    FEED_PARSE_WALL_SECONDS,
    FEED_TIMEOUT,
    FEED_TOTAL_SECONDS,
)

ARTICLE_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ArticleLimits:
    max_bytes: int = ARTICLE_MAX_BYTES
    timeout: httpx.Timeout = field(default_factory=lambda: FEED_TIMEOUT)
    total_seconds: float = FEED_TOTAL_SECONDS
    downloads_per_host: int = FEED_DOWNLOADS_PER_HOST
    extract_cpu_seconds: int = FEED_PARSE_CPU_SECONDS
    extract_wall_seconds: float = FEED_PARSE_WALL_SECONDS
    # The same as a feed's, so extraction and feed parsing share one pool of children.
    extract_memory_bytes: int = FEED_PARSE_MEMORY_BYTES

    @property
    def child_job(self) -> ChildJobLimits:
        return ChildJobLimits(
            self.extract_cpu_seconds, self.extract_memory_bytes, self.extract_wall_seconds
        )


DEFAULT_ARTICLE_LIMITS = ArticleLimits()
