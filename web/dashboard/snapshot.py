"""Everything the dashboard shows, gathered in one pass: one pass serves every viewer."""

import asyncio
import logging
from datetime import UTC, datetime

import httpx
from pydantic import BaseModel
from temporalio.client import Client

from core.domain import RunStatus
from core.settings import Settings
from core.temporal_errors import TemporalUnavailable, temporal_call
from core.workers import worker_components
from stack.control_client import PartStatus, StackAction, StackControl, StackControlError
from web.briefings.schemas import BriefingListItem
from web.briefings.service import list_briefings
from web.dashboard.system_status import (
    SystemStatus,
    http_component,
    temporal_component,
    web_component,
)
from web.dashboard.timeline_loader import load_timeline
from web.dashboard.timeline_models import BriefingTimeline, DurabilityLedger

RECENT_BRIEFINGS = 6
log = logging.getLogger(__name__)


class BriefingCard(BaseModel):
    item: BriefingListItem
    timeline: BriefingTimeline | None


class DashboardSnapshot(BaseModel):
    system: SystemStatus
    parts: list[PartStatus]
    briefings: list[BriefingCard]
    ledger: DurabilityLedger
    actions: list[StackAction]


class SnapshotCollector:
    def __init__(
        self,
        client: Client,
        settings: Settings,
        control: StackControl | None,
        http: httpx.AsyncClient,
    ) -> None:
        self._client, self._settings, self._control, self._http = client, settings, control, http
        # A closed run's history never changes: read it once.
        self._closed: dict[str, BriefingTimeline] = {}
        self.local_actions: list[StackAction] = []

    async def collect(self) -> DashboardSnapshot:
        system, parts, briefings, actions = await asyncio.gather(
            self._system(), self._parts(), self._briefings(), self._actions()
        )
        ledgers = [card.timeline.ledger for card in briefings if card.timeline]
        return DashboardSnapshot(
            system=system,
            parts=parts,
            briefings=briefings,
            ledger=DurabilityLedger.total(ledgers),
            actions=actions,
        )

    async def _system(self) -> SystemStatus:
        now = datetime.now(UTC)
        settings = self._settings
        server_probes = [
            http_component(self._http, "newsroom", f"{settings.default_newsroom_url}/healthz"),
        ]
        if settings.offline_llm_url:
            server_probes.append(
                http_component(self._http, "offline LLM", f"{settings.offline_llm_url}/healthz")
            )
        server_probes.append(
            http_component(self._http, "plain agent", f"{settings.plain_agent_url}/healthz")
        )
        temporal, workers, servers = await asyncio.gather(
            temporal_component(self._client),
            worker_components(self._client, settings, now),
            asyncio.gather(*server_probes),
        )
        return SystemStatus(
            components=[web_component(), temporal, *servers],
            workers=workers,
            checked_at=now,
        )

    async def _parts(self) -> list[PartStatus]:
        if self._control is None:
            return []
        try:
            return await self._control.parts()
        except StackControlError:
            return []

    async def _actions(self) -> list[StackAction]:
        if self._control is None:
            return self.local_actions[-50:]
        try:
            return (await self._control.actions())[-50:]
        except StackControlError:
            return self.local_actions[-50:]

    async def _briefings(self) -> list[BriefingCard]:
        try:
            async with temporal_call():
                recent = (await list_briefings(self._client, limit=RECENT_BRIEFINGS)).briefings
        except TemporalUnavailable:
            return []
        timelines = await asyncio.gather(*(self._timeline(item) for item in recent))
        return [
            BriefingCard(item=item, timeline=timeline)
            for item, timeline in zip(recent, timelines, strict=True)
        ]

    async def _timeline(self, item: BriefingListItem) -> BriefingTimeline | None:
        if item.id in self._closed:
            return self._closed[item.id]
        try:
            async with temporal_call():
                timeline = await load_timeline(self._client, item.id, now=datetime.now(UTC))
        except TemporalUnavailable:
            return None
        except Exception:  # noqa: BLE001 - one unreadable history must not blank the dashboard
            log.exception("could not read the history of %s", item.id)
            return None
        if item.status != RunStatus.RUNNING:
            self._closed[item.id] = timeline
        return timeline
