"""What the server says of a worker deployment and of the builds a run was served by."""

from temporalio.api.enums.v1 import EventType, VersioningBehavior
from temporalio.api.workflowservice.v1 import DescribeWorkerDeploymentRequest
from temporalio.client import Client, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode


async def current_build(client: Client, deployment_name: str) -> str | None:
    """The build id new workflows start on; None: no deployment, or no current version."""
    try:
        described = await client.workflow_service.describe_worker_deployment(
            DescribeWorkerDeploymentRequest(
                namespace=client.namespace, deployment_name=deployment_name
            )
        )
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return None
        raise
    current = described.worker_deployment_info.routing_config.current_deployment_version
    return current.build_id or None


async def workflow_task_builds(handle: WorkflowHandle) -> list[str]:
    """The build of every workflow task the run completed, in order ('' for an unversioned one)."""
    history = await handle.fetch_history()
    return [
        event.workflow_task_completed_event_attributes.deployment_version.build_id
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
    ]


async def pinning(handle: WorkflowHandle) -> tuple[str, str]:
    """The run's versioning behaviour ('PINNED', 'AUTO_UPGRADE'…) and the build it is on."""
    described = await handle.describe()
    info = described.raw_description.workflow_execution_info.versioning_info
    behavior = VersioningBehavior.Name(info.behavior).removeprefix("VERSIONING_BEHAVIOR_")
    return behavior, info.deployment_version.build_id


async def first_command(handle: WorkflowHandle) -> str:
    """The event the run's first workflow task led to, e.g. 'TIMER_STARTED'."""
    events = list((await handle.fetch_history()).events)
    first_task = next(
        index
        for index, event in enumerate(events)
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
    )
    return EventType.Name(events[first_task + 1].event_type).removeprefix("EVENT_TYPE_")
