"""core/metrics.py: a process's one Prometheus endpoint, and what happens when its port is taken."""

import socket
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from core.metrics import METRICS_PATH, metrics_urls_text, start_metrics_runtime
from core.settings import Settings
from testing.prometheus_text import scrape
from testing.temporal_dev import free_port


@contextmanager
def port_taken() -> Iterator[int]:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_our_counters_come_out_of_the_runtimes_own_endpoint() -> None:
    port = free_port()
    metrics = start_metrics_runtime("127.0.0.1", [port])
    counter = metrics.runtime.metric_meter.create_counter("briefing_test_total", "a test counter")
    counter.add(2, {"kind": "test"})
    assert metrics.port == port
    assert scrape(f"http://127.0.0.1:{port}{METRICS_PATH}").total("briefing_test_total") == 2


def test_a_web_process_whose_first_port_is_taken_takes_the_next_of_its_range() -> None:
    with port_taken() as taken:
        neighbour = free_port()
        metrics = start_metrics_runtime("127.0.0.1", [taken, neighbour])
    assert metrics.port == neighbour
    assert httpx.get(f"http://127.0.0.1:{neighbour}{METRICS_PATH}").status_code == 200


def test_with_every_port_taken_the_process_runs_on_without_an_endpoint() -> None:
    with port_taken() as taken:
        metrics = start_metrics_runtime("127.0.0.1", [taken])
    assert metrics.port is None
    metrics.runtime.metric_meter.create_counter("briefing_test_total").add(1)  # goes nowhere


def test_blank_turns_a_metrics_port_off_and_up_shows_each_parts_range() -> None:
    settings = Settings(
        _env_file=None,
        worker_metrics_port="",  # type: ignore[arg-type]  # as an empty variable gives it
        web_metrics_port=8600,
        web_processes=3,
    )
    assert settings.worker_metrics_port == 0
    assert metrics_urls_text(settings) == "worker off, web http://127.0.0.1:8600-8602/metrics"
