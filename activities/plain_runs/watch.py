"""Start a run on the plain agent and watch it to its end: how a comparison learns what it did.

The plain agent keeps nothing: when its process dies, the run is gone, and the only record of
how far it got is what a watcher saw. So the watcher heartbeats what it last saw; killed along
with the plain process (the chaos panel kills both at once), its next attempt carries on from
there and finds, when the process is back, that the run is not: lost.
"""

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.errors import PlainRunError
from activities.plain_runs.models import (
    PlainRunOutcome,
    PlainRunSnapshot,
    PlainRunStart,
    PlainRunState,
    WatchProgress,
)
from core.keep_alive import CLIENT_LIMITS

POLL_SECONDS = 0.5
REQUEST_TIMEOUT = httpx.Timeout(5.0)
# A plain process that stays away this long is not coming back for this run.
GIVE_UP_AFTER = timedelta(minutes=2)


class PlainRunActivities:
    def __init__(self, base_url: str) -> None:
        self._base_url = base_url.rstrip("/")

    @activity.defn
    async def start_plain_run(self, start: PlainRunStart) -> PlainRunSnapshot:
        """Idempotent: the plain agent answers a run id it already has with that run."""
        async with self._client() as client:
            try:
                response = await client.post("/runs", json=start.model_dump(mode="json"))
            except httpx.TransportError as error:
                # Retried by Temporal until the plain process is back.
                raise ApplicationError(
                    f"the plain agent at {self._base_url} is unreachable: {error}",
                    type=PlainRunError.UNREACHABLE,
                ) from error
        status = response.status_code
        if status >= 400:
            # 429 (too many runs there) and 5xx may pass; other refusals will not.
            busy = status == 429 or status >= 500
            raise ApplicationError(
                f"the plain agent refused the run (HTTP {status}): {response.text[:300]}",
                type=PlainRunError.BUSY if busy else PlainRunError.REFUSED,
            )
        return PlainRunSnapshot.model_validate_json(response.content)

    @activity.defn
    async def watch_plain_run(self, run_id: str) -> PlainRunOutcome:
        details = activity.info().heartbeat_details
        progress = WatchProgress.model_validate(details[0]) if details else WatchProgress()
        async with self._client() as client:
            while True:
                outcome = await self._look(client, run_id, progress)
                if outcome is not None:
                    return outcome
                activity.heartbeat(progress.model_dump(mode="json"))
                await asyncio.sleep(POLL_SECONDS)

    async def _look(
        self, client: httpx.AsyncClient, run_id: str, progress: WatchProgress
    ) -> PlainRunOutcome | None:
        now = datetime.now(UTC)
        try:
            response = await client.get(f"/runs/{run_id}")
        except httpx.TransportError:
            progress.down_since = progress.down_since or now
            if now - progress.down_since < GIVE_UP_AFTER:
                return None
            return _lost(run_id, progress, "the plain agent's process did not come back")
        if response.status_code == 404:
            # The process is back (or was replaced) and has never heard of the run.
            return _lost(run_id, progress, "the plain agent's process died with the run")
        response.raise_for_status()
        seen = PlainRunSnapshot.model_validate_json(response.content)
        progress.last_seen, progress.down_since = seen, None
        if seen.state == PlainRunState.RUNNING:
            return None
        return PlainRunOutcome(run_id=run_id, state=seen.state, last_seen=seen, reason=seen.error)

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self._base_url, timeout=REQUEST_TIMEOUT, limits=CLIENT_LIMITS
        )


def _lost(run_id: str, progress: WatchProgress, reason: str) -> PlainRunOutcome:
    return PlainRunOutcome(
        run_id=run_id,
        state=PlainRunState.LOST,
        last_seen=progress.last_seen,
        reason=reason,
    )
