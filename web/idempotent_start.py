"""Starting a workflow at most once per Idempotency-Key: briefings and comparisons alike.

The id comes from the key (web/briefings/ids.py), so a repeat names the same run. Temporal
refuses the second start; the run's memo holds a fingerprint of its request, so a repeat of the
same request answers with that run, and the same key with another request is a conflict.
"""

from typing import Any

from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.types import MethodAsyncSingleParam, ParamType, ReturnType, SelfType

from workflows.task_timeout import WORKFLOW_TASK_TIMEOUT


class IdempotencyConflict(ValueError):
    pass


async def start_once(
    client: Client,
    run: MethodAsyncSingleParam[SelfType, ParamType, ReturnType],
    arg: ParamType,
    *,
    workflow_id: str,
    task_queue: str,
    fingerprint: str,
    memo: dict[str, Any],
    summary: str,
) -> bool:
    """True: this call started the run; False: a repeat of the request that started it."""
    try:
        await client.start_workflow(
            run,
            arg,
            id=workflow_id,
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            memo={**memo, "fingerprint": fingerprint},
            static_summary=summary,
            task_timeout=WORKFLOW_TASK_TIMEOUT,
        )
    except WorkflowAlreadyStartedError:
        description = await client.get_workflow_handle(workflow_id).describe()
        if (await description.memo_value("fingerprint", default=None)) != fingerprint:
            raise IdempotencyConflict(
                "this Idempotency-Key was already used for a different request"
            ) from None
        return False
    return True
