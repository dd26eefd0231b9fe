"""Telling 'Temporal is down' apart from every other failure."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from temporalio.service import RPCError, RPCStatusCode

_UNAVAILABLE = {RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED}


class TemporalUnavailable(Exception):
    pass


@asynccontextmanager
async def temporal_call() -> AsyncIterator[None]:
    try:
        yield
    except RPCError as error:
        if error.status in _UNAVAILABLE:
            raise TemporalUnavailable(error.message) from error
        raise
    except RuntimeError as error:
        # A lazy client reports a failed (re)connect as a plain RuntimeError.
        raise TemporalUnavailable(str(error)) from error
