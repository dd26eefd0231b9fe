"""Traces (docs/operations.md#traces): one trace per briefing, from the web's request through
Temporal's workflow and activities to every HTTP call they make, sent over OTLP/HTTP.

Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set. Each process builds its own provider and hands
it to what it instruments, instead of setting OpenTelemetry's global one: a test process that
builds an app or workers without traces is left as it was.
"""

import logging
from dataclasses import dataclass

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.httpx import HTTPX2ClientInstrumentor, HTTPXClientInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from temporalio.client import Interceptor
from temporalio.contrib.opentelemetry import TracingInterceptor

from core.settings import Settings

log = logging.getLogger(__name__)

WEB_SERVICE = "briefing-web"
WORKER_SERVICE = "briefing-worker"
# `briefing new` in a terminal: its start of the workflow is the root of that briefing's trace.
CLI_SERVICE = "briefing-cli"
# OTLP/HTTP's path for spans under the collector's base URL, as the OTLP exporter spec appends it.
TRACES_PATH = "/v1/traces"
# How long a stopping process waits for its last spans to reach the collector.
FLUSH_TIMEOUT_MILLIS = 5000


@dataclass(frozen=True)
class Tracing:
    """A process's traces: its provider, and the interceptor that carries them through Temporal.

    The interceptor goes on the Temporal client: workers built from that client take it from
    there (a client interceptor that is also a worker interceptor), so it is registered once.
    """

    provider: TracerProvider
    interceptor: TracingInterceptor

    def stop(self) -> None:
        """Send what is still batched: `briefing worker` leaves by os._exit, so no atexit runs."""
        self.provider.force_flush(FLUSH_TIMEOUT_MILLIS)
        self.provider.shutdown()
        for instrumentor in _http_instrumentors():
            instrumentor.uninstrument()


def start_tracing(settings: Settings, service_name: str) -> Tracing | None:
    """Traces for this process, named `service_name` unless OTEL_SERVICE_NAME names it; None
    without an endpoint to send them to."""
    if settings.otlp_endpoint is None:
        return None
    resource = Resource.create({SERVICE_NAME: settings.otel_service_name or service_name})
    provider = TracerProvider(resource=resource)
    exporter = OTLPSpanExporter(endpoint=traces_url(settings.otlp_endpoint))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    # httpx for feeds, pages and our own parts; httpx2 is what the openai client sends with.
    for instrumentor in _http_instrumentors():
        instrumentor.instrument(tracer_provider=provider)
    log.info("traces of %s go to %s", service_name, settings.otlp_endpoint)
    return Tracing(provider, TracingInterceptor(provider.get_tracer(__name__)))


def client_interceptors(tracing: Tracing | None) -> list[Interceptor]:
    """What the process's Temporal client is connected with: the tracing one, when tracing."""
    return [tracing.interceptor] if tracing else []


def stop_tracing(tracing: Tracing | None) -> None:
    if tracing is not None:
        tracing.stop()


def traces_url(endpoint: str) -> str:
    """The spans' URL under OTEL_EXPORTER_OTLP_ENDPOINT, which names the collector's base URL."""
    return endpoint.rstrip("/") + TRACES_PATH


def _http_instrumentors() -> tuple[HTTPXClientInstrumentor, HTTPX2ClientInstrumentor]:
    # Each is a process-wide singleton: instrumenting patches the transports of every client.
    return HTTPXClientInstrumentor(), HTTPX2ClientInstrumentor()
