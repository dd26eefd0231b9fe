"""One refresh loop per web process, running while anyone watches, shared by every viewer."""

import asyncio
import logging
import time

from web.dashboard.snapshot import DashboardSnapshot, SnapshotCollector

log = logging.getLogger(__name__)
REFRESH_SECONDS = 2.0


class DashboardMonitor:
    def __init__(self, collector: SnapshotCollector) -> None:
        self.collector = collector
        self.snapshot: DashboardSnapshot | None = None
        self.version = 0
        self.viewers = 0
        self._changed = asyncio.Condition()
        self._task: asyncio.Task | None = None
        self._refreshed_at = 0.0
        self._refreshing = asyncio.Lock()

    def open(self) -> None:
        self.viewers += 1
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._refresh_while_watched())

    def release(self) -> None:
        self.viewers -= 1

    async def refresh_now(self) -> None:
        """After a chaos action: show its effect without waiting for the next tick."""
        await self._refresh()

    async def fresh_snapshot(self) -> DashboardSnapshot | None:
        """For one-off readers (the page, the JSON API): at most one tick old, however many ask."""
        async with self._refreshing:
            if time.monotonic() - self._refreshed_at > REFRESH_SECONDS:
                await self._refresh()
        return self.snapshot

    async def next_snapshot(self, seen_version: int) -> tuple[int, DashboardSnapshot]:
        async with self._changed:
            await self._changed.wait_for(lambda: self.version > seen_version)
            # The version moves past 0 only together with a snapshot.
            assert self.snapshot is not None
            return self.version, self.snapshot

    async def _refresh_while_watched(self) -> None:
        while self.viewers > 0:
            await self._refresh()
            await asyncio.sleep(REFRESH_SECONDS)

    async def _refresh(self) -> None:
        try:
            snapshot = await self.collector.collect()
        except Exception:  # noqa: BLE001 - a bad tick must not end the dashboard
            log.exception("dashboard refresh failed")
            return
        async with self._changed:
            self.snapshot, self.version = snapshot, self.version + 1
            self._refreshed_at = time.monotonic()
            self._changed.notify_all()

    def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
