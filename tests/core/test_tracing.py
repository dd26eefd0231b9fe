"""Traces are off until an endpoint is named; then a process's spans reach that collector, by
the time the process stops (tests/stack/test_traces.py follows one briefing across processes)."""

from collections.abc import Iterator

import httpx
import httpx2
import pytest
from opentelemetry.instrumentation.httpx import HTTPX2ClientInstrumentor, HTTPXClientInstrumentor
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from core.settings import Settings
from core.tracing import WORKER_SERVICE, start_tracing, traces_url
from testing.otlp_receiver import SpanStore, otlp_receiver
from testing.servers import serve_in_thread
from web.app import create_app
from web.request_telemetry import request_telemetry


@pytest.fixture
def receiver() -> Iterator[tuple[str, SpanStore]]:
    with otlp_receiver() as received:
        yield received


def test_without_an_endpoint_or_with_a_blank_one_nothing_is_traced():
    assert start_tracing(Settings(_env_file=None), WORKER_SERVICE) is None
    # What compose passes until ops name a collector.
    blank = Settings(_env_file=None, otlp_endpoint=" ")
    assert start_tracing(blank, WORKER_SERVICE) is None
    assert request_telemetry(None)["tracing"] is False


def test_the_spans_go_under_the_collectors_base_url_as_the_otlp_standard_says():
    assert traces_url("http://jaeger:4318") == "http://jaeger:4318/v1/traces"
    assert traces_url("http://jaeger:4318/") == "http://jaeger:4318/v1/traces"


def test_both_http_clients_calls_reach_the_collector_once_the_process_stops_tracing(receiver):
    endpoint, store = receiver
    tracing = start_tracing(Settings(_env_file=None, otlp_endpoint=endpoint), WORKER_SERVICE)
    assert tracing is not None
    try:
        # Any answer will do: the receiver's own address, which takes only POST.
        httpx.get(traces_url(endpoint))
        httpx2.get(traces_url(endpoint))
    finally:
        tracing.stop()
    calls = [span for span in store.spans() if span.kind == Span.SPAN_KIND_CLIENT]
    assert [(span.service, span.name) for span in calls] == [(WORKER_SERVICE, "GET")] * 2
    # Stopped, it leaves the process's HTTP clients as it found them.
    assert not HTTPXClientInstrumentor().is_instrumented_by_opentelemetry
    assert not HTTPX2ClientInstrumentor().is_instrumented_by_opentelemetry


def test_otel_service_name_names_the_process_instead_of_its_default(receiver):
    endpoint, store = receiver
    settings = Settings(_env_file=None, otlp_endpoint=endpoint, otel_service_name="ops-named")
    tracing = start_tracing(settings, WORKER_SERVICE)
    assert tracing is not None
    with tracing.provider.get_tracer(__name__).start_as_current_span("a piece of work"):
        pass
    tracing.stop()
    assert [(span.service, span.name) for span in store.spans()] == [
        ("ops-named", "a piece of work")
    ]


def test_the_web_traces_its_requests_but_not_static_files_or_health_probes(settings, receiver):
    endpoint, store = receiver
    traced = settings.model_copy(update={"otlp_endpoint": endpoint})
    with serve_in_thread(create_app(traced)) as url:
        assert httpx.get(f"{url}/api/briefings/no-such-briefing").status_code == 404
        httpx.get(f"{url}/static/app.css").raise_for_status()
        httpx.get(f"{url}/healthz")
    # All there once the web has stopped: the end of its lifespan sends what is still batched.
    served = [span for span in store.spans() if span.kind == Span.SPAN_KIND_SERVER]
    assert [(span.service, span.name) for span in served] == [
        ("briefing-web", "GET /api/briefings/{briefing_id}")
    ]
