"""Each process's one Prometheus endpoint: the Temporal SDK's own metrics and ours, together.

The SDK's core serves `/metrics` at the address its Runtime's PrometheusConfig names: workflow and
activity task latencies, slots, polls, RPCs to Temporal. Our own (activities/metrics.py,
workflows/metrics.py, web/limits/stream_metrics.py) are made through a meter of the same Runtime,
so one scrape of a process has both.

A port already taken (a second worker on the host, a web process whose neighbours hold the rest
of its range) costs the endpoint, never the process: it logs why and runs without one.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from core.settings import Settings

log = logging.getLogger(__name__)

METRICS_PATH = "/metrics"


@dataclass(frozen=True)
class MetricsRuntime:
    """A process's Temporal Runtime, and the port it serves its metrics on (None: none)."""

    runtime: Runtime
    port: int | None


def start_metrics_runtime(
    host: str, ports: Sequence[int], *, worker_heartbeat_interval: timedelta | None = None
) -> MetricsRuntime:
    """A Runtime serving metrics on the first of `ports` free on `host` (none: no endpoint)."""
    refusal: ValueError | None = None
    for port in ports:
        try:
            runtime = Runtime(
                telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=_at(host, port))),
                worker_heartbeat_interval=worker_heartbeat_interval,
            )
        except ValueError as error:  # the SDK's word for an address it cannot bind
            refusal = error  # a neighbouring web process's, as likely as not: try the next
            continue
        log.info("metrics at http://%s%s", _at(host, port), METRICS_PATH)
        return MetricsRuntime(runtime, port)
    if refusal is not None:
        log.warning("metrics: no port of %s usable (%s): none served", list(ports), refusal)
    return MetricsRuntime(_runtime_without_metrics(worker_heartbeat_interval), None)


def _runtime_without_metrics(worker_heartbeat_interval: timedelta | None) -> Runtime:
    # The SDK's default Runtime sends no worker heartbeats: a worker process needs one of its own.
    if worker_heartbeat_interval is None:
        return Runtime.default()
    return Runtime(telemetry=TelemetryConfig(), worker_heartbeat_interval=worker_heartbeat_interval)


def worker_metrics_ports(settings: Settings) -> list[int]:
    return [settings.worker_metrics_port] if settings.worker_metrics_port else []


def web_metrics_ports(settings: Settings) -> list[int]:
    """One port per web process: uvicorn numbers none of them, so each takes the first free."""
    first = settings.web_metrics_port
    return list(range(first, first + settings.web_processes)) if first else []


def metrics_ports(settings: Settings) -> dict[str, list[int]]:
    """Each part's metrics ports, for `briefing up` to check and show."""
    return {"worker": worker_metrics_ports(settings), "web": web_metrics_ports(settings)}


def metrics_urls_text(settings: Settings) -> str:
    """`worker http://127.0.0.1:8500/metrics, web http://127.0.0.1:8600-8601/metrics`."""
    named = []
    for part, ports in metrics_ports(settings).items():
        if not ports:
            named.append(f"{part} off")
            continue
        span = str(ports[0]) if len(ports) == 1 else f"{ports[0]}-{ports[-1]}"
        named.append(f"{part} http://{_url_host(settings.host)}:{span}{METRICS_PATH}")
    return ", ".join(named)


def _at(host: str, port: int) -> str:
    return f"{_url_host(host)}:{port}"


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
