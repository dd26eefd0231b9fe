"""SSE fan-out: 1 to 1000 viewers on one web process (`--web-processes N`: on N behind one
port, `briefing web --processes N`), spread over 10 running briefings.

Per level, a fresh web (its Temporal client metered, when it is one process) gets the briefings
started while no worker runs, so every viewer is subscribed before the first event; then a
worker starts and the viewers read until each briefing's `close`.

- lag: from the workflow's clock at a change (`workflow.now()` of the workflow task that made
  it: a step's started_at / finished_at, the run's finished_at) to the arrival of the event's
  bytes at each viewer; same machine, same clock. Events that only add a step carry no time
  and are not counted.
- words lag: token to screen, from the worker getting each word of a summary or lead from the
  LLM to its arrival at each viewer in a `delta` (bench/word_lags.py: per word, and its bound).
- memory per viewer: (peak RSS of the web, its processes summed, while viewers are connected -
  its RSS before they connect) / viewers.
- Temporal calls: every call the web's client made from the first viewer to the last close.
"""

import argparse
import asyncio
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from bench.common import markdown_table, percentile
from bench.load_metrics import peak_rss, temporal_calls, tree_rss_bytes
from bench.load_sse_clients import Viewer, connect_all, delivery_lags, word_lags
from bench.load_stack import (
    LoadStack,
    add_temporal_storage_option,
    exit_skipping_teardown,
    raise_open_files_limit,
)
from bench.word_lags import WordLags
from testing.temporal_dev import free_port

TOPICS = ["science", "sport", "business", "technology", "health", "climate", "culture", "travel"]
CONNECTS_AT_ONCE = 100
# Issue 16's token-to-screen targets (p95, ms) by viewers; 2,000 is meant for 2 web processes.
TOKEN_LAG_TARGETS_MS = {1: 250, 500: 500, 2000: 1000}


@dataclass(frozen=True)
class Level:
    viewers: int
    briefings: int
    lags: list[float]
    first_viewer_lags: list[float]
    memory_per_viewer: float
    calls: Counter[str]  # by operation
    words: WordLags  # token to screen, from the deltas of the summaries and leads
    incomplete: int  # viewers whose stream never reached `close`


async def start_briefings(url: str, count: int, max_stories: int) -> list[str]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as api:
        ids = []
        for index in range(count):
            topic = TOPICS[index % len(TOPICS)]
            response = await api.post(
                "/api/briefings", json={"topic": topic, "max_stories": max_stories}
            )
            response.raise_for_status()
            ids.append(response.json()["id"])
        return ids


async def one_level(stack: LoadStack, viewer_count: int, args: argparse.Namespace) -> Level:
    metrics_port = free_port()
    metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
    if args.web_processes > 1:
        # Several processes: `briefing web --processes N`, whose children are not metered.
        web, url = stack.start_web(env={"BRIEFING_WEB_PROCESSES": str(args.web_processes)})
        metrics_url = ""
    else:
        web, url = stack.start_web("bench.load_web_metered", "--metrics-port", str(metrics_port))
    worker = None
    try:
        # No worker yet: the briefings wait at their first step until every viewer is in.
        ids = await start_briefings(url, args.briefings, args.max_stories)
        watched = ids[: min(viewer_count, len(ids))]
        address = urlsplit(url)
        assert address.hostname is not None and address.port is not None, url
        viewers = [
            Viewer(
                address.hostname, address.port, f"/api/briefings/{watched[i % len(watched)]}/events"
            )
            for i in range(viewer_count)
        ]
        calls_before = temporal_calls(metrics_url) if metrics_url else Counter()
        rss_before = tree_rss_bytes(web.pid)
        stop_sampling = asyncio.Event()
        sampler = asyncio.create_task(peak_rss(web.pid, stop_sampling, tree_rss_bytes))
        followers = await connect_all(viewers, at_once=CONNECTS_AT_ONCE)
        worker = stack.start_part("worker")
        _, unfinished = await asyncio.wait(followers, timeout=args.level_timeout)
        for follower in unfinished:
            follower.cancel()
        calls = (temporal_calls(metrics_url) if metrics_url else Counter()) - calls_before
        stop_sampling.set()
        rss_peak = await sampler
    finally:
        for process in (worker, web):
            if process is not None:
                stack.stop_process(process)
    lags, first_viewer_lags = delivery_lags(viewers)
    return Level(
        viewers=viewer_count,
        briefings=len(watched),
        lags=lags,
        first_viewer_lags=first_viewer_lags,
        memory_per_viewer=(rss_peak - rss_before) / viewer_count,
        calls=calls,
        words=word_lags(viewers),
        incomplete=sum(not viewer.closed for viewer in viewers),
    )


def milliseconds(values: list[float], fraction: float) -> str:
    return f"{percentile(values, fraction) * 1000:.0f}" if values else "-"


def met(values: list[float], target_seconds: float | None) -> str:
    if target_seconds is None or not values:
        return ""
    return "met" if percentile(values, 0.95) <= target_seconds else "not met"


def row(level: Level, target_viewers: int, target_p95: float) -> list[object]:
    target = met(level.lags, target_p95) if level.viewers == target_viewers else ""
    words = level.words.per_word
    token_target = TOKEN_LAG_TARGETS_MS.get(level.viewers)
    first = level.first_viewer_lags
    return [
        level.viewers,
        level.briefings,
        len(level.lags),
        milliseconds(level.lags, 0.5),
        milliseconds(level.lags, 0.95),
        f"{milliseconds(first, 0.5)} / {milliseconds(first, 0.95)}",
        f"{level.memory_per_viewer / 1024:.1f}",
        level.calls.total() if level.calls else "-",
        f"{level.calls.total() / level.briefings:.0f}" if level.calls else "-",
        level.incomplete,
        target,
        f"{milliseconds(words, 0.5)} / {milliseconds(words, 0.95)}",
        milliseconds(level.words.bound, 0.95),
        met(words, token_target / 1000 if token_target else None),
    ]


async def measure(args: argparse.Namespace, data_dir: Path) -> list[Level]:
    with LoadStack(
        data_dir,
        llm_tokens_per_second=args.llm_tokens_per_second,
        temporal_on_disk=not args.temporal_in_memory,
    ) as stack:
        return [await one_level(stack, count, args) for count in args.viewers]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--viewers", type=int, nargs="+", default=[1, 100, 500, 1000])
    parser.add_argument("--briefings", type=int, default=10)
    parser.add_argument("--max-stories", type=int, default=8)
    parser.add_argument(
        "--llm-tokens-per-second", type=float, default=40.0, help="offline LLM pace; 0: at once"
    )
    parser.add_argument("--level-timeout", type=float, default=120.0)
    parser.add_argument(
        "--web-processes", type=int, default=1, help="2 or more: Temporal calls not counted"
    )
    parser.add_argument("--target-viewers", type=int, default=500)
    parser.add_argument("--target-p95-ms", type=float, default=500.0)
    add_temporal_storage_option(parser)
    parser.add_argument("--smoke", action="store_true", help="a tiny run, for CI")
    args = parser.parse_args()
    if args.smoke:
        args.viewers, args.briefings, args.max_stories = [1, 4], 2, 2
        args.llm_tokens_per_second, args.level_timeout = 0.0, 60.0
    return args


def main() -> None:
    args = parse_arguments()
    raise_open_files_limit()
    with tempfile.TemporaryDirectory(prefix="bench-sse-") as data_dir:
        levels = asyncio.run(measure(args, Path(data_dir)))
    storage = "in memory" if args.temporal_in_memory else "on its SQLite file"
    print(
        f"SSE fan-out on {args.web_processes} web process(es): {args.briefings} briefings of "
        f"{args.max_stories} stories, offline LLM at {args.llm_tokens_per_second:g} tokens/s, "
        f"1 worker, Temporal {storage}\n"
    )
    header = [
        "viewers",
        "briefings watched",
        "events timed",
        "lag p50 (ms)",
        "lag p95 (ms)",
        "first viewer p50 / p95 (ms)",
        "memory per viewer (KiB)",
        "Temporal calls",
        "calls per briefing",
        "unfinished streams",
        f"p95 ≤ {args.target_p95_ms:g} ms at {args.target_viewers}",
        "words lag p50 / p95 (ms)",
        "words bound p95 (ms)",
        "words target (250 / 500 / 1000 ms at 1 / 500 / 2000)",
    ]
    target_p95 = args.target_p95_ms / 1000
    print(markdown_table(header, (row(level, args.target_viewers, target_p95) for level in levels)))
    print("\nThe web's Temporal calls by operation:\n")
    for level in levels:
        by_operation = ", ".join(f"{name} {count}" for name, count in level.calls.most_common())
        print(f"- {level.viewers} viewers: {by_operation}")
    exit_skipping_teardown()


if __name__ == "__main__":
    main()
