"""Is Temporal reachable, and is any worker serving our task queue?

Workers are found from their Temporal heartbeats (every 2 s, so a killed worker shows within
about 6 s); servers without worker heartbeats fall back to task-queue pollers, which the server
forgets only after about a minute.
"""

from datetime import UTC, datetime, timedelta

from pydantic import BaseModel
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.service import RPCError

from core.settings import Settings
from core.workers import Component, worker_components

HEALTH_RPC_TIMEOUT = timedelta(seconds=2)
# A live worker long-polls, so the server sees it at least about once a minute.
POLLER_FRESHNESS = timedelta(seconds=75)


class Poller(BaseModel):
    identity: str
    last_seen: datetime | None


class ComponentHealth(BaseModel):
    status: str
    detail: str | None = None


class Health(BaseModel):
    status: str
    web: ComponentHealth
    temporal: ComponentHealth
    worker: ComponentHealth
    workers: list[Component] = []
    pollers: list[Poller]


async def check_health(client: Client, settings: Settings) -> Health:
    web = ComponentHealth(status="ok")
    try:
        pollers = await _pollers(client, settings)
    except (RPCError, RuntimeError) as error:
        return Health(
            status="degraded",
            web=web,
            temporal=ComponentHealth(status="unreachable", detail=str(error)),
            worker=ComponentHealth(status="unknown", detail="Temporal is unreachable"),
            pollers=[],
        )
    workers = await worker_components(client, settings, datetime.now(UTC))
    serving = _serving(workers, pollers)
    worker = (
        ComponentHealth(status="ok", detail=serving)
        if serving
        else ComponentHealth(status="offline", detail=f"no worker serves {settings.task_queue!r}")
    )
    return Health(
        status="ok" if serving else "degraded",
        web=web,
        temporal=ComponentHealth(status="ok", detail=settings.temporal_address),
        worker=worker,
        workers=workers,
        pollers=pollers,
    )


async def worker_is_polling(client: Client, settings: Settings) -> bool:
    workers = await worker_components(client, settings, datetime.now(UTC))
    return _serving(workers, await _pollers(client, settings)) is not None


def _serving(workers: list[Component], pollers: list[Poller]) -> str | None:
    """What shows a worker is there, or None. A worker that heartbeats is judged by its
    heartbeats alone; pollers count only for workers that do not heartbeat."""
    up = sum(worker.up for worker in workers)
    heartbeating = {worker.identity for worker in workers}
    silent = [p for p in _fresh(pollers) if p.identity not in heartbeating]
    found = [f"{up} worker(s) heartbeating"] if up else []
    found += [f"{len(silent)} poller(s) without heartbeats"] if silent else []
    return ", ".join(found) or None


def _fresh(pollers: list[Poller]) -> list[Poller]:
    now = datetime.now(UTC)
    return [p for p in pollers if p.last_seen and now - p.last_seen < POLLER_FRESHNESS]


async def _pollers(client: Client, settings: Settings) -> list[Poller]:
    found: dict[str, Poller] = {}
    for queue_type in (
        TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    ):
        response = await client.workflow_service.describe_task_queue(
            DescribeTaskQueueRequest(
                namespace=settings.temporal_namespace,
                task_queue=TaskQueue(name=settings.task_queue),
                task_queue_type=queue_type,
            ),
            timeout=HEALTH_RPC_TIMEOUT,
        )
        for poller in response.pollers:
            seen = (
                poller.last_access_time.ToDatetime(tzinfo=UTC)
                if poller.HasField("last_access_time")
                else None
            )
            known = found.get(poller.identity)
            if known is None or (seen and (known.last_seen is None or seen > known.last_seen)):
                found[poller.identity] = Poller(identity=poller.identity, last_seen=seen)
    return sorted(found.values(), key=lambda poller: poller.identity)
