"""The SSE viewers gauge: event streams this web process holds open, by kind, on the meter of its
Temporal Runtime, so they come out of the same `/metrics` as the SDK's client metrics.

Kinds are a fixed few, whatever path a client asks for: a label per path would let any client
mint series.
"""

from collections import Counter
from enum import StrEnum

from temporalio.common import MetricMeter

SSE_VIEWERS = "briefing_sse_viewers"


class StreamKind(StrEnum):
    BRIEFING = "briefing"  # page and API alike
    COMPARISON = "comparison"
    DASHBOARD = "dashboard"
    OTHER = "other"


def stream_kind(path: str, audience: bool) -> StreamKind:
    """`audience`: a briefing's events (web/limits/streams.py tells them apart)."""
    if audience:
        return StreamKind.BRIEFING
    if path.startswith("/comparisons/"):
        return StreamKind.COMPARISON
    if path.startswith("/dashboard/"):
        return StreamKind.DASHBOARD
    return StreamKind.OTHER


class OpenStreams:
    def __init__(self, meter: MetricMeter) -> None:
        self._gauge = meter.create_gauge(SSE_VIEWERS, "event streams open, by kind")
        self._open: Counter[StreamKind] = Counter()
        for kind in StreamKind:  # every kind scraped from the start, 0 included
            self._gauge.set(0, {"stream": kind.value})

    def opened(self, kind: StreamKind) -> None:
        self._change(kind, +1)

    def closed(self, kind: StreamKind) -> None:
        self._change(kind, -1)

    def _change(self, kind: StreamKind, by: int) -> None:
        self._open[kind] += by
        self._gauge.set(self._open[kind], {"stream": kind.value})
