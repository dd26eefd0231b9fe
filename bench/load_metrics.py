"""What a process costs, read from outside: its memory, its CPU time and its calls to Temporal."""

import asyncio
import contextlib
import os
import re
import time
from collections import Counter
from collections.abc import Callable
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


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants (a web's worker processes); pages
    they share are counted in each, so this is an upper bound."""
    parents = {child: parent for child, (parent, _) in _process_stats().items()}
    tree, to_visit = set(), [pid]
    while to_visit:
        member = to_visit.pop()
        tree.add(member)
        to_visit += [child for child, parent in parents.items() if parent == member]
    total = 0
    for member in tree:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError, LookupError):
            total += rss_bytes(member)
    return total


async def peak_rss(pid: int, stop: asyncio.Event, read: Callable[[int], int] = rss_bytes) -> int:
    """The most resident memory the process had (`read`: or its tree), sampled until `stop`."""
    peak = read(pid)
    while not stop.is_set():
        peak = max(peak, read(pid))
        await asyncio.sleep(RSS_SAMPLE_SECONDS)
    return max(peak, read(pid))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far, with that of its children it has reaped."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(tick) for tick in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _process_stats() -> dict[int, tuple[int, float]]:
    """Every live process's parent and CPU seconds (`cpu_seconds`), from one pass over /proc."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue  # it ended while we looked
        ticks = sum(int(tick) for tick in fields[11:15])
        stats[int(entry.name)] = (int(fields[1]), ticks / os.sysconf("SC_CLK_TCK"))
    return stats


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent on anything but idling, all cores summed (/proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


MACHINE = "whole machine"


class CpuByProcessTree:
    """CPU seconds so far of each group of processes, each with all its descendants.

    Long-lived children (the workers' feed-parser pool) never reach the parent's cutime, so they
    are read from /proc directly. Each process counts its own time plus that of children it has
    reaped, so a child that ends inside the window moves its time to its parent, not out of the sum.
    The walk stops at another group's root: the bench driver is every process's parent.
    """

    def __init__(self, groups: dict[str, list[int]]) -> None:
        self._groups = groups

    def __call__(self) -> dict[str, float]:
        """Seconds per group, plus the whole machine's busy seconds under MACHINE."""
        stats = _process_stats()
        children: dict[int, list[int]] = {}
        for pid, (parent, _) in stats.items():
            children.setdefault(parent, []).append(pid)
        roots = {pid for pids in self._groups.values() for pid in pids}
        seconds = {MACHINE: machine_busy_seconds()}
        for name, pids in self._groups.items():
            tree, to_visit = set(), list(pids)
            while to_visit:
                pid = to_visit.pop()
                tree.add(pid)
                to_visit += [child for child in children.get(pid, []) if child not in roots]
            seconds[name] = sum(stats[pid][1] for pid in tree if pid in stats)
        return seconds


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
