"""Starting and reading comparisons: Temporal for the record, the plain agent for the live view.

The comparison workflow keeps what both sides did; while it runs, the durable side is read as
any briefing is, and the plain side from the plain agent itself (falling back on what this web
last saw of it, then on the LLM's log, once its process has died).
"""

import uuid
from dataclasses import dataclass

import httpx
from temporalio.client import Client

from activities.llm_log import LlmCalls, read_llm_calls
from activities.plain_runs.models import PlainRunState
from core.keep_alive import CLIENT_LIMITS
from core.settings import Settings
from web.briefings.ids import ID_PREFIX as BRIEFING_PREFIX
from web.briefings.ids import idempotent_id, new_briefing_id, request_fingerprint
from web.briefings.service import briefing_request
from web.comparisons.plain_reader import PlainRunMemory, read_plain_run
from web.comparisons.plain_side import durable_side, plain_side
from web.comparisons.schemas import (
    ComparisonCreate,
    ComparisonCreated,
    ComparisonView,
    LedgerSource,
)
from web.comparisons.temporal_reads import ID_PREFIX, TemporalReads
from web.idempotent_start import start_once
from workflows.comparison import ComparisonWorkflow
from workflows.comparison_models import (
    MAX_RERUNS,
    ComparisonRequest,
    ComparisonState,
    plain_run_id,
    run_labels,
)

HTTP_TIMEOUT = httpx.Timeout(2.0)


@dataclass(frozen=True)
class StartedComparison:
    comparison: ComparisonCreated
    is_new: bool  # False: an Idempotency-Key seen before, and the comparison it started


class Comparisons:
    """Made once per web process: its HTTP client and its memory of the plain runs it saw."""

    def __init__(self, client: Client, settings: Settings) -> None:
        self._client, self._settings = client, settings
        self._http = httpx.AsyncClient(timeout=HTTP_TIMEOUT, limits=CLIENT_LIMITS)
        self.memory = PlainRunMemory()
        self._temporal = TemporalReads(client, settings)

    async def close(self) -> None:
        await self._http.aclose()

    async def start(
        self, create: ComparisonCreate, idempotency_key: str | None = None
    ) -> StartedComparison:
        """Both sides at once; a repeated Idempotency-Key answers with the comparison it made."""
        settings = self._settings
        briefing = briefing_request(
            settings,
            create.topic,
            create.max_stories,
            sources=[str(url) for url in create.sources] if create.sources else None,
        )
        if idempotency_key:
            comparison_id = idempotent_id(ID_PREFIX, idempotency_key)
            durable_id = idempotent_id(BRIEFING_PREFIX, f"comparison:{idempotency_key}")
        else:
            comparison_id, durable_id = f"{ID_PREFIX}{uuid.uuid4().hex[:12]}", new_briefing_id()
        request = ComparisonRequest(
            briefing=briefing,
            durable_id=durable_id,
            after_crash=create.after_crash,
            llm_log=settings.offline_llm_url is not None,
        )
        created = ComparisonCreated(
            id=comparison_id,
            url=f"/comparisons/{comparison_id}",
            durable_id=durable_id,
            plain_id=plain_run_id(comparison_id, 1),
        )
        is_new = await start_once(
            self._client,
            ComparisonWorkflow.run,
            request,
            workflow_id=comparison_id,
            task_queue=settings.task_queue,
            fingerprint=f"{request_fingerprint(briefing)}:{request.after_crash}",
            # Readable while no worker can answer a query: the page still knows both sides.
            memo={
                "topic": briefing.topic,
                "durable_id": durable_id,
                "after_crash": str(request.after_crash),
            },
            summary=f"Comparison: {briefing.topic}",
        )
        return StartedComparison(created, is_new=is_new)

    async def view(self, comparison_id: str) -> ComparisonView:
        temporal = await self._temporal.read(comparison_id)
        state, durable = temporal.state, temporal.durable
        run_id = state.plain_ids[-1] if state.plain_runs else self._latest_seen(comparison_id)
        calls = state.llm_calls or await self._live_calls(state, run_id)
        outcome = state.plain_runs[-1].outcome if state.plain_runs else None
        read = None
        if outcome is None or self._behind(run_id, outcome.state):
            read = await read_plain_run(
                self._http, self._settings.plain_agent_url, run_id, self.memory
            )
        return ComparisonView(
            id=comparison_id,
            url=f"/comparisons/{comparison_id}",
            topic=state.topic,
            after_crash=state.after_crash,
            finished=state.finished_at is not None,
            started_at=state.started_at,
            finished_at=state.finished_at,
            ledger_source=LedgerSource.LLM_LOG if calls.available else LedgerSource.ENGINE_COUNT,
            durable=durable_side(state, durable, temporal.durable_writing, calls),
            plain=plain_side(state, run_id, read, self.memory, calls),
        )

    def _latest_seen(self, comparison_id: str) -> str:
        """With no worker to ask, the latest plain run this web saw (a rerun's, say)."""
        for attempt in range(MAX_RERUNS + 1, 1, -1):
            if self.memory.last_seen(run_id := plain_run_id(comparison_id, attempt)):
                return run_id
        return plain_run_id(comparison_id, 1)

    def _behind(self, run_id: str, ended: PlainRunState) -> bool:
        """A completed run last seen here mid-way: its final steps are worth one more read."""
        seen = self.memory.last_seen(run_id)
        return ended == PlainRunState.COMPLETED and (seen is None or seen.state != ended)

    async def _live_calls(self, state: ComparisonState, run_id: str) -> LlmCalls:
        plain_ids = state.plain_ids or [run_id]
        try:
            return await read_llm_calls(
                self._http, self._settings.offline_llm_url, run_labels(state.durable_id, plain_ids)
            )
        except httpx.HTTPError:
            return LlmCalls(available=False)
