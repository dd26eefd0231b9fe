"""Slow clients against `briefing up`: what they hold of the control API and of the web.

Opens unauthenticated POSTs to the control API that never send their body, and requests to
the web that never finish their headers, then samples `up`'s threads and the web's open files
until the web is back to where it started (or the sampling window ends).

    python -m bench.slow_clients [--control 200] [--web 300] [--window 40] [--smoke]
"""

import argparse
import os
import socket
import time
from pathlib import Path

from bench.common import markdown_table, running_stack

CONTROL_REQUEST = (
    b"POST /parts/worker/kill HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n"
)
WEB_REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow"
SAMPLE_SECONDS = (0, 1, 5, 10, 15, 20, 25, 30, 35, 40)


def threads_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise LookupError(pid)


def open_files_of(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def open_slow(port: int, request: bytes, count: int) -> list[socket.socket]:
    connections = []
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port))
        connection.sendall(request)
        connections.append(connection)
    return connections


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--control", type=int, default=200, help="slow control API requests")
    parser.add_argument("--web", type=int, default=300, help="half-sent web requests")
    parser.add_argument("--window", type=float, default=40.0, help="seconds to sample")
    parser.add_argument("--smoke", action="store_true", help="a tiny run, for CI")
    args = parser.parse_args()
    if args.smoke:
        args.control, args.web, args.window = 10, 10, 1.0
    with running_stack() as stack:
        up, web = stack.process.process.pid, stack.pids["web"]
        rows = [("before", threads_of(up), open_files_of(web))]
        started = time.monotonic()
        slow = open_slow(stack.process.ports["control"], CONTROL_REQUEST, args.control)
        slow += open_slow(stack.process.ports["web"], WEB_REQUEST, args.web)
        for at in (s for s in SAMPLE_SECONDS if s <= args.window):
            time.sleep(max(0.0, started + at - time.monotonic()))
            rows.append((f"{at:g} s", threads_of(up), open_files_of(web)))
        for connection in slow:
            connection.close()
    print(f"{args.control} slow control API requests, {args.web} half-sent web requests\n")
    print(markdown_table(("since the attack", "`up` threads", "web open files"), rows))


if __name__ == "__main__":
    main()
