"""What a process costs, read from outside: its memory, its CPU time and its calls to Temporal."""

import asyncio
import os
import re
import time
from collections import Counter
from pathlib import Path

import httpx

# Every client call the SDK makes, long polls included, successful or not.
CALL_COUNTERS = ("temporal_request", "temporal_long_request")
SAMPLE = re.compile(r"^(\w+)\{(.*)\} ([0-9.e+]+)$")
RSS_SAMPLE_SECONDS = 0.25
OPERATION = re.compile(r'operation="([^"]+)"')


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise LookupError(f"no VmRSS for pid {pid}")


async def peak_rss(pid: int, stop: asyncio.Event) -> int:
    """The most resident memory the process had, sampled until `stop` is set."""
    peak = rss_bytes(pid)
    while not stop.is_set():
        peak = max(peak, rss_bytes(pid))
        await asyncio.sleep(RSS_SAMPLE_SECONDS)
    return max(peak, rss_bytes(pid))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far, with that of its children it has reaped."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(tick) for tick in fields[11:15]) / os.sysconf("SC_CLK_TCK")


class CpuShares:
    """How busy each group of processes was over a stretch of time, in % of one core."""

    def __init__(self, groups: dict[str, list[int]]) -> None:
        self._groups = groups
        self._before = self._now()
        self._began = time.monotonic()

    def _now(self) -> dict[str, float]:
        return {name: sum(map(cpu_seconds, pids)) for name, pids in self._groups.items()}

    def shares(self) -> dict[str, float]:
        """Each group's CPU time since the start, as a fraction of one core."""
        elapsed = time.monotonic() - self._began
        after = self._now()
        return {name: (after[name] - self._before[name]) / elapsed for name in self._groups}

    def summary(self) -> str:
        shares = [f"{name} {share * 100:.0f}%" for name, share in self.shares().items()]
        return "CPU in % of one core: " + ", ".join(shares)


def temporal_calls(metrics_url: str) -> Counter[str]:
    """Calls so far by operation, from the SDK's Prometheus endpoint."""
    calls: Counter[str] = Counter()
    for line in httpx.get(metrics_url, timeout=10).text.splitlines():
        match = SAMPLE.match(line)
        if not match:
            continue
        name, labels, value = match.groups()
        if name.removesuffix("_failure") in CALL_COUNTERS:
            operation = OPERATION.search(labels)
            calls[operation.group(1) if operation else "?"] += int(float(value))
    return calls
