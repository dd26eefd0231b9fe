"""Reading activity failures inside the workflow: what went wrong, and of what kind."""

import asyncio

from temporalio.exceptions import ActivityError, ApplicationError, is_cancelled_exception


def failure_reason(error: BaseException) -> str:
    """The innermost message: what actually went wrong, not 'activity task failed'."""
    while isinstance(error, ActivityError) and error.cause is not None:
        error = error.cause
    return str(error) or type(error).__name__


def failure_type(error: BaseException) -> str | None:
    cause = error.cause if isinstance(error, ActivityError) else error
    return cause.type if isinstance(cause, ApplicationError) else None


def reraise_if_cancelled(error: BaseException) -> None:
    # A cancelled briefing must stop, not record its cancelled steps as failures and go on.
    if is_cancelled_exception(error):
        raise asyncio.CancelledError() from error
