"""Which build of the workflows this worker is, as Temporal's Worker Deployment Versioning sees it.

Every worker registers `deployment_name` and a build id; the server sends each briefing's
workflow tasks to the build that started it (pinned) and new briefings to the deployment's
current version. A build id is, by default, a digest of the workflow code: the code that must
replay a history is the one the id names, so any change to it is a new build on its own.
"""

import hashlib
from functools import cache
from pathlib import Path

from temporalio.common import VersioningBehavior, WorkerDeploymentVersion
from temporalio.worker import WorkerDeploymentConfig

from core.settings import Settings

WORKFLOWS_DIRECTORY = Path(__file__).resolve().parent.parent / "workflows"
BUILD_ID_PREFIX = "workflows-"
DIGEST_LENGTH = 12


def workflows_digest(directory: Path = WORKFLOWS_DIRECTORY) -> str:
    """`workflows-<12 hex>` over the names and contents of the directory's Python files.

    Activities are left out on purpose: they run afresh on every attempt and replay nothing.
    """
    digest = hashlib.sha256()
    for source in sorted(directory.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    return BUILD_ID_PREFIX + digest.hexdigest()[:DIGEST_LENGTH]


def build_id(settings: Settings) -> str:
    return settings.build_id or _loaded_workflows_digest()


@cache
def _loaded_workflows_digest() -> str:
    # Once per process: the build a worker registers, promotes and logs is the code it loaded,
    # even if a workflow file is edited while it runs.
    return workflows_digest()


def deployment_version(settings: Settings) -> WorkerDeploymentVersion:
    return WorkerDeploymentVersion(
        deployment_name=settings.deployment_name, build_id=build_id(settings)
    )


def deployment_config(settings: Settings) -> WorkerDeploymentConfig | None:
    """None: an unversioned worker, which takes any task of its queue (the tests' default)."""
    if not settings.worker_versioning:
        return None
    # Pinned for every workflow the worker runs: a briefing may wait days for its review and a
    # comparison lasts minutes, so letting the old build drain is cheaper than patching every
    # change (docs/workflow-versioning.md). Set here, not on each workflow.defn, so the same
    # workflows also run on unversioned workers (the tests'), which may not declare one.
    return WorkerDeploymentConfig(
        version=deployment_version(settings),
        use_worker_versioning=True,
        default_versioning_behavior=VersioningBehavior.PINNED,
    )
