"""Limits on server-sent event streams: the server's capacity, and per client address.

Pure ASGI around the whole request, so a refusal comes before any byte of the stream, and what
a stream took is given back in `finally` whatever ends it: the viewer leaving, an error, a 404
before the stream opened, or the server shutting down.

Two kinds of stream. A briefing's events (page and API) are an audience's: one subscription per
briefing per process feeds every viewer the same frames, so a viewer costs a socket and no
Temporal call, and a room of phones behind one NAT address must all get in. Those are held only
to the process's capacity and to a generous opening rate per address (a reconnect loop, not an
audience); the first viewer of a briefing here also pays the rate of work (web/live/streaming.py).
Every other stream (a comparison's columns, the dashboard) reads or renders for each viewer, so
each address keeps a cap on how many it holds open and pays the rate of work for each.
"""

import re

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from web.limits.capacity import ServerFull, server_full
from web.limits.rates import RateLimited
from web.limits.stream_metrics import OpenStreams, stream_kind
from web.limits.visitors import STREAM_SLOT_RETRY_SECONDS, VisitorLimits, too_many_requests

# Every stream of the app, and nothing else, lives at a path ending here (tests/app check it).
STREAM_PATH_SUFFIX = "/events"
_AUDIENCE_STREAM = re.compile(r"^(/api)?/briefings/[^/]+/events$")


def is_stream_request(scope: Scope) -> bool:
    return (
        scope["type"] == "http"
        and scope["method"] == "GET"
        and scope["path"].endswith(STREAM_PATH_SUFFIX)
    )


def is_audience_stream(path: str) -> bool:
    """A briefing's events: shared by all its viewers, no reads or rendering of their own."""
    return _AUDIENCE_STREAM.match(path) is not None


class StreamLimitsMiddleware:
    def __init__(self, app: ASGIApp, limits: VisitorLimits, open_streams: OpenStreams) -> None:
        self.app = app
        self.limits = limits
        self.open_streams = open_streams

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not is_stream_request(scope):
            await self.app(scope, receive, send)
            return
        client = self.limits.clients.of(scope)
        audience = is_audience_stream(scope["path"])
        try:
            self._admit(client, audience)
        except RateLimited as refusal:
            await too_many_requests(Request(scope, receive), refusal)(scope, receive, send)
            return
        except ServerFull as full:
            await server_full(Request(scope, receive), full)(scope, receive, send)
            return
        kind = stream_kind(scope["path"], audience)
        self.open_streams.opened(kind)
        try:
            await self.app(scope, receive, send)
        finally:
            self.open_streams.closed(kind)
            self.limits.capacity.release_stream()
            if not audience:
                self.limits.streams.close(client)

    def _admit(self, client: str, audience: bool) -> None:
        """Takes what the stream needs, or raises RateLimited or ServerFull having taken none."""
        limits = self.limits
        limits.capacity.check_streams()
        if not audience:
            if limits.streams.is_full(client):
                raise RateLimited(
                    STREAM_SLOT_RETRY_SECONDS,
                    "Too many live streams open from your address "
                    f"(at most {limits.streams.per_client}).",
                )
            limits.stream_opens.take(client)
        try:
            limits.view_opens.take(client)
        except RateLimited:
            if not audience:
                limits.stream_opens.refund(client)
            raise
        if not audience:
            limits.streams.open(client)
        limits.capacity.take_stream()
