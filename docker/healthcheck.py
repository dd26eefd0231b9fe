"""The image's health check: is the part this container runs (web, worker, plain, newsroom, llm)
well?

- web, plain, newsroom, llm: `GET /healthz` on the part's own port answers 200 within the timeout.
- worker: the `briefing worker` process is alive and holds an open TCP connection to the
  Temporal frontend (the port of its TEMPORAL_ADDRESS); it does not see whether it is polling.

The part and its settings are read from the process itself (/proc/PID/cmdline and environ), so
one command serves every container of the image. Standard library only; exit 0 when healthy.
Usage: healthcheck.py [--pid PID]  (default: the one `briefing` process of the container)
"""

import argparse
import sys
import urllib.request
from pathlib import Path

PARTS = ("web", "worker", "plain", "newsroom", "llm")
# Each HTTP part's port setting and its default, as in core/settings.py.
HTTP_PORTS = {
    "web": ("BRIEFING_WEB_PORT", 8000),
    "plain": ("BRIEFING_PLAIN_PORT", 8400),
    "newsroom": ("BRIEFING_NEWSROOM_PORT", 8100),
    "llm": ("BRIEFING_LLM_PORT", 8200),
}
HTTP_TIMEOUT_SECONDS = 5.0
TCP_ESTABLISHED = "01"


class Unhealthy(Exception):
    """What is wrong, in one line for `docker inspect`."""


def part_of(argv: list[str]) -> str | None:
    """`.../briefing worker` (the image) or `python -m stack.cli worker`: the part, else None."""
    for index, arg in enumerate(argv[:-1]):
        if (Path(arg).name == "briefing" or arg == "stack.cli") and argv[index + 1] in PARTS:
            return argv[index + 1]
    return None


def read_argv(pid: int) -> list[str]:
    raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    return [arg.decode(errors="replace") for arg in raw.split(b"\0") if arg]


def find_part_process() -> int:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if part_of(read_argv(int(entry.name))):
                    found.append(int(entry.name))
            except OSError:  # the process ended while we looked
                continue
    if len(found) != 1:
        raise Unhealthy(f"expected one `briefing` process, found {len(found)}")
    return found[0]


def environment_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    pairs = (entry.decode(errors="replace").partition("=") for entry in raw.split(b"\0"))
    return {name: value for name, _, value in pairs if name}


def check_http(part: str, environment: dict[str, str]) -> str:
    variable, default = HTTP_PORTS[part]
    url = f"http://127.0.0.1:{environment.get(variable) or default}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT_SECONDS) as response:
            status = response.status
    except OSError as error:
        raise Unhealthy(f"{part}: {url} did not answer: {error}") from error
    if status != 200:
        raise Unhealthy(f"{part}: {url} answered {status}")
    return f"{part}: {url} answered 200"


def socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = str(fd.readlink())
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target.removeprefix("socket:[").removesuffix("]"))
    return inodes


def established_remote_ports(pid: int) -> set[int]:
    """Remote ports of this process's established TCP connections (IPv4 and IPv6)."""
    inodes = socket_inodes(pid)
    ports = set()
    for table in ("tcp", "tcp6"):
        path = Path(f"/proc/{pid}/net/{table}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == TCP_ESTABLISHED and fields[9] in inodes:
                ports.add(int(fields[2].rpartition(":")[2], 16))
    return ports


def check_worker(pid: int, environment: dict[str, str]) -> str:
    address = environment.get("TEMPORAL_ADDRESS") or "localhost:7233"
    port = int(address.rpartition(":")[2])
    if port not in established_remote_ports(pid):
        raise Unhealthy(f"worker: no open connection to Temporal at {address}")
    return f"worker: connected to Temporal at {address}"


def check(pid: int) -> str:
    part = part_of(read_argv(pid))
    if part is None:
        raise Unhealthy(f"process {pid} is not a `briefing` part")
    environment = environment_of(pid)
    return check_worker(pid, environment) if part == "worker" else check_http(part, environment)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pid", type=int, help="the part's process (default: found in /proc)")
    args = parser.parse_args(argv)
    try:
        print(check(args.pid or find_part_process()))
    except (Unhealthy, OSError) as problem:
        print(f"unhealthy: {problem}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
