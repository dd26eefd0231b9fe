"""ComparisonWorkflow: the same briefing, durable and plain, side by side; what each one cost.

The durable side is an ordinary BriefingWorkflow, a child left to run on its own (ABANDON), so
it is a briefing like any other. The plain side runs on the plain agent, which keeps nothing:
this workflow watches it and keeps what it saw, so a finished comparison outlives every restart
of the plain process, the web and the worker. With AfterCrash.RERUN it also plays the naive
supervisor that starts a lost run again from scratch.
"""

import asyncio

from temporalio import workflow
from temporalio.exceptions import ActivityError, ChildWorkflowError

with workflow.unsafe.imports_passed_through():
    from activities.llm_log import LlmCallsInput, LlmLogActivities
    from activities.plain_runs.models import (
        PlainRunOutcome,
        PlainRunStart,
        PlainRunState,
    )
    from activities.plain_runs.watch import PlainRunActivities
    from workflows import activity_options as options
    from workflows.briefing import BriefingWorkflow
    from workflows.comparison_models import (
        MAX_RERUNS,
        AfterCrash,
        ComparisonRequest,
        ComparisonState,
        PlainRun,
        plain_run_id,
        run_labels,
    )
    from workflows.failures import failure_reason
    from workflows.models import BriefingResult, BriefingStatus
    from workflows.task_timeout import WORKFLOW_TASK_TIMEOUT


@workflow.defn
class ComparisonWorkflow:
    def __init__(self) -> None:
        self._state: ComparisonState | None = None

    @workflow.query
    def state(self) -> ComparisonState:
        if self._state is None:
            raise ValueError("the comparison has not started yet")
        return self._state

    @workflow.run
    async def run(self, request: ComparisonRequest) -> ComparisonState:
        state = self._state = ComparisonState(
            topic=request.briefing.topic,
            durable_id=request.durable_id,
            after_crash=request.after_crash,
            started_at=workflow.now(),
        )
        durable = await workflow.start_child_workflow(
            BriefingWorkflow.run,
            request.briefing,
            id=request.durable_id,
            parent_close_policy=workflow.ParentClosePolicy.ABANDON,
            task_timeout=WORKFLOW_TASK_TIMEOUT,
            # As the web starts a briefing: its page and the recent list read the topic here.
            memo={"topic": request.briefing.topic},
            static_summary=f"Briefing: {request.briefing.topic} (compared)",
        )
        await asyncio.gather(self._durable_side(durable), self._plain_side(request))
        if request.llm_log:
            labels = run_labels(state.durable_id, state.plain_ids)
            state.llm_calls = await workflow.execute_activity_method(
                LlmLogActivities.read_llm_log,
                LlmCallsInput(runs=labels),
                summary="Read the LLM's log of both sides",
                start_to_close_timeout=options.LLM_LOG_START_TO_CLOSE,
                retry_policy=options.LLM_LOG_RETRY,
            )
        state.finished_at = workflow.now()
        return state

    async def _durable_side(
        self, durable: workflow.ChildWorkflowHandle[BriefingWorkflow, BriefingResult]
    ) -> None:
        assert self._state is not None
        try:
            await durable
            self._state.durable_status = BriefingStatus.COMPLETED
        except ChildWorkflowError:
            # The briefing says why itself, on its own page; here only the outcome counts.
            self._state.durable_status = BriefingStatus.FAILED

    async def _plain_side(self, request: ComparisonRequest) -> None:
        assert self._state is not None
        for attempt in range(1, MAX_RERUNS + 2):
            run = PlainRun(
                run_id=plain_run_id(workflow.info().workflow_id, attempt),
                started_at=workflow.now(),
            )
            self._state.plain_runs.append(run)
            run.outcome = await self._plain_run(request, run.run_id)
            if run.outcome.state != PlainRunState.LOST or request.after_crash != AfterCrash.RERUN:
                return

    async def _plain_run(self, request: ComparisonRequest, run_id: str) -> PlainRunOutcome:
        briefing = request.briefing
        start = PlainRunStart(
            run_id=run_id,
            topic=briefing.topic,
            sources=briefing.sources,
            max_stories=briefing.max_stories,
            model=briefing.model,
            fallback_model=briefing.fallback_model,
        )
        try:
            await workflow.execute_activity_method(
                PlainRunActivities.start_plain_run,
                start,
                summary="Start the plain agent's run",
                start_to_close_timeout=options.PLAIN_START_TO_CLOSE,
                schedule_to_close_timeout=options.PLAIN_START_SCHEDULE_TO_CLOSE,
                retry_policy=options.PLAIN_START_RETRY,
            )
            return await workflow.execute_activity_method(
                PlainRunActivities.watch_plain_run,
                run_id,
                summary="Watch the plain agent's run",
                start_to_close_timeout=options.PLAIN_WATCH_START_TO_CLOSE,
                heartbeat_timeout=options.PLAIN_WATCH_HEARTBEAT,
                retry_policy=options.PLAIN_WATCH_RETRY,
            )
        except ActivityError as error:
            # The plain side never started, or nobody could tell how it ended: said, not fatal.
            return PlainRunOutcome(
                run_id=run_id, state=PlainRunState.FAILED, reason=failure_reason(error)
            )
