"""Sustained briefings per minute, against the engine's own limit measured in the same run.

The LLM answers at once (no pacing), so what is left is our workflow, our activities and
Temporal. The engine limit is a no-op workflow with the same activity calls as a real briefing
(counted from a real history, bench/noop_workflow.py). Each kind keeps a fixed number of runs in
flight for a fixed time, with 1, 2 and 4 worker processes of each kind.
"""

import argparse
import asyncio
import os
import tempfile
import uuid
from collections import Counter
from pathlib import Path

from temporalio.client import Client

from bench.common import markdown_table
from bench.load_metrics import CpuByProcessTree
from bench.load_rate import CPU_TOTALS, RunOnce, cpu_per_run_cells, sustained_rate
from bench.load_stack import LoadStack, add_temporal_storage_option, exit_skipping_teardown
from bench.load_workers import add_briefing_worker, add_noop_worker
from bench.noop_workflow import NOOP_TASK_QUEUE, BriefingShape, NoopBriefingWorkflow
from core.temporal_client import connect
from web.briefings.schemas import BriefingCreate
from web.briefings.service import start_briefing
from workflows.activity_options import SUMMARY_CONCURRENCY

TOPIC = "science"
ACTIVITY_KINDS = {
    "fetch_feed": "fetches",
    "read_article": "reads",
    "summarize_story": "summaries",
    "compose_briefing": "composes",
}


def briefing_runner(client: Client, stack: LoadStack) -> RunOnce:
    async def run_once() -> bool:
        started = await start_briefing(client, stack.settings, BriefingCreate(topic=TOPIC), None)
        try:
            await client.get_workflow_handle(started.id).result()
        except Exception:  # noqa: BLE001 - a failed briefing is counted, not fatal
            return False
        return True

    return run_once


def noop_runner(client: Client, shape: BriefingShape) -> RunOnce:
    async def run_once() -> bool:
        await client.execute_workflow(
            NoopBriefingWorkflow.run,
            shape,
            id=f"noop-{uuid.uuid4().hex[:12]}",
            task_queue=NOOP_TASK_QUEUE,
        )
        return True

    return run_once


async def history_of(client: Client, workflow_id: str):
    return await client.get_workflow_handle(workflow_id).fetch_history()


async def shape_of_a_briefing(client: Client, stack: LoadStack) -> tuple[BriefingShape, int]:
    """The activity calls of one real briefing, from its history, and its history length."""
    started = await start_briefing(client, stack.settings, BriefingCreate(topic=TOPIC), None)
    await client.get_workflow_handle(started.id).result()
    history = await history_of(client, started.id)
    calls = Counter(
        ACTIVITY_KINDS[event.activity_task_scheduled_event_attributes.activity_type.name]
        for event in history.events
        if event.HasField("activity_task_scheduled_event_attributes")
    )
    shape = BriefingShape(
        fetches=calls["fetches"],
        reads=calls["reads"],
        summaries=calls["summaries"],
        summary_concurrency=SUMMARY_CONCURRENCY,
        composes=calls["composes"],
    )
    return shape, len(history.events)


async def noop_history_length(client: Client, shape: BriefingShape) -> int:
    workflow_id = f"noop-shape-{uuid.uuid4().hex[:12]}"
    await client.execute_workflow(
        NoopBriefingWorkflow.run, shape, id=workflow_id, task_queue=NOOP_TASK_QUEUE
    )
    return len((await history_of(client, workflow_id)).events)


CPU_GROUPS = ["Temporal", "workers", "idle workers", "offline LLM", "newsroom", "bench driver"]
CPU_HEADER = ["workers, runs", "completed", *CPU_GROUPS, *CPU_TOTALS]


def cpu_meter(stack: LoadStack, busy: list, idle: list) -> CpuByProcessTree:
    """The process kinds of CPU_GROUPS; `busy` are the workers of the kind being run."""
    return CpuByProcessTree(
        {
            "Temporal": [stack.server.pid],
            "workers": [process.pid for process in busy],
            "idle workers": [process.pid for process in idle],
            "offline LLM": [stack.llm.pid],
            "newsroom": [stack.newsroom.pid],
            "bench driver": [os.getpid()],
        }
    )


async def measure(args: argparse.Namespace, data_dir: Path) -> tuple[list[list], list[list], list]:
    rows, cpu_rows, notes = [], [], []
    on_disk = not args.temporal_in_memory
    with LoadStack(data_dir, llm_tokens_per_second=0, temporal_on_disk=on_disk) as stack:
        client = await connect(stack.settings)
        briefing_workers = [await add_briefing_worker(stack, client)]
        noop_workers = [await add_noop_worker(stack, client)]
        shape, briefing_events = await shape_of_a_briefing(client, stack)
        noop_events = await noop_history_length(client, shape)
        notes.append(
            f"Shape of one briefing, from its history: {shape.fetches} fetches, "
            f"{shape.reads} reads, {shape.summaries} summaries "
            f"({shape.summary_concurrency} at a time), "
            f"{shape.composes} compose; history events: briefing {briefing_events}, "
            f"no-op {noop_events}."
        )
        timing = {"in_flight": args.in_flight, "warmup": args.warmup, "window": args.duration}
        for count in args.workers:
            while len(briefing_workers) < count:
                briefing_workers.append(await add_briefing_worker(stack, client))
                noop_workers.append(await add_noop_worker(stack, client))
            real = await sustained_rate(
                briefing_runner(client, stack),
                **timing,
                cpu_meter=cpu_meter(stack, briefing_workers, noop_workers),
            )
            raw = await sustained_rate(
                noop_runner(client, shape),
                **timing,
                cpu_meter=cpu_meter(stack, noop_workers, briefing_workers),
            )
            ratio = real.per_minute / raw.per_minute if raw.per_minute else float("nan")
            verdict = "met" if ratio >= args.target else "not met"
            rows.append(
                [count, f"{real.per_minute:.0f}", f"{raw.per_minute:.0f}", f"{ratio:.2f}", verdict]
            )
            for kind, rate in (("briefings", real), ("no-op", raw)):
                cells = cpu_per_run_cells(rate, CPU_GROUPS, args.duration)
                cpu_rows.append([f"{count}, {kind}", rate.completed, *cells])
            if real.failed:
                notes.append(f"{count} worker(s): {real.failed} briefings failed in the window.")
    return rows, cpu_rows, notes


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--in-flight", type=int, default=8, help="runs kept going at once")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds counted per row")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds not counted first")
    parser.add_argument("--target", type=float, default=0.8)
    add_temporal_storage_option(parser)
    parser.add_argument("--smoke", action="store_true", help="a tiny run, for CI")
    args = parser.parse_args()
    if args.smoke:
        args.workers, args.in_flight, args.duration, args.warmup = [1], 2, 3.0, 0.5
    return args


def main() -> None:
    args = parse_arguments()
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as data_dir:
        rows, cpu_rows, notes = asyncio.run(measure(args, Path(data_dir)))
    storage = "in memory" if args.temporal_in_memory else "on its SQLite file"
    print(
        f"Throughput, LLM at zero latency, Temporal {storage}, {args.in_flight} runs in flight, "
        f"{args.duration:g} s counted per row after {args.warmup:g} s warm-up\n"
    )
    header = ["workers", "briefings/min", "no-op runs/min", "ratio", f"target ≥ {args.target:g}"]
    print(markdown_table(header, rows))
    print(
        f"\nCPU seconds per completed run, over the same {args.duration:g} s windows (each kind "
        "with its descendants, from /proc; the rest of the machine is what /proc/stat saw "
        "beyond them)\n"
    )
    print(markdown_table(CPU_HEADER, cpu_rows))
    print()
    print("\n".join(f"- {note}" for note in notes))
    exit_skipping_teardown()


if __name__ == "__main__":
    main()
