"""Durability overhead: one briefing as our Temporal workflow vs. the same activities in-process.

(a) BriefingWorkflow on `briefing up`'s worker and dev server, started and awaited here by a
Temporal client; (b) the plain agent (plain_agent/agent.py) in this process. Same feeds, same
request, the offline LLM answering every call after a fixed latency. The two alternate (a b,
b a, ...) so that any drift of the machine hits both alike. Prints a Markdown table.

    python -m bench.overhead --runs 20 --stories 8 --latency-ms 300
"""

import argparse
import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable

from temporalio import activity
from temporalio.testing import ActivityEnvironment

from activities.articles.reader import ArticleReader
from activities.fetch import FeedFetcher
from activities.llm.client import Engine, build_openai_client
from bench.common import BenchStack, markdown_table, percentile, running_stack
from core.settings import OFFLINE_MODEL
from plain_agent.agent import PlainAgent
from workflows.briefing import BriefingWorkflow
from workflows.models import BriefingRequest, StepKind, StepProgress

ENVIRONMENT_COST_CALLS = 5000
Run = Callable[[], Awaitable[frozenset[str]]]


@activity.defn
async def _echo(value: int) -> int:
    return value


async def activity_environment_cost_us(calls: int = ENVIRONMENT_COST_CALLS) -> float:
    """What ActivityEnvironment adds to one call, in microseconds (no-op activity)."""
    environment = ActivityEnvironment()
    started = time.perf_counter()
    for value in range(calls):
        await _echo(value)
    bare = time.perf_counter() - started
    started = time.perf_counter()
    for value in range(calls):
        await environment.run(_echo, value)
    wrapped = time.perf_counter() - started
    return (wrapped - bare) / calls * 1e6


def _pipelines(stack: BenchStack, client, request: BriefingRequest) -> dict[str, Run]:
    settings = stack.settings
    assert settings.llm_base_url is not None, "a bench stack runs the offline LLM"
    llm = build_openai_client(
        api_key="offline", base_url=settings.llm_base_url, timeout=60.0, engine=Engine.PLAIN
    )
    hosts = settings.feed_hosts_to_trust
    agent = PlainAgent(llm, FeedFetcher(hosts), ArticleReader(hosts))

    async def durable() -> frozenset[str]:
        result = await client.execute_workflow(
            BriefingWorkflow.run,
            request,
            id=f"bench-overhead-{uuid.uuid4().hex[:12]}",
            task_queue=settings.task_queue,
        )
        return _summarised(result.progress.steps)

    async def plain() -> frozenset[str]:
        tracker = agent.tracker(request)
        await agent.run(f"bench-overhead-{uuid.uuid4().hex[:12]}", request, tracker)
        return _summarised(tracker.progress.steps)

    return {"durable": durable, "plain": plain}


def _summarised(steps: list[StepProgress]) -> frozenset[str]:
    return frozenset(s.id.removeprefix("summarize-") for s in steps if s.kind == StepKind.SUMMARIZE)


async def _timed(stack: BenchStack, run: Run) -> tuple[float, frozenset[str], int]:
    stack.clear_llm_requests()
    started = time.perf_counter()
    stories = await run()
    elapsed = time.perf_counter() - started
    return elapsed, stories, len(stack.llm_requests())


async def measure(stack: BenchStack, args: argparse.Namespace) -> str:
    client = await stack.client()
    request = BriefingRequest(
        topic=args.topic,
        sources=stack.settings.default_sources,
        max_stories=args.stories,
        model=OFFLINE_MODEL,
    )
    pipelines = _pipelines(stack, client, request)
    for run in pipelines.values():  # warm-up: first workflow, connection pools, imports
        await run()
    seconds: dict[str, list[float]] = {name: [] for name in pipelines}
    stories: dict[str, set[frozenset[str]]] = {name: set() for name in pipelines}
    calls: dict[str, set[int]] = {name: set() for name in pipelines}
    for index in range(args.runs):
        order = list(pipelines) if index % 2 == 0 else list(reversed(pipelines))
        for name in order:
            elapsed, chosen, llm_calls = await _timed(stack, pipelines[name])
            seconds[name].append(elapsed)
            stories[name].add(chosen)
            calls[name].add(llm_calls)
    same_stories = len(stories["durable"] | stories["plain"]) == 1
    return _report(args, seconds, calls, same_stories, await activity_environment_cost_us())


def _report(args, seconds, calls, same_stories: bool, environment_us: float) -> str:
    a, b = seconds["durable"], seconds["plain"]
    p50 = (percentile(a, 0.5), percentile(b, 0.5))
    p95 = (percentile(a, 0.95), percentile(b, 0.95))
    table = markdown_table(
        ["pipeline", "runs", "p50 (s)", "p95 (s)"],
        [
            [
                "(a) Temporal workflow: worker + dev server",
                len(a),
                f"{p50[0]:.2f}",
                f"{p95[0]:.2f}",
            ],
            [
                "(b) plain asyncio, same activities in-process",
                len(b),
                f"{p50[1]:.2f}",
                f"{p95[1]:.2f}",
            ],
            ["ratio a/b (target ≤ 1.2)", "", f"{p50[0] / p50[1]:.2f}", f"{p95[0] / p95[1]:.2f}"],
        ],
    )

    def listed(values: set[int]) -> str:
        return ", ".join(str(value) for value in sorted(values))

    notes = [
        f"{args.stories} stories, offline LLM at a fixed {args.latency_ms:g} ms per call.",
        f"LLM calls per briefing: (a) {listed(calls['durable'])}, (b) {listed(calls['plain'])}; "
        f"same stories in every run of both: {'yes' if same_stories else 'NO'}.",
        f"ActivityEnvironment adds {environment_us:.1f} µs per activity call to (b).",
    ]
    return table + "\n\n" + "\n".join(notes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="runs of each pipeline")
    parser.add_argument("--stories", type=int, default=8)
    parser.add_argument("--latency-ms", type=float, default=300.0)
    parser.add_argument("--topic", default="science")
    parser.add_argument("--smoke", action="store_true", help="a tiny run, for CI")
    args = parser.parse_args()
    if args.smoke:
        args.runs, args.stories, args.latency_ms = 2, 2, 20.0
    with running_stack(llm_latency_ms=args.latency_ms) as stack:
        report = asyncio.run(measure(stack, args))
    print(report, flush=True)


if __name__ == "__main__":
    main()
