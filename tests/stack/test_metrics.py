"""`briefing up`'s worker and web each serve `/metrics`: the SDK's own and ours, moving with a
briefing (one feed malformed, the LLM's first answer a 429, a viewer on its events)."""

import httpx

from demo.newsroom.outlets import OUTLETS
from testing.polling import wait_for
from testing.prometheus_text import Scrape, scrape
from testing.stack_process import StackProcess, wait_for_briefing

BRIEFING_TIMEOUT_SECONDS = 120.0
MODEL = {"model": "offline-extractive"}


def metrics_of(stack: StackProcess, part: str) -> Scrape:
    url = f"{stack.url(f'{part}_metrics')}/metrics"
    return wait_for(lambda: scrape(url), 30, f"{part} metrics", ignoring=(httpx.TransportError,))


def test_worker_and_web_metrics_move_with_a_briefing(stack: StackProcess) -> None:
    stack.wait_until_up()
    worker_port, web_port = stack.ports["worker_metrics"], stack.ports["web_metrics"]
    banner = (
        f"  Metrics      worker http://127.0.0.1:{worker_port}/metrics,"
        f" web http://127.0.0.1:{web_port}/metrics\n"
    )
    assert banner in stack.output
    worker_before, web_before = metrics_of(stack, "worker"), metrics_of(stack, "web")
    malformed = OUTLETS[0].slug
    httpx.post(
        f"{stack.url('newsroom')}/_admin/faults", json={"feed": malformed, "mode": "malformed"}
    ).raise_for_status()
    httpx.post(
        f"{stack.url('llm')}/_admin/faults", json={"mode": "rate_limit", "count": 1, "seconds": 1}
    ).raise_for_status()

    api = httpx.Client(base_url=stack.url("web"), timeout=10)
    created = api.post("/api/briefings", json={"topic": "science", "max_stories": 3}).json()
    with api.stream("GET", f"{created['url']}/events", timeout=None):
        watched = wait_for(
            lambda: metrics_of(stack, "web"),
            10,
            "one briefing viewer",
            until=lambda web: web.total("briefing_sse_viewers", stream="briefing") == 1,
        )
        finished = wait_for_briefing(
            api, created["url"], lambda body: body["status"] != "running", BRIEFING_TIMEOUT_SECONDS
        )
    assert finished["status"] == "completed", finished.get("error")
    assert watched.total("briefing_sse_viewers", stream="dashboard") == 0

    worker = metrics_of(stack, "worker")
    moved = {
        name: worker.total(name, **labels) - worker_before.total(name, **labels)
        for name, labels in [
            ("briefing_started_total", {}),
            ("briefing_completed_total", {}),
            ("briefing_failed_total", {}),
            ("briefing_cancelled_total", {}),
            ("briefing_feed_failures_total", {"reason": "FeedMalformed"}),
            ("briefing_llm_calls_total", {**MODEL, "outcome": "LLMRateLimited"}),
            ("briefing_llm_retries_total", MODEL),
        ]
    }
    assert moved == {
        "briefing_started_total": 1,
        "briefing_completed_total": 1,
        "briefing_failed_total": 0,
        "briefing_cancelled_total": 0,
        "briefing_feed_failures_total": 1,
        "briefing_llm_calls_total": 1,
        "briefing_llm_retries_total": 1,
    }
    # Three summaries and the lead, each answered, and what they were billed.
    answered = {**MODEL, "outcome": "ok"}
    assert worker.total("briefing_llm_calls_total", **answered) >= 4 + worker_before.total(
        "briefing_llm_calls_total", **answered
    )
    for kind in ("prompt", "completion"):
        tokens = {**MODEL, "kind": kind}
        assert worker.total("briefing_llm_tokens_total", **tokens) > worker_before.total(
            "briefing_llm_tokens_total", **tokens
        )
    assert worker.total("briefing_article_reads_total") >= 3
    # The SDK's own, on the same endpoint.
    assert {
        "temporal_workflow_task_schedule_to_start_latency_bucket",
        "temporal_activity_schedule_to_start_latency_bucket",
        "temporal_worker_task_slots_available",
        "temporal_num_pollers",
    } <= worker.names

    web = wait_for(
        lambda: metrics_of(stack, "web"),
        30,
        "the viewer gone",
        until=lambda web: web.total("briefing_sse_viewers", stream="briefing") == 0,
    )
    started = {"operation": "StartWorkflowExecution"}
    assert web.total("temporal_request", **started) == 1 + web_before.total(
        "temporal_request", **started
    )
