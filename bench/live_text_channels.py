"""Which channel should carry the LLM's words to the page? Both designs of issue 16, side by side.

    python -m bench.live_text_channels --rounds 3 --stories 8   (--smoke: 1 round, 2 stories)

One stack (Temporal dev server on SQLite, newsroom, offline LLM at 40 tokens/s, one web). Each
round runs one briefing per variant, in turn, each on a fresh worker (bench/live_text_worker.py):

- **heartbeats** (the product): each attempt's text rides on its heartbeats, and the web reads
  it from the pending activities with a describe every 0.1 s while someone watches;
- **stream**: the words published on the workflow's own stream (Workflow Streams, batched every
  0.1 s: one signal per batch), read by a subscriber's long-poll updates;
- **off**: no words, as before issue 16; the baseline for history and CPU;
- **heartbeats 50 ms** (`--variants` adds it): the product at twice its pace, the price of less lag.

Per briefing: history events and bytes (its JSON, as the Web UI gets it), CPU seconds of the
worker (with its pool of extracting children) and of the Temporal server from the start to the
result, and the token-to-screen lag: a
word's arrival at the viewer minus the moment the worker got it from the LLM (`written_at`,
same machine, same clock), per word, newest word and bound as bench/word_lags.py explains.
The heartbeats viewer reads the web's JSON stream; the stream subscriber reads Temporal
directly (no web hop: a slight edge for it).
"""

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
from temporalio.client import Client
from temporalio.contrib.workflow_streams import WorkflowStreamClient

from activities.llm.live_text import LiveText
from bench.common import markdown_table, percentile
from bench.live_text_worker import TEXT_TOPIC, StreamedText
from bench.load_metrics import CpuByProcessTree
from bench.load_stack import LoadStack
from bench.load_workers import wait_for_poller
from bench.word_lags import Delivery, WordLags
from core.temporal_client import connect
from testing.sse_client import read_frames


@dataclass(frozen=True)
class Variant:
    channel: str  # bench/live_text_worker.py's --channel
    # BRIEFING_LIVE_TEXT_INTERVAL of worker and web: 4 s is the SDK's own heartbeat throttle
    # for a 5 s heartbeat timeout, what the worker did before issue 16; 5 s keeps the web's
    # describes for words out of the way where nothing is heartbeated.
    worker_interval: float
    web_interval: float


VARIANTS = {
    "off": Variant("off", 4, 5),
    "stream": Variant("stream", 4, 5),
    "heartbeats": Variant("heartbeats", 0.1, 0.1),
    "heartbeats 50 ms": Variant("heartbeats", 0.05, 0.05),
}
TOPIC = "the latest"  # no story mentions it: selection takes the latest, any count fills
LLM_TOKENS_PER_SECOND = 40.0


@dataclass
class Run:
    variant: str
    events: int = 0
    history_bytes: int = 0
    worker_cpu: float = 0.0
    server_cpu: float = 0.0
    deliveries: dict[tuple[str, int], list[Delivery]] = field(
        default_factory=dict
    )  # by step, attempt

    def note(self, step: str, attempt: int, written_at: datetime | None, words: int) -> None:
        if written_at is not None:
            delivery = (time.time(), written_at.timestamp(), words)
            self.deliveries.setdefault((step, attempt), []).append(delivery)


async def watch_heartbeats(api: httpx.AsyncClient, url: str, run: Run) -> None:
    async for frame in read_frames(api, f"{url}/events"):
        if frame.event == "delta":
            delta = json.loads(frame.data)
            written_at = (
                datetime.fromisoformat(delta["written_at"]) if delta["written_at"] else None
            )
            run.note(delta["step"], delta["attempt"], written_at, delta["words"])
        elif frame.event == "close":
            return


async def watch_stream(client: Client, briefing_id: str, run: Run) -> None:
    stream = WorkflowStreamClient.create(client, briefing_id)
    async for item in stream.subscribe(TEXT_TOPIC, from_offset=0, result_type=StreamedText):
        live: LiveText = item.data.live
        run.note(item.data.step, live.attempt, live.written_at, len(live.text.split()))


async def one_run(
    stack: LoadStack, client: Client, web_urls: dict[float, str], name: str, stories: int
) -> Run:
    variant = VARIANTS[name]
    channel = variant.channel
    env = {"BRIEFING_LIVE_TEXT_INTERVAL": f"{variant.worker_interval:g}"}
    worker = stack.start_module("worker", "bench.live_text_worker", "--channel", channel, env=env)
    run = Run(name)
    try:
        await wait_for_poller(stack, client, stack.settings.task_queue, worker)
        # The worker's tree: its article extractions run in a pool of child processes.
        cpu = CpuByProcessTree({"worker": [worker.pid], "server": [stack.server.pid]})
        before = cpu()
        async with httpx.AsyncClient(base_url=web_urls[variant.web_interval], timeout=60) as api:
            created = await api.post(
                "/api/briefings", json={"topic": TOPIC, "max_stories": stories}
            )
            created.raise_for_status()
            briefing_id, url = created.json()["id"], created.json()["url"]
            # Every briefing has its page open: the web's subscription to its progress.
            watchers = [watch_heartbeats(api, url, run)]
            if channel == "stream":
                watchers.append(watch_stream(client, briefing_id, run))
            await asyncio.gather(*watchers)
            handle = client.get_workflow_handle(briefing_id)
            await handle.result()
        after = cpu()
        run.worker_cpu = after["worker"] - before["worker"]
        run.server_cpu = after["server"] - before["server"]
        history = await handle.fetch_history()
        run.events, run.history_bytes = len(history.events), len(history.to_json().encode())
    finally:
        stack.stop_process(worker)
    return run


def _spread(values: list[float], digits: int = 0) -> str:
    """Median, and the range over rounds when there are several."""
    middle = f"{statistics.median(values):.{digits}f}"
    if len(values) < 2:
        return middle
    return f"{middle} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def _ms(values: list[float], fraction: float) -> str:
    return f"{percentile(values, fraction) * 1000:.0f}" if values else "-"


def table(runs: list[Run]) -> str:
    base = [run for run in runs if run.variant == "off"]
    base_events = statistics.median(run.events for run in base) if base else 0
    base_cpu = statistics.median(run.worker_cpu for run in base) if base else 0
    rows = []
    for name in VARIANTS:
        mine = [run for run in runs if run.variant == name]
        if not mine:
            continue
        lags = WordLags.of(deliveries for run in mine for deliveries in run.deliveries.values())
        events = statistics.median(run.events for run in mine)
        cpu = statistics.median(run.worker_cpu for run in mine)
        rows.append(
            [
                name,
                _spread([run.events for run in mine]),
                f"{events / base_events:.2f}×" if base_events else "-",
                _spread([run.history_bytes / 1024 for run in mine]),
                _spread([run.worker_cpu for run in mine], 2),
                f"{cpu / base_cpu:.2f}×" if base_cpu else "-",
                _spread([run.server_cpu for run in mine], 2),
                f"{_ms(lags.per_word, 0.5)} / {_ms(lags.per_word, 0.95)}",
                _ms(lags.newest, 0.95),
                _ms(lags.bound, 0.95),
                sum(len(run.deliveries) for run in mine),
            ]
        )
    header = [
        "variant",
        "history events",
        "vs off",
        "history KiB",
        "worker CPU s",
        "vs off",
        "Temporal CPU s",
        "lag per word p50 / p95 (ms)",
        "newest word p95",
        "bound p95",
        "attempts watched",
    ]
    return markdown_table(header, rows)


async def measure(args: argparse.Namespace, data_dir: Path) -> list[Run]:
    with LoadStack(data_dir, llm_tokens_per_second=LLM_TOKENS_PER_SECOND) as stack:
        client = await connect(stack.settings)
        # The page of every briefing is open, on a web reading words at its variant's pace.
        intervals = {VARIANTS[name].web_interval for name in args.variants}
        webs = {
            interval: stack.start_web(env={"BRIEFING_LIVE_TEXT_INTERVAL": f"{interval:g}"})
            for interval in intervals
        }
        web_urls = {interval: url for interval, (_, url) in webs.items()}
        runs = []
        names = list(args.variants)
        for round_index in range(args.rounds):
            # Each round in another order: no variant always runs on the warmest machine.
            shift = round_index % len(names)
            for name in names[shift:] + names[:shift]:
                runs.append(await one_run(stack, client, web_urls, name, args.stories))
        for process, _ in webs.values():
            stack.stop_process(process)
        return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stories", type=int, default=8)
    parser.add_argument(
        "--variants", nargs="+", choices=list(VARIANTS), default=["off", "stream", "heartbeats"]
    )
    parser.add_argument("--smoke", action="store_true", help="1 round of 2-story briefings")
    args = parser.parse_args()
    if args.smoke:
        args.rounds, args.stories = 1, 2
    with tempfile.TemporaryDirectory(prefix="bench-live-text-") as data_dir:
        runs = asyncio.run(measure(args, Path(data_dir)))
    print(f"{args.rounds} round(s) of {args.stories}-story briefings, one per variant each\n")
    print(table(runs))


if __name__ == "__main__":
    main()
