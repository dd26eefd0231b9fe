"""A line every few seconds on how the soak is going, so a stall shows while it happens."""

import asyncio
import logging
import time
from collections.abc import Callable

from bench.soak.processes import Stack
from bench.soak.sse_watch import WatchRecord

log = logging.getLogger("bench.soak")
REPORT_SECONDS = 10.0


async def report_progress(
    stack: Stack,
    watches: Callable[[], list[WatchRecord]],
    briefings: int,
    llm_calls: Callable[[], int],
) -> None:
    began = time.monotonic()
    while True:
        await asyncio.sleep(REPORT_SECONDS)
        seen = watches()
        down = [name for name, part in stack.parts.items() if not part.alive]
        log.info(
            "t=%.0fs: %d/%d started, %d seen closing, %d progress events seen, "
            "%d LLM requests, down: %s",
            time.monotonic() - began,
            len(seen),
            briefings,
            sum(1 for watch in seen if watch.close_status is not None),
            sum(len(watch.first_seen) for watch in seen),
            llm_calls(),
            ", ".join(down) or "none",
        )
