"""A real OTLP/HTTP trace receiver on loopback, keeping every span it is sent.

It answers `POST /v1/traces` as a collector does: the body an `ExportTraceServiceRequest` in
protobuf (gzip or deflate when the exporter says so), the answer an empty
`ExportTraceServiceResponse`. Spans are decoded with opentelemetry-proto, the collector's own
schema, so what a test reads is exactly what a collector would have stored.
"""

import gzip
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from testing.servers import serve_in_thread

PROTOBUF = "application/x-protobuf"
DECOMPRESS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.decompress,
    "deflate": zlib.decompress,
}


@dataclass(frozen=True)
class ReceivedSpan:
    service: str
    name: str
    trace_id: str
    span_id: str
    parent_span_id: str | None  # None: a trace's root
    kind: int  # opentelemetry.proto.trace.v1.Span.SpanKind
    attributes: dict[str, object]


@dataclass
class SpanStore:
    """What the receiver was sent, appended by its thread and read by the test's."""

    _spans: list[ReceivedSpan] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, spans: list[ReceivedSpan]) -> None:
        with self._lock:
            self._spans.extend(spans)

    def spans(self) -> list[ReceivedSpan]:
        with self._lock:
            return list(self._spans)


def received_spans(request: ExportTraceServiceRequest) -> list[ReceivedSpan]:
    spans = []
    for resource_spans in request.resource_spans:
        resource = _attributes(resource_spans.resource.attributes)
        service = str(resource.get("service.name", ""))
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                spans.append(
                    ReceivedSpan(
                        service=service,
                        name=span.name,
                        trace_id=span.trace_id.hex(),
                        span_id=span.span_id.hex(),
                        parent_span_id=span.parent_span_id.hex() or None,
                        kind=span.kind,
                        attributes=_attributes(span.attributes),
                    )
                )
    return spans


def _attributes(pairs: Iterable[KeyValue]) -> dict[str, object]:
    return {pair.key: _value(pair.value) for pair in pairs}


def _value(value: AnyValue) -> object:
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind else None


def receiver_app(store: SpanStore) -> Starlette:
    async def export_traces(request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0] != PROTOBUF:
            return Response("OTLP/HTTP protobuf only", status_code=415)
        body = await request.body()
        encoding = request.headers.get("content-encoding")
        if encoding:
            if encoding not in DECOMPRESS:
                return Response(f"unknown Content-Encoding {encoding}", status_code=400)
            body = DECOMPRESS[encoding](body)
        message = ExportTraceServiceRequest()
        message.ParseFromString(body)
        store.add(received_spans(message))
        answer = ExportTraceServiceResponse().SerializeToString()
        return Response(answer, media_type=PROTOBUF)

    return Starlette(routes=[Route("/v1/traces", export_traces, methods=["POST"])])


@contextmanager
def otlp_receiver() -> Iterator[tuple[str, SpanStore]]:
    """The receiver's base URL (what OTEL_EXPORTER_OTLP_ENDPOINT names) and its spans."""
    store = SpanStore()
    with serve_in_thread(receiver_app(store)) as url:
        yield url, store
