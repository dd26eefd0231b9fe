"""How short can a heartbeat timeout be before it fires while nobody was killed?

    python -m bench.heartbeat_false_alarms --rounds 2 --briefings 4 --hogs 4
    (--smoke: one round, a 2 s timeout, one briefing of two stories, one hog)

A killed worker's activity is only retried once its heartbeat timeout has passed (the LLM
calls' is 5 s): the floor under the time a briefing takes to move again. A shorter timeout
resumes sooner, but on a loaded machine a live worker's heartbeats can arrive late, and each
late one costs an attempt (its LLM call paid again) for nothing. This measures that price.

One stack (Temporal dev server on SQLite, newsroom, offline LLM paced so each call lasts
seconds). The machine is loaded by `--hogs` processes that spin on the CPU for the whole run
(2 cores here: 4 hogs leave each part of the stack a third of what it would have). Each round
runs, per candidate timeout in turn, a fresh worker (bench/heartbeat_worker.py) that gives every
heartbeating activity that timeout, and `--briefings` briefings at once on it. No kill, no fault:
every retry the histories show is an attempt lost while no one was killed, and those whose last
failure was a heartbeat timeout are counted apart; so is every workflow task that outlived its
3 s timeout (workflows/task_timeout.py), the same kind of false alarm for the workflow itself,
and every one that waited on its live worker's sticky queue longer than `--sticky-seconds`
(BRIEFING_STICKY_QUEUE_TIMEOUT; after such a wait any worker takes it, replaying its history).
"""

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from temporalio.api.enums.v1 import TimeoutType
from temporalio.client import Client

from bench.common import markdown_table
from bench.load_stack import LoadStack, exit_skipping_teardown
from bench.load_workers import wait_for_poller
from core.temporal_client import connect
from web.briefings.schemas import BriefingCreate
from web.briefings.service import start_briefing

TOPIC = "the latest"  # no story mentions it: selection takes the latest, any count fills
LLM_TOKENS_PER_SECOND = 20.0  # a summary's call lasts a few seconds, as a real model's does
SPIN = "while True: pass"


@dataclass
class Tally:
    briefings: int = 0
    completed: int = 0
    activities: int = 0
    retries: int = 0
    heartbeat_timeouts: int = 0
    workflow_task_timeouts: int = 0  # a task that outlived its start-to-close timeout
    sticky_timeouts: int = 0  # a task that waited out the sticky queue's timeout
    seconds: float = 0.0


async def run_round(stack: LoadStack, client: Client, timeout: float, args, tally: Tally) -> None:
    sticky = ["--sticky-seconds", f"{args.sticky_seconds:g}"] if args.sticky_seconds else []
    worker = stack.start_module(
        "heartbeat-worker", "bench.heartbeat_worker", "--heartbeat-seconds", f"{timeout:g}", *sticky
    )
    try:
        await wait_for_poller(stack, client, stack.settings.task_queue, worker)
        began = time.monotonic()
        create = BriefingCreate(topic=TOPIC, max_stories=args.stories)
        started = [
            await start_briefing(client, stack.settings, create, None)
            for _ in range(args.briefings)
        ]
        results = await asyncio.gather(
            *(client.get_workflow_handle(s.id).result() for s in started), return_exceptions=True
        )
        tally.seconds += time.monotonic() - began
        tally.briefings += len(started)
        tally.completed += sum(not isinstance(result, BaseException) for result in results)
        for briefing in started:
            await count_attempts(client, briefing.id, timeout, tally)
    finally:
        stack.stop_process(worker)


async def count_attempts(client: Client, briefing_id: str, timeout: float, tally: Tally) -> None:
    history = await client.get_workflow_handle(briefing_id).fetch_history()
    for event in history.events:
        # The same question for the workflow's own tasks (workflows/task_timeout.py).
        if event.HasField("workflow_task_timed_out_event_attributes"):
            kind = event.workflow_task_timed_out_event_attributes.timeout_type
            if kind == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START:
                tally.sticky_timeouts += 1
            else:
                tally.workflow_task_timeouts += 1
        if event.HasField("activity_task_scheduled_event_attributes"):
            scheduled = event.activity_task_scheduled_event_attributes
            given = scheduled.heartbeat_timeout.ToTimedelta().total_seconds()
            if given and given != timeout:  # the interceptor missed it: the row would lie
                raise RuntimeError(f"{scheduled.activity_type.name} heartbeat timeout {given} s")
        if not event.HasField("activity_task_started_event_attributes"):
            continue
        # Written once, for the last attempt: its number counts the tries before it, and its
        # last failure says why the one before it failed.
        started = event.activity_task_started_event_attributes
        tally.activities += 1
        tally.retries += started.attempt - 1
        timed_out = started.last_failure.timeout_failure_info.timeout_type
        tally.heartbeat_timeouts += timed_out == TimeoutType.TIMEOUT_TYPE_HEARTBEAT


async def measure(args, data_dir: Path) -> dict[float, Tally]:
    stack = LoadStack(data_dir, llm_tokens_per_second=LLM_TOKENS_PER_SECOND)
    hogs: list[subprocess.Popen] = []
    try:
        stack.start()
        client = await connect(stack.settings)
        hogs = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(args.hogs)]
        tallies: dict[float, Tally] = defaultdict(Tally)
        for _ in range(args.rounds):
            for timeout in args.timeouts:
                await run_round(stack, client, timeout, args, tallies[timeout])
        return tallies
    finally:
        for hog in hogs:
            hog.kill()
        stack.close()


def rows(tallies: dict[float, Tally]) -> list[list[object]]:
    table = []
    for timeout, tally in sorted(tallies.items()):
        rate = tally.heartbeat_timeouts / tally.activities if tally.activities else 0.0
        table.append(
            [
                f"{timeout:g} s",
                f"{tally.completed} of {tally.briefings}",
                tally.activities,
                tally.retries,
                tally.heartbeat_timeouts,
                f"{rate:.1%}",
                tally.workflow_task_timeouts,
                tally.sticky_timeouts,
                f"{tally.seconds / max(tally.briefings, 1):.1f}",
            ]
        )
    return table


HEADER = [
    "heartbeat timeout",
    "briefings completed",
    "activities",
    "retries (no kill, no fault)",
    "of which heartbeat timeouts",
    "false alarms per activity",
    "workflow tasks timed out",
    "sticky queue waits timed out",
    "s per briefing (wall, together)",
]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--briefings", type=int, default=4, help="at once, per round and timeout")
    parser.add_argument("--stories", type=int, default=6)
    parser.add_argument("--hogs", type=int, default=4, help="processes spinning on the CPU")
    parser.add_argument(
        "--timeouts", type=lambda text: [float(t) for t in text.split(",")], default=[1, 2, 3, 5]
    )
    parser.add_argument(
        "--sticky-seconds",
        type=float,
        help="the worker's sticky queue timeout (default: BRIEFING_STICKY_QUEUE_TIMEOUT)",
    )
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.rounds, args.briefings, args.stories, args.hogs = 1, 1, 2, 1
        args.timeouts = [2.0]  # not the product's 3 s, so the interceptor is seen to apply
    return args


def main() -> None:
    args = parse_arguments()
    with tempfile.TemporaryDirectory(prefix="bench-heartbeats-") as data_dir:
        tallies = asyncio.run(measure(args, Path(data_dir)))
    print(
        f"Heartbeat timeouts under load: {args.hogs} CPU hogs on this machine, {args.rounds} "
        f"round(s) of {args.briefings} briefing(s) of {args.stories} stories at once per "
        f"timeout, offline LLM at {LLM_TOKENS_PER_SECOND:g} tokens/s, sticky queue timeout "
        f"{args.sticky_seconds or 'the default'}, no kills, no faults\n"
    )
    print(markdown_table(HEADER, rows(tallies)))
    exit_skipping_teardown()


if __name__ == "__main__":
    main()
