"""A feed host whose every feed drips a byte a second and never ends, counting who is connected.

Any path is a feed, so a briefing can list twenty different ones. Only the client's own
deadline ends a download; the counts show how many downloads a worker let run at once.
"""

import asyncio
from dataclasses import asdict, dataclass

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

DRIP_INTERVAL_SECONDS = 1.0
STATS_PATH = "/_stats"
_PROLOG = b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'


@dataclass
class DripCounts:
    requests: int = 0
    open: int = 0
    most_open: int = 0


async def _drip(counts: DripCounts, interval: float):
    counts.open += 1
    counts.most_open = max(counts.most_open, counts.open)
    try:
        yield _PROLOG
        while True:  # never ends: only the client's deadline stops it
            await asyncio.sleep(interval)
            yield b" "
    finally:
        counts.open -= 1


def create_drip_app(interval: float = DRIP_INTERVAL_SECONDS) -> Starlette:
    counts = DripCounts()

    async def feed(_request: Request) -> Response:
        counts.requests += 1
        return StreamingResponse(_drip(counts, interval), media_type="application/rss+xml")

    async def stats(_request: Request) -> Response:
        return JSONResponse(asdict(counts))

    return Starlette(routes=[Route(STATS_PATH, stats), Route("/{path:path}", feed)])
