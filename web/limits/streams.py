"""Limits on server-sent event streams, per client: how often one opens, and how many at once.

Pure ASGI around the whole request, so a refusal comes before any byte of the stream, and the
slot is given back in `finally` whatever ends the stream: the viewer leaving, an error, a 404
before the stream opened, or the server shutting down.
"""

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from web.limits.rates import RateLimited
from web.limits.visitors import STREAM_SLOT_RETRY_SECONDS, VisitorLimits, too_many_requests

# Every stream of the app, and nothing else, lives at a path ending here (tests/app check it).
STREAM_PATH_SUFFIX = "/events"


def is_stream_request(scope: Scope) -> bool:
    return (
        scope["type"] == "http"
        and scope["method"] == "GET"
        and scope["path"].endswith(STREAM_PATH_SUFFIX)
    )


class StreamLimitsMiddleware:
    def __init__(self, app: ASGIApp, limits: VisitorLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not is_stream_request(scope):
            await self.app(scope, receive, send)
            return
        client = self.limits.clients.of(scope)
        try:
            self._admit(client)
        except RateLimited as refusal:
            await too_many_requests(Request(scope, receive), refusal)(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.limits.streams.close(client)

    def _admit(self, client: str) -> None:
        """Takes a slot (and a token of the rate), or raises RateLimited having taken neither."""
        streams = self.limits.streams
        if streams.is_full(client):
            raise RateLimited(
                STREAM_SLOT_RETRY_SECONDS,
                f"Too many live streams open from your address (at most {streams.per_client}).",
            )
        self.limits.stream_opens.take(client)
        streams.open(client)
