"""What a person can do to a running briefing: answer its review, or cancel it."""

import logging
from datetime import timedelta

from temporalio.client import (
    Client,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.service import RPCError, RPCStatusCode

from core.domain import RunStatus
from core.logs import about
from web.briefings.closed_run import run_status
from web.briefings.service import describe_briefing
from workflows.briefing import BriefingWorkflow
from workflows.failures import failure_reason, failure_type
from workflows.review import ReviewDecision, ReviewOutcome
from workflows.review_step import REVIEW_CLOSED

log = logging.getLogger(__name__)

UPDATE_TIMEOUT = timedelta(seconds=10)


class ReviewRefused(ValueError):
    """The workflow's validator refused the choice; nothing was recorded."""


class ReviewClosed(ReviewRefused):
    """The briefing no longer waits for a review."""


class CannotCancel(ValueError):
    pass


class WorkerUnavailable(RuntimeError):
    pass


async def submit_review(
    client: Client, briefing_id: str, decision: ReviewDecision
) -> ReviewOutcome:
    description = await describe_briefing(client, briefing_id)
    if run_status(description.status) != RunStatus.RUNNING:
        raise ReviewClosed("this briefing has finished; it no longer waits for a review")
    handle = client.get_workflow_handle_for(BriefingWorkflow.run, briefing_id)
    try:
        outcome = await handle.execute_update(
            BriefingWorkflow.submit_review, decision, rpc_timeout=UPDATE_TIMEOUT
        )
    except WorkflowUpdateFailedError as error:
        reason = failure_reason(error.cause)
        log.info("review refused: %s", reason, extra=about(briefing_id))
        if failure_type(error.cause) == REVIEW_CLOSED:
            raise ReviewClosed(reason) from error
        raise ReviewRefused(reason) from error
    except WorkflowUpdateRPCTimeoutOrCancelledError as error:
        raise WorkerUnavailable(
            "no worker answered: the choice was not recorded; try again when a worker is back"
        ) from error
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            raise ReviewClosed("this briefing has finished") from error
        raise
    log.info(
        "review submitted: %d stories chosen", len(outcome.story_ids), extra=about(briefing_id)
    )
    return outcome


async def cancel_briefing(client: Client, briefing_id: str) -> None:
    description = await describe_briefing(client, briefing_id)
    status = run_status(description.status)
    if status != RunStatus.RUNNING:
        raise CannotCancel(f"this briefing is already {status.value}; there is nothing to cancel")
    await client.get_workflow_handle(briefing_id).cancel()
    log.info("cancel requested", extra=about(briefing_id))
