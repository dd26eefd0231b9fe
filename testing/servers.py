"""Run a real ASGI app on loopback for a test, on whatever port the OS hands out."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp

STARTUP_TIMEOUT_SECONDS = 10.0
SHUTDOWN_TIMEOUT_SECONDS = 10.0


class ServerDidNotStart(RuntimeError):
    """Uvicorn exited or stalled before it began accepting connections."""


@contextmanager
def serve_in_thread(app: ASGIApp) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 in a background thread; yields its base URL (no trailing slash)."""
    # proxy_headers off, as `briefing web` runs: the app sees the TCP peer, not X-Forwarded-For.
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="warning", access_log=False, proxy_headers=False
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
        thread.join(SHUTDOWN_TIMEOUT_SECONDS)


def _wait_until_started(server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive():
            raise ServerDidNotStart("uvicorn exited during startup")
        if time.monotonic() > deadline:
            raise ServerDidNotStart(f"uvicorn not started after {STARTUP_TIMEOUT_SECONDS}s")
        time.sleep(0.01)
