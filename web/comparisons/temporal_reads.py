"""What Temporal says of a comparison, read so that a dead worker never holds up the page.

With the worker killed (the panel kills it with the plain agent), a query waits out its whole
timeout, and so would every tick of the page's stream: the plain column would say its process
died seconds late. So each read waits briefly for a fresh answer and otherwise goes on with the
last one, while the slow read finishes in the background; one at a time per comparison.
"""

import asyncio
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta

from temporalio.client import Client, WorkflowExecutionStatus, WorkflowQueryFailedError
from temporalio.service import RPCError, RPCStatusCode

from core.settings import Settings
from web.briefings.schemas import BriefingView
from web.briefings.service import BriefingNotFound, briefing_view, describe_briefing
from web.live.writing import Writing, read_writing
from workflows.comparison import ComparisonWorkflow
from workflows.comparison_models import ComparisonState

ID_PREFIX = "comparison-"
QUERY_TIMEOUT = timedelta(seconds=3)
# Long enough for a live worker's answer (milliseconds here), short beside the page's 2 s.
FRESH_WAIT_SECONDS = 0.3
REMEMBERED = 200


class ComparisonNotFound(LookupError):
    pass


@dataclass
class TemporalRead:
    state: ComparisonState
    durable: BriefingView | None
    # What the durable briefing's LLM steps are writing, by step id: from the describe that
    # reads the briefing anyway, so the words cost no call of their own.
    durable_writing: dict[str, Writing] = field(default_factory=dict)


@dataclass
class _Entry:
    last: TemporalRead
    refresh: asyncio.Task[TemporalRead] | None = field(default=None, repr=False)


class TemporalReads:
    def __init__(self, client: Client, settings: Settings) -> None:
        self._client, self._settings = client, settings
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    async def read(self, comparison_id: str) -> TemporalRead:
        entry = self._entries.get(comparison_id)
        if entry is None:  # the first read of it here: nothing to go on with but the answer
            entry = _Entry(await self._read(comparison_id, None))
            self._remember(comparison_id, entry)
            return entry.last
        if entry.refresh is None:
            entry.refresh = asyncio.create_task(self._read(comparison_id, entry.last))
        await asyncio.wait({entry.refresh}, timeout=FRESH_WAIT_SECONDS)
        if entry.refresh.done():
            refresh, entry.refresh = entry.refresh, None
            entry.last = refresh.result()  # a failure (Temporal down) is the caller's to say
        return entry.last

    def _remember(self, comparison_id: str, entry: _Entry) -> None:
        self._entries[comparison_id] = entry
        while len(self._entries) > REMEMBERED:
            _, old = self._entries.popitem(last=False)
            if old.refresh is not None:
                old.refresh.cancel()

    async def _read(self, comparison_id: str, last: TemporalRead | None) -> TemporalRead:
        state = await self._state(comparison_id, last.state if last else None)
        try:
            description = await describe_briefing(self._client, state.durable_id)
        except BriefingNotFound:
            return TemporalRead(state, None)  # started a moment ago: the child is not there yet
        durable = await briefing_view(self._client, self._settings, description)
        writing = await read_writing(description, self._client.data_converter)
        return TemporalRead(state, durable, writing)

    async def _state(self, comparison_id: str, last: ComparisonState | None) -> ComparisonState:
        if not comparison_id.startswith(ID_PREFIX):
            raise ComparisonNotFound(comparison_id)
        handle = self._client.get_workflow_handle_for(ComparisonWorkflow.run, comparison_id)
        try:
            description = await handle.describe()
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                raise ComparisonNotFound(comparison_id) from error
            raise
        if description.status == WorkflowExecutionStatus.COMPLETED:
            return await handle.result()
        try:
            return await handle.query(ComparisonWorkflow.state, rpc_timeout=QUERY_TIMEOUT)
        except (RPCError, WorkflowQueryFailedError):
            # No worker to answer, or one that answers with a failure (a build whose workflow
            # waits before its state exists): the page goes on from what is known either way.
            if last is not None:
                return last  # what it said last is the best there is
            # Nothing seen here yet (a web restarted with the worker down): what the memo says.
            return ComparisonState(
                topic=await description.memo_value("topic", default=""),
                durable_id=await description.memo_value("durable_id", default=""),
                after_crash=await description.memo_value("after_crash", default="lost"),
                started_at=description.start_time,
            )
