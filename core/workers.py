"""Which workers serve our task queue, as their Temporal heartbeats tell (health and dashboard)."""

from datetime import UTC, datetime, timedelta

from pydantic import BaseModel
from temporalio.api.enums.v1 import WorkerStatus
from temporalio.api.workflowservice.v1 import ListWorkersRequest
from temporalio.client import Client
from temporalio.service import RPCError

from core.settings import Settings

RPC_TIMEOUT = timedelta(seconds=2)
# Workers heartbeat every 2 s (worker/main.py): three missed beats and a worker is gone.
WORKER_SILENT_AFTER = timedelta(seconds=6)


class Component(BaseModel):
    name: str
    up: bool
    detail: str
    pid: int | None = None
    identity: str | None = None
    last_seen: datetime | None = None


async def worker_components(client: Client, settings: Settings, now: datetime) -> list[Component]:
    try:
        response = await client.workflow_service.list_workers(
            ListWorkersRequest(
                namespace=settings.temporal_namespace,
                query=f"TaskQueue = '{settings.task_queue}'",
            ),
            timeout=RPC_TIMEOUT,
        )
    except (RPCError, RuntimeError):
        return []
    workers = []
    for info in response.workers_info:
        beat = info.worker_heartbeat
        seen = (
            beat.heartbeat_time.ToDatetime(tzinfo=UTC) if beat.HasField("heartbeat_time") else None
        )
        running = beat.status == WorkerStatus.WORKER_STATUS_RUNNING
        fresh = seen is not None and now - seen < WORKER_SILENT_AFTER
        detail = "polling" if running and fresh else _worker_gone(beat.status, seen, now)
        workers.append(
            Component(
                name=f"worker {beat.worker_identity}",
                identity=beat.worker_identity,
                up=running and fresh,
                detail=detail,
                last_seen=seen,
            )
        )
    return sorted(workers, key=lambda worker: (not worker.up, worker.name))


def _worker_gone(status: int, seen: datetime | None, now: datetime) -> str:
    if status == WorkerStatus.WORKER_STATUS_SHUTDOWN:
        return "shut down"
    if seen is None:
        return "never heard from"
    return f"silent for {int((now - seen).total_seconds())} s"
