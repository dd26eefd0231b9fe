"""How big a briefing's history is: events, JSON bytes and the largest payload, by story count.

Each briefing runs on `briefing up` (offline LLM, the demo newsroom's default sources); its
history is then read back from Temporal as the Web UI and a replaying worker would get it.

    python -m bench.history_size --stories 8 25   (--smoke: one briefing of 2 stories)
"""

import argparse
import asyncio
import json
import uuid

from bench.common import BenchStack, markdown_table, running_stack
from core.settings import OFFLINE_MODEL
from workflows.briefing import BriefingWorkflow
from workflows.models import BriefingRequest

# A topic no story mentions: selection takes the latest, so every count can be filled.
TOPIC = "the latest"
LLM_LATENCY_MS = 20.0


async def history_of(stack: BenchStack, stories: int) -> dict:
    client = await stack.client()
    request = BriefingRequest(
        topic=TOPIC,
        sources=stack.settings.default_sources,
        max_stories=stories,
        model=OFFLINE_MODEL,
    )
    workflow_id = f"bench-history-{stories}-{uuid.uuid4().hex[:8]}"
    result = await client.execute_workflow(
        BriefingWorkflow.run, request, id=workflow_id, task_queue=stack.settings.task_queue
    )
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    as_json = history.to_json()
    payloads = [len(json.dumps(p)) for p in _payloads(json.loads(as_json))]
    summarised = sum(1 for section in result.briefing.sections for _ in section.stories)
    return {
        "stories": summarised,
        "events": len(history.events),
        "bytes": len(as_json.encode()),
        "largest": max(payloads, default=0),
    }


def _payloads(node: object):
    """Every payload in the history's JSON: the inputs and results of its activities and run."""
    if isinstance(node, dict):
        if "payloads" in node and isinstance(node["payloads"], list):
            yield from node["payloads"]
        for value in node.values():
            yield from _payloads(value)
    elif isinstance(node, list):
        for item in node:
            yield from _payloads(item)


async def measure(stack: BenchStack, story_counts: list[int]) -> str:
    rows = []
    for stories in story_counts:
        seen = await history_of(stack, stories)
        rows.append(
            [
                stories,
                seen["stories"],
                seen["events"],
                f"{seen['bytes'] / 1024:,.0f} KiB",
                f"{seen['largest'] / 1024:,.1f} KiB",
            ]
        )
    return markdown_table(
        ["stories asked", "summarised", "events", "history (JSON)", "largest payload"], rows
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, nargs="+", default=[8, 25])
    parser.add_argument("--smoke", action="store_true", help="one briefing of 2 stories")
    args = parser.parse_args()
    stories = [2] if args.smoke else args.stories
    with running_stack(llm_latency_ms=LLM_LATENCY_MS) as stack:
        print(asyncio.run(measure(stack, stories)))


if __name__ == "__main__":
    main()
