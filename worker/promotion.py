"""Making this worker's build the deployment's current version, as BRIEFING_PROMOTE_BUILD says.

New briefings (schedules' included) start on the current version; those already running stay on
the build that started them. The server knows a build only once its pollers have reached it, so
a worker promotes itself after it starts polling, and tries again until the server has it.
"""

import asyncio
import logging
from datetime import timedelta

from temporalio.api.workflowservice.v1 import (
    DescribeWorkerDeploymentRequest,
    SetWorkerDeploymentCurrentVersionRequest,
)
from temporalio.client import Client
from temporalio.common import WorkerDeploymentVersion
from temporalio.service import RPCError, RPCStatusCode

from core.settings import PromoteBuild, Settings
from worker.deployment import deployment_version

log = logging.getLogger(__name__)

RPC_TIMEOUT = timedelta(seconds=10)
# Pollers register within a second or two; past this the server is not taking the build.
PROMOTION_DEADLINE = timedelta(seconds=60)
# The server limits the requests to one deployment (RESOURCE_EXHAUSTED beyond a few a second).
PROMOTION_RETRY_INTERVAL = timedelta(milliseconds=500)
# NOT_FOUND: no poller of the deployment or of this build has reached the server yet.
# FAILED_PRECONDITION: another worker changed the current version since we looked.
NOT_YET = frozenset(
    {
        RPCStatusCode.NOT_FOUND,
        RPCStatusCode.FAILED_PRECONDITION,
        RPCStatusCode.RESOURCE_EXHAUSTED,
    }
)


class BuildNotPromoted(RuntimeError):
    pass


async def promote_build(
    client: Client, settings: Settings, deadline: timedelta = PROMOTION_DEADLINE
) -> None:
    """Returns once the build is current, or was left as it is on purpose (`first`, `never`)."""
    if not settings.worker_versioning or settings.promote_build == PromoteBuild.NEVER:
        return
    version = deployment_version(settings)
    give_up_at = asyncio.get_running_loop().time() + deadline.total_seconds()
    while True:
        try:
            await _promote_once(client, settings.promote_build, version)
            return
        except RPCError as error:
            if error.status not in NOT_YET or asyncio.get_running_loop().time() > give_up_at:
                raise BuildNotPromoted(
                    f"build {version.build_id!r} of deployment {version.deployment_name!r} "
                    f"could not be made current: {error.message}; make it current with "
                    "`temporal worker deployment set-current-version` "
                    "(docs/workflow-versioning.md)"
                ) from error
        await asyncio.sleep(PROMOTION_RETRY_INTERVAL.total_seconds())


async def _promote_once(
    client: Client, policy: PromoteBuild, version: WorkerDeploymentVersion
) -> None:
    described = await client.workflow_service.describe_worker_deployment(
        DescribeWorkerDeploymentRequest(
            namespace=client.namespace, deployment_name=version.deployment_name
        ),
        timeout=RPC_TIMEOUT,
    )
    current = described.worker_deployment_info.routing_config.current_deployment_version
    if current.build_id == version.build_id:
        return
    if policy == PromoteBuild.FIRST and current.build_id:
        log.info(
            "build %r is not made current: %r is (BRIEFING_PROMOTE_BUILD=first)",
            version.build_id,
            current.build_id,
        )
        return
    # With the token, a worker that looked at the same routing loses to one that changed it.
    await client.workflow_service.set_worker_deployment_current_version(
        SetWorkerDeploymentCurrentVersionRequest(
            namespace=client.namespace,
            deployment_name=version.deployment_name,
            build_id=version.build_id,
            conflict_token=described.conflict_token,
            identity=client.identity,
        ),
        timeout=RPC_TIMEOUT,
    )
    log.info("build %r is now current in deployment %r", version.build_id, version.deployment_name)
