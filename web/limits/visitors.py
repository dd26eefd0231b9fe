"""The web's limits per visitor, made once per app from the settings, and how a refusal reads.

Starting a briefing costs a token only when it started one: Temporal being down, a key reused
for another request, or an idempotent repeat of a key (which returns the briefing it started
before) gives the token back, and a form refused for its fields never takes one. So retrying
the same submission costs nothing more (though it needs a token in hand, as it costs Temporal
calls), while a visitor starting new work as fast as it can is held to the rate. Creating a
schedule is charged the same way, but a repeat of its form cannot be told from a creation
here, and "Run now" is charged whatever comes of it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fastapi import Request, status
from fastapi.responses import Response

from core.settings import Settings
from web.error_pages import refusal
from web.limits.capacity import StreamCapacity
from web.limits.client_address import ClientAddresses
from web.limits.rates import RateLimited, RateLimiter, StreamSlots
from web.server_limits import PAGE_CONNECTIONS, connections_cap

# A stream ends when its viewer leaves, which no one can foresee: a short, polite guess.
STREAM_SLOT_RETRY_SECONDS = 5


@dataclass(frozen=True)
class VisitorLimits:
    """Per address: what starts work (briefings, streams that read Temporal) and how often any
    stream opens. How many viewers a briefing's shared stream holds is the server's `capacity`."""

    clients: ClientAddresses
    starts: RateLimiter
    stream_opens: RateLimiter  # streams that make this process read Temporal for them
    streams: StreamSlots  # open streams that cost their viewer's own reads or rendering
    view_opens: RateLimiter  # every stream opened: bounds a reconnect loop, not an audience
    capacity: StreamCapacity

    @classmethod
    def from_settings(cls, settings: Settings) -> "VisitorLimits":
        return cls(
            clients=ClientAddresses(settings.trusted_proxies),
            starts=RateLimiter(settings.start_rate_per_minute, "briefings started"),
            stream_opens=RateLimiter(settings.sse_rate_per_minute, "live streams opened"),
            streams=StreamSlots(settings.sse_max_streams_per_client),
            view_opens=RateLimiter(settings.sse_view_rate_per_minute, "live streams opened"),
            capacity=StreamCapacity(
                _streams_room(settings.sse_max_streams), settings.sse_max_viewers_per_briefing
            ),
        )


def _streams_room(max_streams: int) -> int:
    """`max_streams`, or fewer when the open-file limit leaves less: streams are refused by us,
    with a message, before uvicorn's cap refuses every request (web/server_limits.py)."""
    if not max_streams:
        return 0
    return max(1, min(max_streams, connections_cap(max_streams) - PAGE_CONNECTIONS))


class StartCharge:
    def __init__(self, limiter: RateLimiter, client: str) -> None:
        self._limiter, self._client = limiter, client
        self._refunded = False

    def refund(self) -> None:
        """Nothing new was started after all (an idempotent repeat): the token comes back."""
        if not self._refunded:
            self._refunded = True
            self._limiter.refund(self._client)


def take_start_token(request: Request) -> StartCharge:
    """Spends one of the client's start tokens, or raises RateLimited."""
    limits: VisitorLimits = request.app.state.visitor_limits
    client = limits.clients.of(request.scope)
    limits.starts.take(client)
    return StartCharge(limits.starts, client)


@contextmanager
def start_charge(request: Request) -> Iterator[StartCharge]:
    """Takes a start token (or raises RateLimited); any exception in the block refunds it."""
    charge = take_start_token(request)
    try:
        yield charge
    except BaseException:
        charge.refund()
        raise


def retry_after(error: RateLimited) -> dict[str, str]:
    return {"Retry-After": str(error.retry_after)}


def _in_seconds(error: RateLimited) -> str:
    return "1 second" if error.retry_after == 1 else f"{error.retry_after} seconds"


def try_again_text(error: RateLimited) -> str:
    return f"{error} Try again in {_in_seconds(error)}."


def not_started_yet(error: RateLimited) -> str:
    """The banner of a page form refused for its rate: nothing started, the choices kept."""
    return (
        f"{error} Nothing was started and your choices are kept: "
        f"submit again in {_in_seconds(error)}."
    )


def too_many_requests(request: Request, error: RateLimited) -> Response:
    """The 429 for the API (JSON, as web/api_errors.py answers) or for a page (HTML)."""
    return refusal(
        request,
        status.HTTP_429_TOO_MANY_REQUESTS,
        try_again_text(error),
        title="Too many requests",
        headers=retry_after(error),
    )


async def rate_limited_handler(request: Request, error: Exception) -> Response:
    assert isinstance(error, RateLimited)
    return too_many_requests(request, error)
