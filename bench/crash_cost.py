"""Cost of a crash: LLM calls and tokens spent when the agent is killed half-way through.

Four runs of the same briefing, counted from the offline LLM's request log (every call that
reached it, with the tokens its answer billed, answered or not):

- durable, no crash: BriefingWorkflow on `briefing up`;
- durable, crashed: the worker SIGKILLed once the workflow has recorded half of the summaries
  as done, restarted by `briefing up`; the workflow carries on with what was recorded;
- non-durable, no crash: bench.plain_pipeline in a subprocess;
- non-durable, crashed: the subprocess SIGKILLed once the LLM has answered half of the
  summaries (it records nothing else), then run again from scratch, as a non-durable agent
  must; its cost is both runs.

    python -m bench.crash_cost --runs 3 --stories 8
"""

import argparse
import asyncio
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from statistics import mean

from bench.common import BenchStack, markdown_table, running_stack, summary_requests, tokens_of
from bench.plain_pipeline import briefing_request
from testing.polling import wait_for, wait_for_async
from workflows.briefing import BriefingWorkflow
from workflows.models import BriefingRequest, StepKind, StepState

POLL_SECONDS = 0.02
TIMEOUT_SECONDS = 180.0


@dataclass(frozen=True)
class Cost:
    calls: int
    tokens: int
    repeated: int  # calls the LLM had already answered once (same messages): work done twice


def _cost(stack: BenchStack) -> Cost:
    entries = stack.llm_requests()
    distinct = {entry["fingerprint"] for entry in entries}
    return Cost(
        calls=len(entries), tokens=tokens_of(entries), repeated=len(entries) - len(distinct)
    )


def _wait_for_answered_summaries(stack: BenchStack, count: int) -> None:
    def answered() -> int:
        return sum(e["status"] == 200 for e in summary_requests(stack.llm_requests()))

    wait_for(
        answered,
        TIMEOUT_SECONDS,
        f"{count} summaries answered",
        until=lambda done: done >= count,
        interval=POLL_SECONDS,
    )


class DurableRuns:
    def __init__(
        self, stack: BenchStack, client, request: BriefingRequest, kill_delay: float
    ) -> None:
        self.stack, self.client, self.request = stack, client, request
        self.kill_delay = kill_delay

    async def _start(self):
        return await self.client.start_workflow(
            BriefingWorkflow.run,
            self.request,
            id=f"bench-crash-cost-{uuid.uuid4().hex[:12]}",
            task_queue=self.stack.settings.task_queue,
        )

    async def _wait_for_recorded_summaries(self, handle, count: int) -> None:
        # Done as the workflow recorded it: what a crash can no longer take away.
        async def recorded() -> int:
            steps = (await handle.query(BriefingWorkflow.progress)).steps
            return sum(s.kind == StepKind.SUMMARIZE and s.state == StepState.DONE for s in steps)

        await wait_for_async(
            recorded,
            TIMEOUT_SECONDS,
            f"{count} summaries recorded",
            until=lambda done: done >= count,
            interval=POLL_SECONDS,
        )

    async def crash_free(self) -> Cost:
        self.stack.clear_llm_requests()
        await (await self._start()).result()
        return _cost(self.stack)

    async def crashed(self, kill_after: int) -> Cost:
        self.stack.clear_llm_requests()
        handle = await self._start()
        since = self.stack.lines.count()
        await self._wait_for_recorded_summaries(handle, kill_after)
        await asyncio.sleep(self.kill_delay)
        self.stack.kill_worker()
        await asyncio.to_thread(self.stack.wait_for_worker_restart, since)
        await handle.result()
        return _cost(self.stack)


class PlainRuns:
    def __init__(self, stack: BenchStack, request: BriefingRequest, kill_delay: float) -> None:
        settings = stack.settings
        assert settings.llm_base_url is not None, "a bench stack runs the offline LLM"
        self.stack = stack
        self.kill_delay = kill_delay
        self.command = [
            sys.executable,
            "-m",
            "bench.plain_pipeline",
            "--llm-url",
            settings.llm_base_url,
            "--topic",
            request.topic,
            "--max-stories",
            str(request.max_stories),
            *request.sources,
        ]

    def crash_free(self) -> Cost:
        self.stack.clear_llm_requests()
        subprocess.run(self.command, check=True, stdout=subprocess.DEVNULL, timeout=TIMEOUT_SECONDS)
        return _cost(self.stack)

    def crashed(self, kill_after: int) -> Cost:
        self.stack.clear_llm_requests()
        process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL)
        try:
            _wait_for_answered_summaries(self.stack, kill_after)
            time.sleep(self.kill_delay)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        subprocess.run(self.command, check=True, stdout=subprocess.DEVNULL, timeout=TIMEOUT_SECONDS)
        return _cost(self.stack)


async def measure(stack: BenchStack, args: argparse.Namespace) -> str:
    request = briefing_request(args.topic, stack.settings.default_sources, args.stories)
    kill_after = args.stories // 2
    kill_delay = args.kill_delay_ms / 1000
    durable = DurableRuns(stack, await stack.client(), request, kill_delay)
    plain = PlainRuns(stack, request, kill_delay)
    durable_free = await durable.crash_free()
    durable_crashed = [await durable.crashed(kill_after) for _ in range(args.runs)]
    plain_free = plain.crash_free()
    plain_crashed = [plain.crashed(kill_after) for _ in range(args.runs)]
    at = f"at {kill_after}/{args.stories} summaries"
    if args.kill_delay_ms:
        at += f" + {args.kill_delay_ms:g} ms"
    rows = [
        _row("durable, no crash", [durable_free], durable_free),
        _row(f"durable, worker killed {at}, restarted", durable_crashed, durable_free),
        _row("non-durable, no crash", [plain_free], plain_free),
        _row(f"non-durable, killed {at}, run again", plain_crashed, plain_free),
    ]
    header = [
        "run",
        "LLM calls",
        "tokens",
        "repeated calls",
        "calls ×",
        "tokens ×",
        "worst tokens ×",
    ]
    notes = [
        f"{args.stories} stories, {args.runs} crashed run(s) of each kind (mean shown), "
        f"LLM at a fixed {args.latency_ms:g} ms per call; × is against the same pipeline's "
        "crash-free run; target for the durable crash: tokens × ≤ 1.15.",
    ]
    return markdown_table(header, rows) + "\n\n" + "\n".join(notes)


def _row(name: str, costs: list[Cost], baseline: Cost) -> list[str]:
    calls = mean(cost.calls for cost in costs)
    tokens = mean(cost.tokens for cost in costs)
    repeated = mean(cost.repeated for cost in costs)
    worst = max(cost.tokens for cost in costs)
    return [
        name,
        f"{calls:.1f}",
        f"{tokens:,.0f}",
        f"{repeated:.1f}",
        f"{calls / baseline.calls:.2f}",
        f"{tokens / baseline.tokens:.2f}",
        f"{worst / baseline.tokens:.2f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="crashed runs of each pipeline")
    parser.add_argument("--stories", type=int, default=8)
    parser.add_argument("--latency-ms", type=float, default=300.0)
    parser.add_argument("--restart-delay", type=float, default=1.0)
    parser.add_argument(
        "--kill-delay-ms", type=float, default=0.0, help="kill this long after half are answered"
    )
    parser.add_argument("--topic", default="science")
    parser.add_argument("--smoke", action="store_true", help="a tiny run, for CI")
    args = parser.parse_args()
    if args.smoke:
        args.runs, args.stories = 1, 4
    if args.stories < 2:
        parser.error("--stories must be at least 2: the kill comes after half of them")
    with running_stack(restart_delay=args.restart_delay, llm_latency_ms=args.latency_ms) as stack:
        report = asyncio.run(measure(stack, args))
    print(report, flush=True)


if __name__ == "__main__":
    main()
