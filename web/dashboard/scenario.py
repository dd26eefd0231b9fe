"""The presenter's one-button demo: a briefing, a rate-limited LLM, a killed worker, a finish.

It runs in the web process and only does what a presenter would do by hand; the briefing it
starts is an ordinary durable workflow, which finishes whether or not this script does.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from temporalio.client import Client

from core.domain import RunStatus
from core.settings import Settings
from stack.control_client import StackControl
from web.briefings.schemas import BriefingCreate, BriefingView
from web.briefings.service import get_briefing, start_briefing
from web.dashboard.fault_controls import FaultControls, LlmFault
from workflows.models import StepKind, StepProgress, StepState

log = logging.getLogger(__name__)
TOPIC = "science"
RATE_LIMITED_CALLS = 2
RETRY_AFTER_SECONDS = 3.0
SUMMARIES_BEFORE_CRASH = 2
WORKER_DOWN_SECONDS = 8.0  # long enough for the audience to see "worker offline"
POLL_SECONDS = 0.5
TIMEOUT_SECONDS = 300.0

Say = Callable[[str], Awaitable[None]]


class ScenarioBusy(RuntimeError):
    pass


class Scenario:
    def __init__(
        self,
        client: Client,
        settings: Settings,
        control: StackControl,
        faults: FaultControls,
        say: Say,
    ) -> None:
        self._client, self._settings = client, settings
        self._control, self._faults, self._say = control, faults, say
        self._task: asyncio.Task | None = None
        self.briefing_id: str | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> str:
        if self.running:
            raise ScenarioBusy("the scenario is already running")
        create = BriefingCreate(topic=TOPIC, max_stories=8)
        started = await start_briefing(self._client, self._settings, create, None)
        self.briefing_id = started.id
        await self._say(f"scenario: started a briefing on “{TOPIC}” ({started.id})")
        self._task = asyncio.create_task(self._play(started.id))
        return started.id

    async def _play(self, briefing_id: str) -> None:
        try:
            await self._faults.break_llm(
                LlmFault(mode="rate_limit", count=RATE_LIMITED_CALLS, seconds=RETRY_AFTER_SECONDS)
            )
            await self._say(
                f"scenario: the LLM answers 429 (Retry-After {RETRY_AFTER_SECONDS:g} s) "
                f"to the next {RATE_LIMITED_CALLS} calls"
            )
            await self._wait(
                briefing_id, lambda view: summaries_done(view.steps) >= SUMMARIES_BEFORE_CRASH
            )
            await self._control.kill("worker")
            await self._say("scenario: killed the worker (SIGKILL) while stories were summarised")
            await asyncio.sleep(WORKER_DOWN_SECONDS)
            await self._control.start("worker")
            await self._say("scenario: started the worker again; it resumes where the last one was")
            view = await self._wait(briefing_id, lambda view: view.status != RunStatus.RUNNING)
            await self._say(
                f"scenario: the briefing {view.status.value}; nothing completed was redone"
            )
        except Exception as error:  # noqa: BLE001 - the presenter must see why it stopped
            log.exception("scenario stopped")
            await self._say(f"scenario: stopped: {error}")

    async def _wait(self, briefing_id: str, condition) -> BriefingView:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            while True:
                view = await get_briefing(self._client, self._settings, briefing_id)
                if condition(view):
                    return view
                await asyncio.sleep(POLL_SECONDS)


def summaries_done(steps: list[StepProgress] | None) -> int:
    return sum(
        1
        for step in steps or []
        if step.kind == StepKind.SUMMARIZE and step.state == StepState.DONE
    )
