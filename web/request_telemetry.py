"""The web's side of a trace: a server span per request, by FastAPI's own OpenTelemetry support.

FastAPI (0.165 on) opens the span around the whole app, continues a `traceparent` the caller
sent, and names the span for its route (`POST /api/briefings`); what the route then does with
Temporal becomes its child through the client's tracing interceptor (core/tracing.py).
"""

from collections.abc import MutableMapping
from typing import Any

from fastapi.telemetry import TelemetryConfig

from core.tracing import Tracing

# Requests no one would follow in a trace: scripts and styles, and the probes that poll health.
UNTRACED_PREFIXES = ("/static/", "/healthz")


def request_telemetry(tracing: Tracing | None) -> TelemetryConfig:
    """FastAPI's telemetry on this process's provider; without traces, no spans at all (not even
    on a global provider some library set)."""
    if tracing is None:
        return {"tracing": False, "auto_configure": False}
    return {
        "tracer_provider": tracing.provider,
        "exclude": _untraced,
        # Its OTLP set-up from the environment would add a second exporter beside ours.
        "auto_configure": False,
    }


def _untraced(scope: MutableMapping[str, Any]) -> bool:
    path = scope.get("path", "")
    return isinstance(path, str) and path.startswith(UNTRACED_PREFIXES)
