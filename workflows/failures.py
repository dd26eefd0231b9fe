"""Failures in the words a person reads: raised inside the workflow, or as Temporal records them.

Pure and deterministic: the workflow imports this module, and the web reads the same texts.
"""

import asyncio

from temporalio.api.failure.v1 import Failure
from temporalio.exceptions import ActivityError, ApplicationError, is_cancelled_exception


def failure_reason(error: BaseException) -> str:
    """The innermost message: what actually went wrong, not 'activity task failed'."""
    while isinstance(error, ActivityError) and error.cause is not None:
        error = error.cause
    return str(error) or type(error).__name__


def failure_text(failure: Failure) -> str:
    """A recorded failure and its causes: "activity Heartbeat timeout", "…: LLM rate limited"."""
    message = failure.message
    # A timeout says what timed out; the words of the error behind it are a level down.
    while failure.HasField("cause"):
        failure = failure.cause
        if failure.message and failure.message not in message:
            message = f"{message}: {failure.message}" if message else failure.message
    return message


def failure_type(error: BaseException) -> str | None:
    cause = error.cause if isinstance(error, ActivityError) else error
    return cause.type if isinstance(cause, ApplicationError) else None


def reraise_if_cancelled(error: BaseException) -> None:
    # A cancelled briefing must stop, not record its cancelled steps as failures and go on.
    if is_cancelled_exception(error):
        raise asyncio.CancelledError() from error
