"""Streamed bodies counted while in flight, so a test or a crash runner can act mid-download."""

from collections import Counter
from collections.abc import AsyncGenerator, AsyncIterable, Iterable

from starlette.concurrency import iterate_in_threadpool
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from demo.newsroom.trickle import trickled


class DownloadsInFlight:
    """Per request path, the responses whose body has begun going out and not yet ended."""

    def __init__(self) -> None:
        self._in_flight: Counter[str] = Counter()

    def begin(self, path: str) -> None:
        self._in_flight[path] += 1

    def end(self, path: str) -> None:
        self._in_flight[path] -= 1
        if self._in_flight[path] <= 0:
            del self._in_flight[path]

    def snapshot(self) -> dict[str, int]:
        """Only paths with a body in flight: a finished one is gone, not listed at 0."""
        return dict(self._in_flight)


class CountedDownload(StreamingResponse):
    """A streamed body counted in `downloads` from its first piece until its last has gone out
    or its reader hung up."""

    def __init__(
        self,
        body: AsyncIterable[bytes] | Iterable[bytes],
        *,
        downloads: DownloadsInFlight,
        path: str,
        media_type: str,
    ) -> None:
        pieces = body if isinstance(body, AsyncIterable) else iterate_in_threadpool(body)
        self._counted_body = _counted(pieces, downloads, path)
        super().__init__(self._counted_body, media_type=media_type)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            # A reader who hangs up cancels the stream, maybe while the body waits at a
            # `yield`: closing it runs its `finally` now, not whenever it is collected.
            await self._counted_body.aclose()


def trickled_download(
    document: bytes, seconds: float, *, downloads: DownloadsInFlight, path: str, media_type: str
) -> CountedDownload:
    """The slow fault's answer for any document: trickled out, counted while it goes."""
    body = trickled(document, seconds)
    return CountedDownload(body, downloads=downloads, path=path, media_type=media_type)


async def _counted(
    body: AsyncIterable[bytes], downloads: DownloadsInFlight, path: str
) -> AsyncGenerator[bytes]:
    # Started by the first read, which comes once the headers have gone out.
    downloads.begin(path)
    try:
        async for piece in body:
            yield piece
    finally:
        downloads.end(path)
