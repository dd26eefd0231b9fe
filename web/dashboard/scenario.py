"""The presenter's one-button demo: a briefing, a rate-limited LLM, a killed worker, a finish."""

import asyncio
from collections.abc import Callable

from temporalio.client import Client

from core.domain import RunStatus
from core.settings import Settings
from stack.control_client import StackControl
from web.briefings.schemas import BriefingCreate, BriefingView
from web.briefings.service import get_briefing, start_briefing
from web.dashboard.fault_controls import FaultControls
from web.dashboard.scenario_run import TOPIC, Say, ScenarioRun, poll_until
from workflows.models import summaries_done

SUMMARIES_BEFORE_CRASH = 2
WORKER_DOWN_SECONDS = 8.0  # long enough for the audience to see "worker offline"


class Scenario(ScenarioRun):
    def __init__(
        self,
        client: Client,
        settings: Settings,
        control: StackControl,
        faults: FaultControls,
        say: Say,
    ) -> None:
        super().__init__("scenario", faults, say)
        self._client, self._settings, self._control = client, settings, control
        self.briefing_id: str | None = None

    async def start(self) -> str:
        self._refuse_if_running()
        create = BriefingCreate(topic=TOPIC, max_stories=8)
        started = await start_briefing(self._client, self._settings, create, None)
        self.briefing_id = started.id
        await self._say(f"scenario: started a briefing on “{TOPIC}” ({started.id})")
        self._play_in_background(self._play(started.id))
        return started.id

    async def _play(self, briefing_id: str) -> None:
        await self._rate_limit_llm()
        await self._wait(
            briefing_id, lambda view: summaries_done(view.steps) >= SUMMARIES_BEFORE_CRASH
        )
        await self._control.kill("worker")
        await self._say("scenario: killed the worker (SIGKILL) while stories were summarised")
        await asyncio.sleep(WORKER_DOWN_SECONDS)
        await self._control.start("worker")
        await self._say("scenario: started the worker again; it resumes where the last one was")
        view = await self._wait(briefing_id, lambda view: view.status != RunStatus.RUNNING)
        await self._say(f"scenario: the briefing {view.status.value}; nothing completed was redone")

    async def _wait(
        self, briefing_id: str, condition: Callable[[BriefingView], bool]
    ) -> BriefingView:
        return await poll_until(
            lambda: get_briefing(self._client, self._settings, briefing_id), condition
        )
