"""Resume delay after `kill -9` of the worker, over many kills.

Briefings are started through the web's JSON API and followed on its JSON SSE stream
(`/api/briefings/{id}/events`), as an API client sees them; every moment below is the
wall-clock time this script received something.

- crash-free: from the POST to the event that says the briefing completed, several runs;
- each kill: once the stream shows half of the summaries done and one still running, the
  worker gets SIGKILL; `briefing up` starts a new one after `--restart-delay`;
- restart → progress: from the new worker's "polling task queue" line (and from its process
  start) to the first progress event the workflow published after the kill: a step on its
  attempt 2 or later, a step started or finished after the kill, or the briefing's end;
- added by the crash: the crashed briefing's POST → completed, minus the crash-free median.

    python -m bench.resume_delay --kills 10 --restart-delay 5
"""

import argparse
import asyncio
from dataclasses import dataclass
from datetime import datetime
from statistics import median

import httpx

from bench.briefing_stream import BriefingStream
from bench.common import BenchStack, markdown_table, percentile, running_stack

TIMEOUT_SECONDS = 180.0


@dataclass(frozen=True)
class Kill:
    killed_at: datetime
    started_at: datetime  # the new worker process
    polling_at: datetime  # the new worker polling
    progress_at: datetime  # first progress published after the kill, as received
    work_resumed_at: datetime | None  # first LLM request after the kill
    duration: float  # POST → completed of the crashed briefing


async def _start(web: httpx.AsyncClient, args: argparse.Namespace) -> BriefingStream:
    stream = BriefingStream(web)
    response = await web.post(
        "/api/briefings", json={"topic": args.topic, "max_stories": args.stories}
    )
    response.raise_for_status()
    stream.follow(response.json()["id"])
    return stream


async def crash_free(web: httpx.AsyncClient, args: argparse.Namespace) -> float:
    stream = await _start(web, args)
    await stream.wait_until(lambda s: s.completed_at is not None, TIMEOUT_SECONDS)
    return stream.duration()


async def one_kill(stack: BenchStack, web: httpx.AsyncClient, args) -> Kill:
    stack.clear_llm_requests()
    stream = await _start(web, args)
    half = args.stories // 2
    await stream.wait_until(
        lambda s: len(s.summaries("done")) >= half and s.summaries("running"), TIMEOUT_SECONDS
    )
    since = stack.lines.count()
    killed_at = stack.kill_worker()
    restart = await asyncio.to_thread(stack.wait_for_worker_restart, since)
    progress = await stream.wait_until(
        lambda s: s.first_published_after(killed_at) is not None, TIMEOUT_SECONDS
    )
    progress_at = progress.first_published_after(killed_at)
    assert progress_at is not None  # what the wait above waited for
    await stream.wait_until(lambda s: s.completed_at is not None, TIMEOUT_SECONDS)
    return Kill(
        killed_at=killed_at,
        started_at=restart.started_at,
        polling_at=restart.polling_at,
        progress_at=progress_at,
        work_resumed_at=_first_retried_call(stack.llm_requests()),
        duration=stream.duration(),
    )


def _first_retried_call(entries: list[dict]) -> datetime | None:
    """When the LLM received the first call it had seen before: a retry (same fingerprint)."""
    seen = set()
    for entry in entries:
        if entry["fingerprint"] in seen:
            return datetime.fromisoformat(entry["received_at"])
        seen.add(entry["fingerprint"])
    return None


async def measure(stack: BenchStack, args: argparse.Namespace) -> str:
    async with httpx.AsyncClient(base_url=stack.url("web"), timeout=30) as web:
        if not args.smoke:  # the smoke's figures are not read: no warm-up to spend CI's time on
            await crash_free(web, args)  # warm-up: first workflow, first subscription
        durations = [await crash_free(web, args) for _ in range(args.crash_free_runs)]
        kills = [await one_kill(stack, web, args) for _ in range(args.kills)]
    return _report(args, durations, kills)


def _seconds(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds()


def _report(args, durations: list[float], kills: list[Kill]) -> str:
    free = median(durations)
    measures = [
        ("crash-free briefing, POST → completed", durations),
        (
            "restart (polling) → next progress event",
            [_seconds(k.progress_at, k.polling_at) for k in kills],
        ),
        (
            "restart (process start) → next progress event",
            [_seconds(k.progress_at, k.started_at) for k in kills],
        ),
        ("kill → new worker polling", [_seconds(k.polling_at, k.killed_at) for k in kills]),
        (
            "kill → first repeated LLM call (a retry)",
            [_seconds(k.work_resumed_at, k.killed_at) for k in kills if k.work_resumed_at],
        ),
        ("kill → next progress event", [_seconds(k.progress_at, k.killed_at) for k in kills]),
        (
            "added by the crash: crashed briefing − crash-free median",
            [k.duration - free for k in kills],
        ),
    ]
    rows = [
        [
            name,
            len(values),
            f"{percentile(values, 0.5):.2f}",
            f"{percentile(values, 0.95):.2f}",
            f"{max(values):.2f}",
        ]
        for name, values in measures
        if values
    ]
    table = markdown_table(["measure (s)", "n", "p50", "p95", "max"], rows)
    note = (
        f"{args.stories} stories, LLM at a fixed {args.latency_ms:g} ms per call, "
        f"restart delay {args.restart_delay:g} s; target: restart → next progress p95 ≤ 3 s."
    )
    return table + "\n\n" + note


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--crash-free-runs", type=int, default=3)
    parser.add_argument("--restart-delay", type=float, default=5.0)
    parser.add_argument("--stories", type=int, default=8)
    parser.add_argument("--latency-ms", type=float, default=500.0)
    parser.add_argument("--topic", default="science")
    parser.add_argument("--smoke", action="store_true", help="a tiny run, for CI")
    args = parser.parse_args()
    if args.smoke:
        args.kills, args.crash_free_runs, args.restart_delay = 1, 1, 0.5
    with running_stack(restart_delay=args.restart_delay, llm_latency_ms=args.latency_ms) as stack:
        report = asyncio.run(measure(stack, args))
    print(report, flush=True)


if __name__ == "__main__":
    main()
