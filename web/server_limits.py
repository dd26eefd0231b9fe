"""How much a slow or numerous crowd of clients may hold of `briefing web`.

uvicorn times out only an idle kept-alive connection, after a response: a connection that sends
half its headers, or its headers and then a trickle of body, is kept for as long as the client
likes, each holding a file descriptor. So the web runs uvicorn's h11 protocol with one addition,
a deadline for a whole request to arrive, and caps its connections below the process's open-file
limit, so that a flood of clients gets 503 rather than failing `accept` for everyone.

Both hold per process: with BRIEFING_WEB_PROCESSES=N, each of the N has its own cap.
"""

import asyncio
import resource

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from core.keep_alive import SERVER_KEEP_ALIVE_SECONDS
from core.settings import get_settings

# Between requests on a kept-alive connection (uvicorn's default, said as a decision there).
KEEP_ALIVE_SECONDS = SERVER_KEEP_ALIVE_SECONDS
# Header block size h11 buffers before refusing the request (h11's own default).
MAX_HEADER_BYTES = 16 * 1024
# Connections besides the event streams (pages, API calls, static files), and all of them when
# streams are not capped (BRIEFING_SSE_MAX_STREAMS=0).
PAGE_CONNECTIONS = 200
CONNECTIONS_WITHOUT_STREAM_CAP = 1000
# Descriptors kept out of the cap: the Temporal client, static files, logs, the listening socket.
OPEN_FILES_RESERVE = 64
CONNECTIONS_MIN = 16


def connections_cap(max_streams: int) -> int:
    """Room for `max_streams` event streams and PAGE_CONNECTIONS more, or fewer when the
    open-file limit would be reached first (macOS: 256): past it new requests get 503."""
    wanted = max_streams + PAGE_CONNECTIONS if max_streams else CONNECTIONS_WITHOUT_STREAM_CAP
    soft_limit, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft_limit == resource.RLIM_INFINITY:
        return wanted
    return max(CONNECTIONS_MIN, min(wanted, soft_limit - OPEN_FILES_RESERVE))


class RequestDeadlineProtocol(H11Protocol):
    """Closes a connection whose request (headers and body) has not arrived within the deadline,
    counted from the connection's start or from the end of its previous response.

    The deadline (BRIEFING_REQUEST_READ_TIMEOUT) is read in the serving process: uvicorn sends
    this class to its worker processes by name, so the class cannot carry a value of its own.
    """

    _read_deadline: asyncio.TimerHandle | None = None

    @property
    def read_deadline_seconds(self) -> float:
        return get_settings().request_read_timeout_seconds

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_read_deadline()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            self._cancel_read_deadline()  # the request is all here: the app takes its time

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # Unless closing, or a pipelined request already arrived whole.
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm_read_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_read_deadline()
        super().connection_lost(exc)

    def _arm_read_deadline(self) -> None:
        self._cancel_read_deadline()
        self._read_deadline = self.loop.call_later(self.read_deadline_seconds, self._too_slow)

    def _cancel_read_deadline(self) -> None:
        if self._read_deadline is not None:
            self._read_deadline.cancel()
            self._read_deadline = None

    def _too_slow(self) -> None:
        self._read_deadline = None
        if self.conn.their_state in (h11.IDLE, h11.SEND_BODY) and not self.transport.is_closing():
            self.transport.close()
