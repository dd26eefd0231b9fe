"""A real `briefing web` against slow and numerous clients (web/server_limits.py)."""

import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from testing.polling import wait_for
from testing.stack_parts import local_environment
from testing.temporal_dev import free_port, wait_for_port
from web.server_limits import OPEN_FILES_RESERVE

# `briefing web` as a process, flooded with slow clients.
pytestmark = pytest.mark.stack

READ_TIMEOUT_SECONDS = 2
# Long enough for a whole flood of connections to be open at once on a loaded machine.
FLOOD_READ_TIMEOUT_SECONDS = 15
# Generous: the machine is shared, and a closed socket is all these tests wait for.
CLOSE_WAIT_SECONDS = FLOOD_READ_TIMEOUT_SECONDS + 15
STATIC_FILE = "/static/app.css"
HALF_SENT = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow"


class Web:
    def __init__(self, process: subprocess.Popen, port: int) -> None:
        self.process, self.port = process, port

    def get(self, path: str) -> httpx.Response:
        return httpx.get(f"http://127.0.0.1:{self.port}{path}", timeout=10)

    def connect(self, request: bytes) -> socket.socket:
        connection = socket.create_connection(("127.0.0.1", self.port))
        connection.settimeout(CLOSE_WAIT_SECONDS)
        connection.sendall(request)
        return connection

    def open_files(self) -> int:
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))


def start_web(
    tmp_path: Path, open_files_limit: int | None = None, read_timeout: int = READ_TIMEOUT_SECONDS
) -> Web:
    port = free_port()
    env = local_environment() | {
        "BRIEFING_WEB_PORT": str(port),
        "BRIEFING_REQUEST_READ_TIMEOUT": str(read_timeout),
        # Nobody there: the web connects lazily and serves its pages degraded.
        "TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
    }

    def limit_open_files() -> None:
        if open_files_limit is not None:
            _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files_limit, hard))

    process = subprocess.Popen(
        [sys.executable, "-m", "stack.cli", "web"],
        cwd=tmp_path,  # away from any .env in the checkout
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=limit_open_files,
    )
    wait_for_port(port)
    return Web(process, port)


@pytest.fixture
def web_factory(tmp_path: Path) -> Iterator[Callable[..., Web]]:
    started: list[Web] = []

    def factory(**options: int) -> Web:
        started.append(start_web(tmp_path, **options))
        return started[-1]

    yield factory
    for web in started:
        web.process.terminate()
        web.process.wait(timeout=20)


def wait_for_open_files(web: Web, condition: Callable[[int], bool], what: str) -> int:
    return wait_for(web.open_files, CLOSE_WAIT_SECONDS, what, until=condition)


def closed_without_answer(connection: socket.socket) -> bool:
    try:
        return connection.recv(4096) == b""
    except ConnectionResetError:
        return True
    finally:
        connection.close()


def test_half_sent_requests_are_dropped_at_the_deadline_and_others_served_meanwhile(web_factory):
    web = web_factory()
    baseline = web.open_files()
    slow = [web.connect(HALF_SENT) for _ in range(300)]
    assert web.get(STATIC_FILE).status_code == 200
    assert all(closed_without_answer(connection) for connection in slow)
    wait_for_open_files(web, lambda count: count <= baseline + 5, "the dropped sockets closed")


def test_a_client_that_keeps_trickling_headers_is_dropped_all_the_same(web_factory):
    web = web_factory()
    trickler = web.connect(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    started = time.monotonic()
    with pytest.raises((BrokenPipeError, ConnectionResetError)):
        while time.monotonic() - started < CLOSE_WAIT_SECONDS:
            trickler.sendall(b"X-Slow: 1\r\n")
            time.sleep(0.2)


def test_a_body_that_never_comes_is_dropped(web_factory):
    web = web_factory()
    request = (
        b"POST /api/briefings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b'Content-Length: 1000\r\n\r\n{"topic": '
    )
    assert closed_without_answer(web.connect(request))


def test_past_the_connection_cap_requests_get_503_until_the_slow_ones_are_dropped(web_factory):
    open_files_limit = 300
    cap = open_files_limit - OPEN_FILES_RESERVE  # below the limit: 503s, not failed accepts
    web = web_factory(open_files_limit=open_files_limit, read_timeout=FLOOD_READ_TIMEOUT_SECONDS)
    baseline = web.open_files()
    slow = [web.connect(HALF_SENT) for _ in range(cap + 10)]
    wait_for_open_files(web, lambda count: count >= baseline + cap, "the flood filled the cap")
    assert web.get(STATIC_FILE).status_code == 503
    assert all(closed_without_answer(connection) for connection in slow)
    assert web.get(STATIC_FILE).status_code == 200
