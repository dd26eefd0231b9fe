"""Web latency: the home page and a briefing page under concurrent users, while briefings run.

One web process, one worker; a fixed number of briefings kept running in the background
(started through the JSON API, followed through Temporal so they add no web requests). Each
user loads the home page, then the page of one of the running briefings, pausing between
pages; latency is from sending the request to the last byte of the page.
"""

import argparse
import asyncio
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from temporalio.client import Client

from bench.common import markdown_table, percentile
from bench.load_metrics import CpuShares
from bench.load_stack import LoadStack, exit_skipping_teardown
from bench.load_temporal_probe import probe_briefing_calls
from core.temporal_client import connect

TOPICS = ["science", "sport", "business", "technology", "health"]
PAGES = ("home", "briefing")


@dataclass
class Samples:
    seconds: dict[str, list[float]] = field(default_factory=lambda: {page: [] for page in PAGES})
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PAGES, 0))
    temporal: dict[str, list[float]] = field(default_factory=dict)  # timed from outside the web


async def keep_briefings_running(
    api: httpx.AsyncClient, client: Client, slot: int, running: list[str], stop: asyncio.Event
) -> None:
    """One background slot: a briefing, and another as soon as it ends."""
    while not stop.is_set():
        topic = TOPICS[slot % len(TOPICS)]
        response = await api.post("/api/briefings", json={"topic": topic})
        response.raise_for_status()
        briefing_id = response.json()["id"]
        running[slot] = briefing_id
        try:
            await client.get_workflow_handle(briefing_id).result()
        except Exception:  # noqa: BLE001 - the load goes on; the pages are what we measure
            pass


async def wait_until_all_started(running: list[str], background: list[asyncio.Task]) -> None:
    while not all(running):
        for task in background:
            if task.done():
                task.result()  # a slot that could not start a briefing says why
        await asyncio.sleep(0.1)


async def one_user(
    api: httpx.AsyncClient,
    user: int,
    running: list[str],
    samples: Samples,
    until: float,
    think: float,
) -> None:
    turn = user
    while time.monotonic() < until:
        briefing_id = running[turn % len(running)]
        for page, path in (("home", "/"), ("briefing", f"/briefings/{briefing_id}")):
            began = time.perf_counter()
            response = await api.get(path)
            elapsed = time.perf_counter() - began
            if response.status_code == 200:
                samples.seconds[page].append(elapsed)
            else:
                samples.errors[page] += 1
            await asyncio.sleep(think)
        turn += 1


async def measure(args: argparse.Namespace, data_dir: Path) -> tuple[Samples, str]:
    samples = Samples()
    with LoadStack(data_dir, llm_tokens_per_second=args.llm_tokens_per_second) as stack:
        worker = stack.start_part("worker")
        web, url = stack.start_web()
        client = await connect(stack.settings)
        limits = httpx.Limits(max_connections=args.users + args.briefings)
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as api:
            running: list[str] = [""] * args.briefings
            stop = asyncio.Event()
            background = [
                asyncio.create_task(keep_briefings_running(api, client, slot, running, stop))
                for slot in range(args.briefings)
            ]
            await wait_until_all_started(running, background)
            await asyncio.sleep(args.warmup)
            until = time.monotonic() + args.duration
            cpu = CpuShares(
                {
                    "web": [web.pid],
                    "worker": [worker.pid],
                    "Temporal": [stack.server.pid],
                    "LLM": [stack.llm.pid],
                    "users": [os.getpid()],
                }
            )
            probe = asyncio.create_task(probe_briefing_calls(client, running, until))
            await asyncio.gather(
                *(
                    one_user(api, user, running, samples, until, args.think_seconds)
                    for user in range(args.users)
                )
            )
            samples.temporal = await probe
            cpu_use = cpu.summary()
            stop.set()
            for task in background:
                task.cancel()
    return samples, cpu_use


def milliseconds(values: list[float], fraction: float) -> str:
    return f"{percentile(values, fraction) * 1000:.0f}" if values else "-"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--briefings", type=int, default=5, help="kept running meanwhile")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of page loads")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--think-seconds", type=float, default=0.5, help="pause between pages")
    parser.add_argument(
        "--llm-tokens-per-second", type=float, default=40.0, help="offline LLM pace; 0: at once"
    )
    parser.add_argument("--smoke", action="store_true", help="a tiny run, for CI")
    args = parser.parse_args()
    if args.smoke:
        args.users, args.briefings, args.duration, args.warmup = 3, 2, 3.0, 0.0
    return args


def main() -> None:
    args = parse_arguments()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as data_dir:
        samples, cpu_use = asyncio.run(measure(args, Path(data_dir)))
    print(
        f"Web latency: {args.users} users ({args.think_seconds:g} s between pages), "
        f"{args.briefings} briefings running, {args.duration:g} s, one web process\n"
    )
    header = ["page", "requests", "errors", "p50 (ms)", "p95 (ms)", "max (ms)", "requests/s"]
    rows = []
    for page in PAGES:
        seconds = samples.seconds[page]
        rows.append(
            [
                page,
                len(seconds),
                samples.errors[page],
                milliseconds(seconds, 0.5),
                milliseconds(seconds, 0.95),
                milliseconds(seconds, 1.0),
                f"{len(seconds) / args.duration:.1f}",
            ]
        )
    print(markdown_table(header, rows))
    print("\nThe Temporal calls behind a briefing page, timed from outside the web meanwhile:\n")
    header = ["call", "calls", "p50 (ms)", "p95 (ms)", "max (ms)"]
    rows = [
        [call, len(seconds), *(milliseconds(seconds, share) for share in (0.5, 0.95, 1.0))]
        for call, seconds in samples.temporal.items()
    ]
    print(markdown_table(header, rows))
    print(f"\n{cpu_use}.")
    exit_skipping_teardown()


if __name__ == "__main__":
    main()
