"""Worker processes for the benchmarks, each waited for until Temporal sees it polling."""

import asyncio
import subprocess
import time

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from bench.load_stack import PART_START_TIMEOUT_SECONDS, LoadStack, worker_identity
from bench.noop_workflow import NOOP_TASK_QUEUE


async def polling_identities(client: Client, task_queue: str) -> set[str]:
    response = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        )
    )
    return {poller.identity for poller in response.pollers}


async def wait_for_poller(
    stack: LoadStack, client: Client, task_queue: str, process: subprocess.Popen
) -> None:
    deadline = time.monotonic() + PART_START_TIMEOUT_SECONDS
    identity = worker_identity(process.pid)
    while identity not in await polling_identities(client, task_queue):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(
                f"worker pid {process.pid} never polled {task_queue!r}; its output:\n"
                + stack.output_of(process)
            )
        await asyncio.sleep(0.2)


async def add_briefing_worker(stack: LoadStack, client: Client) -> subprocess.Popen:
    """`briefing worker`, exactly as the stack runs it."""
    process = stack.start_part("worker")
    await wait_for_poller(stack, client, stack.settings.task_queue, process)
    return process


async def add_noop_worker(stack: LoadStack, client: Client) -> subprocess.Popen:
    process = stack.start_module("noop-worker", "bench.noop_workflow")
    await wait_for_poller(stack, client, NOOP_TASK_QUEUE, process)
    return process
