"""Worker processes for the benchmarks, each waited for until Temporal sees it polling."""

import subprocess

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from bench.load_stack import PART_START_TIMEOUT_SECONDS, LoadStack, worker_identity
from bench.noop_workflow import NOOP_TASK_QUEUE
from testing.polling import WaitTimedOut, wait_for_async


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
    identity = worker_identity(process.pid)

    def never_polled() -> RuntimeError:
        return RuntimeError(
            f"worker pid {process.pid} never polled {task_queue!r}; its output:\n"
            + stack.output_of(process)
        )

    async def polling() -> bool:
        if identity in await polling_identities(client, task_queue):
            return True
        if process.poll() is not None:
            raise never_polled()
        return False

    try:
        await wait_for_async(
            polling, PART_START_TIMEOUT_SECONDS, f"{identity} polling", interval=0.2
        )
    except WaitTimedOut:
        raise never_polled() from None


async def add_briefing_worker(stack: LoadStack, client: Client) -> subprocess.Popen:
    """`briefing worker`, exactly as the stack runs it."""
    process = stack.start_part("worker")
    await wait_for_poller(stack, client, stack.settings.task_queue, process)
    return process


async def add_noop_worker(stack: LoadStack, client: Client) -> subprocess.Popen:
    process = stack.start_module("noop-worker", "bench.noop_workflow")
    await wait_for_poller(stack, client, NOOP_TASK_QUEUE, process)
    return process
