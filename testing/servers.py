"""Run a real ASGI app on loopback for a test, on whatever port the OS hands out."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp

from testing.polling import wait_for

STARTUP_TIMEOUT_SECONDS = 10.0
# Time for requests in flight to finish; one still hanging then (a `hang` fault) is cut off,
# instead of holding the test up for the whole SHUTDOWN_TIMEOUT_SECONDS.
SHUTDOWN_GRACE_SECONDS = 1.0
SHUTDOWN_TIMEOUT_SECONDS = 10.0


class ServerDidNotStart(RuntimeError):
    """Uvicorn exited before it began accepting connections."""


@contextmanager
def serve_in_thread(app: ASGIApp, port: int = 0) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 in a background thread; yields its base URL (no trailing slash).

    `port` 0: any free one; a given port lets a test bring a server back where it was."""
    # proxy_headers off, as `briefing web` runs: the app sees the TCP peer, not X-Forwarded-For.
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, proxy_headers=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="test-uvicorn", daemon=True)
    thread.start()
    try:
        _wait_until_started(server, thread)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(SHUTDOWN_GRACE_SECONDS)
        server.force_exit = True
        thread.join(SHUTDOWN_TIMEOUT_SECONDS)


def _wait_until_started(server: uvicorn.Server, thread: threading.Thread) -> None:
    def started() -> bool:
        if not server.started and not thread.is_alive():
            raise ServerDidNotStart("uvicorn exited during startup")
        return server.started

    wait_for(started, STARTUP_TIMEOUT_SECONDS, "uvicorn started", interval=0.01)
