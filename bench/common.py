"""Shared by the bench scripts: `briefing up` started for a measurement, and what it did.

Stable API for every bench script (add to it, never change it):

- `running_stack(restart_delay=..., llm_latency_ms=..., extra_env=...)`: a context manager that
  starts `briefing up` on free ports in a temporary data directory, with the offline LLM
  answering every chat completion after a fixed latency (pacing by tokens off), and yields a
  `BenchStack`; `extra_env` adds settings (e.g. BRIEFING_TRUSTED_FEED_HOSTS) for every part.
- `BenchStack`: the stack's `settings` (as its parts read them), `url(part)`, `pids`, the LLM's
  request log (`llm_requests`, `clear_llm_requests`, `set_llm_latency`, `set_llm_pace`), the
  worker's kill and restart (`kill_worker`, `wait_for_worker_restart`), any part's
  (`kill_parts`, which SIGKILLs several at one instant, and `wait_for_restart`), a Temporal
  `client()`, and `lines`, the stack's output with the time each line arrived.
- `percentile(values, fraction)` and `markdown_table(header, rows)` for the printed tables.
- `summary_requests(entries)` and `tokens_of(entries)` to read the LLM's request log.
"""

import contextlib
import math
import os
import re
import signal
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import httpx
from temporalio.client import Client

from bench.load_stack import UNTHROTTLED
from core.settings import Settings
from core.temporal_client import connect
from testing.stack_process import StackProcess

DEFAULT_LLM_LATENCY_MS = 300.0
LINE_TIMEOUT_SECONDS = 90.0
BENCH_ENVIRONMENT = {
    # Pacing by tokens off: the fixed latency alone decides how long a call takes.
    "BRIEFING_LLM_TOKENS_PER_SECOND": "0",
    **UNTHROTTLED,
}
_RESTARTED = r"^\[up\] {part} restarted, pid (\d+)"
# Logged by worker.main once connected, as it enters the polling loop.
_POLLING = r"^\[worker\] .*worker worker-{pid}@\S+ polling task queue"


@dataclass(frozen=True)
class TimedLine:
    at: datetime
    text: str


class TimedLines:
    """The stack's output, each line stamped with the wall-clock time it arrived."""

    def __init__(self, process: StackProcess) -> None:
        self._lines: list[TimedLine] = []
        self._arrived = threading.Condition()
        threading.Thread(target=self._read, args=(process,), daemon=True).start()

    def _read(self, process: StackProcess) -> None:
        while True:
            text = process.lines.get()
            with self._arrived:
                self._lines.append(TimedLine(datetime.now(UTC), text))
                self._arrived.notify_all()

    def count(self) -> int:
        with self._arrived:
            return len(self._lines)

    def wait_for(
        self, pattern: str, *, since: int = 0, timeout: float = LINE_TIMEOUT_SECONDS
    ) -> tuple[int, TimedLine, re.Match]:
        """The first line at index >= `since` matching `pattern`: index, line and match."""
        checked, deadline = since, time.monotonic() + timeout
        with self._arrived:
            while True:
                for index in range(checked, len(self._lines)):
                    match = re.search(pattern, self._lines[index].text)
                    if match:
                        return index, self._lines[index], match
                checked = max(checked, len(self._lines))
                if not self._arrived.wait(max(deadline - time.monotonic(), 0)):
                    raise TimeoutError(f"no line matching {pattern!r} within {timeout:g}s")


@dataclass(frozen=True)
class WorkerRestart:
    pid: int
    started_at: datetime  # `briefing up` started the new process
    polling_at: datetime  # the new worker said it is polling


class BenchStack:
    def __init__(self, process: StackProcess, pids: dict[str, int], settings: Settings) -> None:
        self.process = process
        self.pids = pids
        self.settings = settings
        self.lines = TimedLines(process)
        self._llm = httpx.Client(base_url=process.url("llm"), timeout=10)

    def url(self, part: str) -> str:
        return self.process.url(part)

    def set_llm_latency(self, milliseconds: float) -> None:
        """Every chat completion answers after this long (0: at once): the `hang` fault."""
        self._llm.delete("/_admin/faults").raise_for_status()
        if milliseconds > 0:
            fault = {"mode": "hang", "seconds": milliseconds / 1000, "count": None}
            self._llm.post("/_admin/faults", json=fault).raise_for_status()

    def set_llm_pace(self, tokens_per_second: float) -> None:
        """Every answer takes as long as writing its tokens at this pace: calls of different
        lengths end at different times, as a real model's do (the `slow` fault)."""
        self._llm.delete("/_admin/faults").raise_for_status()
        fault = {"mode": "slow", "tokens_per_second": tokens_per_second}
        self._llm.post("/_admin/faults", json=fault).raise_for_status()

    def llm_requests(self) -> list[dict]:
        return self._llm.get("/_admin/requests").raise_for_status().json()

    def clear_llm_requests(self) -> None:
        self._llm.delete("/_admin/requests").raise_for_status()

    def kill_worker(self) -> datetime:
        """SIGKILL the worker; `briefing up` restarts it after its restart delay."""
        os.kill(self.pids["worker"], signal.SIGKILL)
        return datetime.now(UTC)

    def wait_for_worker_restart(self, since_line: int) -> WorkerRestart:
        """The restart of the worker reported after output line `since_line` (see `lines`)."""
        index, started, match = self.lines.wait_for(
            _RESTARTED.format(part="worker"), since=since_line
        )
        pid = int(match.group(1))
        _, polling, _ = self.lines.wait_for(_POLLING.format(pid=pid), since=index)
        self.pids["worker"] = pid
        return WorkerRestart(pid=pid, started_at=started.at, polling_at=polling.at)

    def kill_parts(self, *parts: str) -> datetime:
        """SIGKILL these parts back to back (the same instant, to within a millisecond)."""
        for part in parts:
            os.kill(self.pids[part], signal.SIGKILL)
        return datetime.now(UTC)

    def wait_for_restart(self, part: str, since_line: int) -> int:
        """The new pid of `part`, restarted by `briefing up` after output line `since_line`."""
        _, _, match = self.lines.wait_for(_RESTARTED.format(part=part), since=since_line)
        self.pids[part] = int(match.group(1))
        return self.pids[part]

    async def client(self) -> Client:
        return await connect(self.settings)

    def close(self) -> None:
        self._llm.close()


@contextlib.contextmanager
def running_stack(
    *,
    restart_delay: float = 1.0,
    llm_latency_ms: float = DEFAULT_LLM_LATENCY_MS,
    extra_env: dict[str, str] | None = None,
) -> Iterator[BenchStack]:
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as data_dir:
        process = StackProcess(
            Path(data_dir),
            restart_delay=restart_delay,
            extra_env={**BENCH_ENVIRONMENT, **(extra_env or {})},
        )
        # The values the stack's parts read, by their variable names (the fields' aliases), as
        # the strings pydantic converts: typed Any, since no field is named like a variable.
        settings = Settings(_env_file=None, **cast(dict[str, Any], process.environment))
        stack = None
        try:
            stack = BenchStack(process, process.wait_until_up(), settings)
            stack.set_llm_latency(llm_latency_ms)
            yield stack
        finally:
            if stack is not None:
                stack.close()
            process.stop()


def summary_requests(entries: Iterable[dict]) -> list[dict]:
    """The story summaries among logged LLM requests (a lead paragraph has several articles)."""
    return [entry for entry in entries if entry["articles"] == 1]


def tokens_of(entries: Iterable[dict]) -> int:
    return sum((e["prompt_tokens"] or 0) + (e["completion_tokens"] or 0) for e in entries)


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: a value that was really measured, never an interpolation."""
    ordered = sorted(values)
    rank = max(math.ceil(fraction * len(ordered)), 1)
    return ordered[rank - 1]


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
