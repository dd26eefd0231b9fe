"""How long a briefing takes, and how long after `kill -9` of the worker the work resumes.

Runs `briefing up` on free ports, starts briefings through the JSON API and prints a table.
Resume delay: from the kill to the first LLM request of a retried summary.
"""

import argparse
import os
import signal
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from tests.stack_process import StackProcess, summaries_in, wait_for_briefing

TIMEOUT_SECONDS = 180.0


def one_briefing(api: httpx.Client, topic: str) -> float:
    started = time.monotonic()
    url = api.post("/api/briefings", json={"topic": topic}).json()["url"]
    wait_for_briefing(api, url, lambda body: body["status"] != "running", TIMEOUT_SECONDS)
    return time.monotonic() - started


def one_crash(stack: StackProcess, api: httpx.Client, worker_pid: int) -> tuple[float, int]:
    url = api.post("/api/briefings", json={"topic": "science"}).json()["url"]
    wait_for_briefing(
        api,
        url,
        lambda body: summaries_in(body, "done") and summaries_in(body, "running"),
        TIMEOUT_SECONDS,
    )
    os.kill(worker_pid, signal.SIGKILL)
    killed_at = datetime.now(UTC)
    new_pid = int(stack.wait_for_line(r"\[up\] worker restarted, pid (\d+)").group(1))
    wait_for_briefing(api, url, lambda body: body["status"] != "running", TIMEOUT_SECONDS)
    log = httpx.get(f"{stack.url('llm')}/_admin/requests").json()
    after = [datetime.fromisoformat(e["received_at"]) for e in log]
    first_retry = min(moment for moment in after if moment > killed_at)
    return (first_retry - killed_at).total_seconds(), new_pid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--restart-delay", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        stack = StackProcess(Path(data_dir), restart_delay=args.restart_delay)
        try:
            pid = stack.wait_until_up()["worker"]
            api = httpx.Client(base_url=stack.url("web"), timeout=10)
            durations = [one_briefing(api, topic) for topic in ["science", "sport", "business"]]
            delays = []
            for _ in range(args.runs):
                delay, pid = one_crash(stack, api, pid)
                delays.append(delay)
        finally:
            stack.stop()
    print(f"| measure (restart delay {args.restart_delay:g}s) | median | min | max |")
    print("|---|---|---|---|")
    rows = (("one briefing, 8 stories (s)", durations), ("resume after kill -9 (s)", delays))
    for name, values in rows:
        median, low, high = statistics.median(values), min(values), max(values)
        print(f"| {name} | {median:.1f} | {low:.1f} | {high:.1f} |")


if __name__ == "__main__":
    main()
