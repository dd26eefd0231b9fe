"""`briefing web`: the FastAPI app. The Temporal client is made once, here."""

import copy
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp
from uvicorn.config import LOGGING_CONFIG

from core.host_check import HostCheckMiddleware
from core.logs import logging_config
from core.metrics import start_metrics_runtime, web_metrics_ports
from core.settings import PROJECT_ROOT, Settings, get_settings
from core.temporal_client import connect
from core.tracing import WEB_SERVICE, client_interceptors, start_tracing, stop_tracing
from web.api_errors import install_error_handlers
from web.assets import vendor_router
from web.briefings.recent import RecentBriefingsCache
from web.comparisons.errors import comparison_not_found
from web.comparisons.service import Comparisons
from web.comparisons.temporal_reads import ComparisonNotFound
from web.dashboard.dashboard import Dashboard
from web.limits.capacity import ServerFull, server_full_handler
from web.limits.rates import RateLimited
from web.limits.stream_metrics import OpenStreams
from web.limits.streams import StreamLimitsMiddleware
from web.limits.visitors import VisitorLimits, rate_limited_handler
from web.live.hub import LiveHub
from web.request_telemetry import request_telemetry
from web.routes import all_routes
from web.security.csp import SecurityHeadersMiddleware
from web.security.csrf import CsrfMiddleware, CsrfSigner, signing_key
from web.security.origin_check import OriginCheckMiddleware
from web.security.request_size import RequestSizeMiddleware, RequestTooLarge, request_too_large

log = logging.getLogger(__name__)


class BriefingApp(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        # Outside even Starlette's error middleware, so an unhandled error's 500 has them too.
        return SecurityHeadersMiddleware(super().build_middleware_stack())


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    tracing = start_tracing(settings, WEB_SERVICE)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Lazy: the web starts and answers (degraded) even while Temporal is down.
        app.state.temporal = await connect(
            settings,
            lazy=True,
            identity="briefing-web",
            runtime=metrics.runtime,
            interceptors=client_interceptors(tracing),
        )
        app.state.settings = settings
        app.state.hub = LiveHub(app.state.temporal, settings.live_text_interval_seconds)
        app.state.comparisons = Comparisons(app.state.temporal, settings)
        # Its comparison scenario starts comparisons like the form does.
        app.state.dashboard = Dashboard.build(app.state.temporal, settings, app.state.comparisons)
        yield
        app.state.hub.close()
        await app.state.dashboard.close()
        await app.state.comparisons.close()
        stop_tracing(tracing)

    # No /docs or /redoc: they load their scripts from a CDN, which the CSP (and offline) forbid.
    app = BriefingApp(
        title="briefing",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        telemetry=request_telemetry(tracing),
    )
    app.state.recent_briefings = RecentBriefingsCache()
    # Here, not in the lifespan: the stream gauge's meter is the Runtime's (core/metrics.py).
    app.state.metrics = metrics = start_metrics_runtime(settings.host, web_metrics_ports(settings))
    app.state.visitor_limits = limits = VisitorLimits.from_settings(settings)
    # Last added is outermost: an unknown Host is refused before anything else looks at the
    # request; sizes and another site's requests are refused before CSRF reads a form.
    open_streams = OpenStreams(metrics.runtime.metric_meter)
    app.add_middleware(StreamLimitsMiddleware, limits=limits, open_streams=open_streams)
    app.add_middleware(
        CsrfMiddleware,
        signer=CsrfSigner(signing_key(settings)),
        public_https=settings.public_base_url.startswith("https://"),
    )
    app.add_middleware(OriginCheckMiddleware, public_origin=settings.public_url)
    app.add_middleware(RequestSizeMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(HostCheckMiddleware, allowed=settings.host_names)
    install_error_handlers(app)
    app.add_exception_handler(RateLimited, rate_limited_handler)
    app.add_exception_handler(ServerFull, server_full_handler)
    app.add_exception_handler(ComparisonNotFound, comparison_not_found)
    app.add_exception_handler(RequestTooLarge, request_too_large)
    app.include_router(all_routes())
    app.include_router(vendor_router(settings.assets_dir))  # before the /static mount
    app.mount("/static", StaticFiles(directory=PROJECT_ROOT / "static"), name="static")
    return app


def run_web(processes: int | None = None) -> None:
    """`briefing web`: `processes` (BRIEFING_WEB_PROCESSES) processes on one port.

    uvicorn's own workers: the parent binds the port once and every child accepts from it; the
    parent restarts a child that dies and passes SIGINT and SIGTERM on to all of them. Each child
    builds its app and reads its settings from the environment, as this process did.
    """
    from web.security.csrf import share_a_random_key
    from web.server_limits import (
        KEEP_ALIVE_SECONDS,
        MAX_HEADER_BYTES,
        RequestDeadlineProtocol,
        connections_cap,
    )

    settings = get_settings()
    processes = processes or settings.web_processes
    if processes > 1 and settings.chaos_enabled:
        # Its "one demo at a time" and its refresh after an action hold within one process only.
        log.warning("The chaos panel is on: the web runs in one process, not %d.", processes)
        processes = 1
    if processes > 1:
        share_a_random_key(settings)
    # The children read it to know how many metrics ports their processes share (core/metrics.py).
    os.environ["BRIEFING_WEB_PROCESSES"] = str(processes)
    uvicorn.run(
        "web.app:create_app",
        factory=True,
        workers=processes,
        host=settings.host,
        port=settings.web_port,
        log_level="info",
        timeout_graceful_shutdown=5,
        # The client is the TCP peer; X-Forwarded-For only from BRIEFING_TRUSTED_PROXIES.
        proxy_headers=False,
        # Slow and numerous clients: see web/server_limits.py.
        http=RequestDeadlineProtocol,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        limit_concurrency=connections_cap(settings.sse_max_streams),
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        # uvicorn's, and the root logger's as `briefing` sets it: spawned workers run no main().
        log_config=logging_config(settings.log_format, copy.deepcopy(LOGGING_CONFIG)),
    )
