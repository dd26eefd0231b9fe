"""Each step's activity call in a context of its own, its heartbeats kept as the step's words.

An LLM activity heartbeats the text it has written so far (activities/llm/live_text.py); on a
worker the server keeps it, here `on_heartbeat` hands it to us, so the run keeps the latest
LiveText of each step still writing, in memory like the rest of it. A step that ends forgets its
words: a finished one has its result, and a run that dies takes them with it, never rewritten.
"""

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from temporalio.testing import ActivityEnvironment

from activities.llm.live_text import LiveText, read_live_text

Argument = TypeVar("Argument")
Result = TypeVar("Result")


class StepEnvironments:
    def __init__(self, run_id: str, writing: dict[str, LiveText]) -> None:
        """`writing`: the run's own record of what each step is writing, by step id."""
        # Named as a workflow would be, so the LLM sees `X-Briefing-Run: plain:<run id>`.
        self._info = dataclasses.replace(
            ActivityEnvironment.default_info(), workflow_id=run_id, workflow_type="PlainAgent"
        )
        self.writing = writing

    async def run(
        self, step_id: str, activity: Callable[[Argument], Awaitable[Result]], argument: Argument
    ) -> Result:
        """The activity as step `step_id`: its id is the step's, as the workflow names it."""
        environment = ActivityEnvironment()
        environment.info = dataclasses.replace(self._info, activity_id=step_id)
        environment.on_heartbeat = lambda *details: self._heard(step_id, details)
        try:
            return await environment.run(activity, argument)
        finally:
            self.writing.pop(step_id, None)

    def _heard(self, step_id: str, details: tuple[Any, ...]) -> None:
        live = read_live_text(details)
        if live is not None:
            self.writing[step_id] = live
