"""Connecting to Temporal the same way from every process."""

import asyncio
import logging
from collections.abc import Sequence

from temporalio.client import Client, Interceptor
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import Runtime
from temporalio.service import RPCError, TLSConfig

from core.settings import Settings

log = logging.getLogger(__name__)


async def connect(
    settings: Settings,
    *,
    lazy: bool = False,
    identity: str | None = None,
    runtime: Runtime | None = None,
    interceptors: Sequence[Interceptor] = (),
) -> Client:
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
        lazy=lazy,
        identity=identity,
        runtime=runtime,
        interceptors=interceptors,
        tls=tls_config(settings),
        api_key=settings.temporal_api_key.get_secret_value() if settings.temporal_api_key else None,
    )


def tls_config(settings: Settings) -> TLSConfig | bool:
    """TLS for Temporal Cloud: on with an API key, with mTLS files, or when asked for."""
    cert, key = settings.temporal_tls_cert, settings.temporal_tls_key
    if (cert is None) != (key is None):
        raise ValueError("TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together: set both or neither")
    if cert is not None and key is not None:
        return TLSConfig(client_cert=cert.read_bytes(), client_private_key=key.read_bytes())
    return settings.temporal_tls or settings.temporal_api_key is not None


async def connect_with_retry(
    settings: Settings,
    *,
    identity: str | None = None,
    runtime: Runtime | None = None,
    interceptors: Sequence[Interceptor] = (),
) -> Client:
    """Wait for Temporal instead of crashing: `briefing up` may start us first."""
    delay = 0.5
    while True:
        try:
            return await connect(
                settings, identity=identity, runtime=runtime, interceptors=interceptors
            )
        except (RuntimeError, RPCError) as error:
            log.warning("Temporal at %s not reachable yet (%s)", settings.temporal_address, error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
