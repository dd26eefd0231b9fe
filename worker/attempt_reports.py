"""Tell the workflow about retries as they happen, so its progress shows "attempt 2".

The workflow only hears of an activity when it finally succeeds or fails; retries in between
are known to the server alone. This worker interceptor reports them with a signal: when an
attempt fails and will be retried, and when a retry starts (after a crash, the failure was
never reported, so the server's record of it is read first).
"""

import logging
from datetime import timedelta

from temporalio import activity
from temporalio.exceptions import ApplicationError, CancelledError
from temporalio.service import RPCError
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)

from activities.models import ATTEMPT_REPORT_SIGNAL, AttemptReport
from workflows.briefing import BriefingWorkflow

REPORT_RPC_TIMEOUT = timedelta(seconds=2)
BRIEFING_WORKFLOW = BriefingWorkflow.__name__
log = logging.getLogger(__name__)


class AttemptReportingInterceptor(Interceptor):
    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _ReportAttempts(next)


class _ReportAttempts(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> object:
        info = activity.info()
        # Only a briefing listens; a comparison's watchers have no page of attempts to show.
        workflow_id = info.workflow_id if info.workflow_type == BRIEFING_WORKFLOW else None
        if workflow_id and info.attempt > 1:
            await _report(workflow_id, info.attempt, await _last_failure(workflow_id, info))
        try:
            return await super().execute_activity(input)
        except Exception as error:
            if workflow_id and _will_retry(error, info):
                await _report(workflow_id, info.attempt + 1, str(error) or type(error).__name__)
            raise


def _will_retry(error: Exception, info: activity.Info) -> bool:
    if isinstance(error, CancelledError):
        return False
    policy = info.retry_policy
    if policy is not None and policy.maximum_attempts and info.attempt >= policy.maximum_attempts:
        return False
    if isinstance(error, ApplicationError):
        if error.non_retryable:
            return False
        if policy is not None and error.type in (policy.non_retryable_error_types or ()):
            return False
    return True


async def _last_failure(workflow_id: str, info: activity.Info) -> str | None:
    try:
        description = (
            await activity.client()
            .get_workflow_handle(workflow_id)
            .describe(rpc_timeout=REPORT_RPC_TIMEOUT)
        )
    except RPCError as error:
        log.warning("could not read the last failure of %s: %s", info.activity_id, error)
        return None
    for pending in description.raw_description.pending_activities:
        if pending.activity_id == info.activity_id and pending.HasField("last_failure"):
            failure = pending.last_failure
            cause = failure.cause.message if failure.HasField("cause") else ""
            return f"{failure.message}: {cause}" if cause else failure.message
    return None


async def _report(workflow_id: str, attempt: int, last_error: str | None) -> None:
    info = activity.info()
    report = AttemptReport(activity_id=info.activity_id, attempt=attempt, last_error=last_error)
    try:
        await (
            activity.client()
            .get_workflow_handle(workflow_id)
            .signal(ATTEMPT_REPORT_SIGNAL, report, rpc_timeout=REPORT_RPC_TIMEOUT)
        )
    except RPCError as error:
        # Progress reporting must never fail the work it reports on.
        log.warning("could not report attempt %d of %s: %s", attempt, info.activity_id, error)
