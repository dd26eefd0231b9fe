"""The control API's HTTP defences: slow and malformed requests cannot pile up threads.

`http.server` gives each connection a thread and reads without any deadline, so 200 clients that
send headers and then nothing held 200 threads for as long as they liked. Here a request must
arrive whole within REQUEST_DEADLINE_SECONDS, at most MAX_REQUEST_THREADS are served at once
(a connection beyond that is closed at once), and the body is read only when the handler asks,
after it has checked the Host and the token from the headers alone.
"""

import io
import socket
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# The web's client sends a whole request at once and gives up after 3 s (stack/control_client.py).
REQUEST_DEADLINE_SECONDS = 5.0
# Far more than the one web process and a presenter's curl ever need at once.
MAX_REQUEST_THREADS = 16
# Connections the kernel queues before `accept`; a burst beyond it waits for a retried SYN.
LISTEN_BACKLOG = 128
MAX_BODY_BYTES = 16 * 1024


class RequestRefused(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


class RequestTimedOut(Exception):
    """The request did not arrive whole before its deadline: closed unanswered."""


class _DeadlineReader(io.RawIOBase):
    """A socket's bytes until a deadline: a client trickling bytes cannot keep its thread."""

    def __init__(self, connection: socket.socket, deadline: float) -> None:
        self.connection = connection
        self.deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the request did not arrive in time")
        self.connection.settimeout(remaining)
        return self.connection.recv_into(buffer)


# What socketserver hands a server: a stream socket (ours), or a datagram and its socket.
_Request = socket.socket | tuple[bytes, socket.socket]


class BoundedThreadingHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Closing the server must not wait for slow clients' threads (daemons, gone by the deadline).
    block_on_close = False
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.request_threads = threading.BoundedSemaphore(MAX_REQUEST_THREADS)

    def process_request(self, request: _Request, client_address: tuple) -> None:
        if not self.request_threads.acquire(blocking=False):
            self.shutdown_request(request)  # full: refused now rather than queued without bound
            return
        try:
            super().process_request(request, client_address)
        except BaseException:  # no thread: the slot it would have freed is freed here
            self.request_threads.release()
            raise

    def process_request_thread(self, request: _Request, client_address: tuple) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.request_threads.release()


class GuardedHandler(BaseHTTPRequestHandler):
    """Reads every request against a deadline; the body only through `read_body`."""

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # replaced by one that keeps to the deadline
        deadline = time.monotonic() + REQUEST_DEADLINE_SECONDS
        self.rfile = io.BufferedReader(_DeadlineReader(self.connection, deadline))

    def finish(self) -> None:
        super().finish()
        _discard_unread(self.connection)

    def read_body(self) -> bytes:
        """The body its Content-Length announces; RequestRefused or RequestTimedOut if not."""
        if self.headers.get("Transfer-Encoding"):
            raise RequestRefused(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length, not chunks")
        length = content_length(self.headers.get_all("Content-Length") or [])
        if length > MAX_BODY_BYTES:
            raise RequestRefused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "the body is too large")
        try:
            body = self.rfile.read(length) if length else b""
        except TimeoutError as error:
            raise RequestTimedOut("the body did not arrive in time") from error
        if len(body) < length:
            raise RequestTimedOut("the client closed before sending the whole body")
        return body


def content_length(values: list[str]) -> int:
    """The one Content-Length, as digits: anything else (negative, `1e3`, two values) is 400."""
    if not values:
        return 0
    if len(values) > 1 or not values[0].strip().isdigit() or not values[0].strip().isascii():
        raise RequestRefused(HTTPStatus.BAD_REQUEST, "Content-Length is not a byte count")
    return int(values[0])


def _discard_unread(connection: socket.socket) -> None:
    """Drop what the client already sent and we never read (a refused request's body), so that
    closing with unread bytes does not reset the connection before the client reads our answer."""
    try:
        connection.setblocking(False)
        for _ in range(MAX_BODY_BYTES // 4096 + 1):
            if not connection.recv(4096):
                return
    except OSError:  # nothing more waiting (BlockingIOError), or the client is gone
        return
