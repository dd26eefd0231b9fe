"""Connecting to Temporal the same way from every process."""

import asyncio
import logging

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import Runtime
from temporalio.service import RPCError

from app.settings import Settings

log = logging.getLogger(__name__)


async def connect(
    settings: Settings,
    *,
    lazy: bool = False,
    identity: str | None = None,
    runtime: Runtime | None = None,
) -> Client:
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
        lazy=lazy,
        identity=identity,
        runtime=runtime,
    )


async def connect_with_retry(
    settings: Settings, *, identity: str | None = None, runtime: Runtime | None = None
) -> Client:
    """Wait for Temporal instead of crashing: `briefing up` may start us first."""
    delay = 0.5
    while True:
        try:
            return await connect(settings, identity=identity, runtime=runtime)
        except (RuntimeError, RPCError) as error:
            log.warning("Temporal at %s not reachable yet (%s)", settings.temporal_address, error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
