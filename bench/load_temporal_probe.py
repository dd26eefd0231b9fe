"""The Temporal calls behind a briefing page, timed from outside the web during a load run:
what part of a page's latency is Temporal's (and the worker's, which answers the query)."""

import asyncio
import time

from temporalio.client import Client
from temporalio.service import RPCError

from workflows.briefing import BriefingWorkflow

PROBE_INTERVAL_SECONDS = 0.5


async def probe_briefing_calls(
    client: Client, running: list[str], until: float
) -> dict[str, list[float]]:
    """Seconds per call: `describe` (the server alone) and the progress query (via a worker)."""
    seconds: dict[str, list[float]] = {"describe": [], "progress query": []}
    turn = 0
    while time.monotonic() < until:
        handle = client.get_workflow_handle_for(BriefingWorkflow.run, running[turn % len(running)])
        began = time.perf_counter()
        try:
            await handle.describe()
            described = time.perf_counter()
            await handle.query(BriefingWorkflow.progress)
        except RPCError:
            pass  # the page shows a note then; only answered calls are timed
        else:
            seconds["describe"].append(described - began)
            seconds["progress query"].append(time.perf_counter() - described)
        turn += 1
        await asyncio.sleep(PROBE_INTERVAL_SECONDS)
    return seconds
