"""One briefing is one trace: from the web's `POST /api/briefings` (or `briefing new` in a
terminal) through the workflow and every activity to the HTTP calls to the newsroom and the LLM,
as a real OTLP/HTTP receiver gets it."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from testing.otlp_receiver import ReceivedSpan, SpanStore, otlp_receiver
from testing.stack_process import StackProcess, wait_for_briefing

BRIEFING_TIMEOUT_SECONDS = 120.0
ACTIVITIES = ("fetch_feed", "read_article", "summarize_story", "compose_briefing")
# Longer than the test: a span reaches the receiver only if a stopping part sends what it holds.
NEVER_BY_TIMER_MILLIS = "600000"


@pytest.fixture
def receiver() -> Iterator[tuple[str, SpanStore]]:
    with otlp_receiver() as received:
        yield received


@pytest.fixture
def stack(tmp_path: Path, receiver: tuple[str, SpanStore]) -> Iterator[StackProcess]:
    endpoint, _ = receiver
    traced = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
        "OTEL_BSP_SCHEDULE_DELAY": NEVER_BY_TIMER_MILLIS,
    }
    with StackProcess(tmp_path, extra_env=traced) as stack:
        yield stack


def url_of(span: ReceivedSpan) -> str:
    # The stable HTTP conventions' name, or the older one the instrumentation still defaults to.
    return str(span.attributes.get("url.full") or span.attributes.get("http.url") or "")


def the_trace_of(
    spans: list[ReceivedSpan], root_name: str
) -> tuple[ReceivedSpan, list[ReceivedSpan]]:
    roots = [span for span in spans if span.name == root_name and span.parent_span_id is None]
    assert len(roots) == 1, [span.name for span in spans]
    return roots[0], [span for span in spans if span.trace_id == roots[0].trace_id]


def assert_connected(root: ReceivedSpan, trace: list[ReceivedSpan]) -> None:
    ids = {span.span_id for span in trace}
    orphans = [span.name for span in trace if span is not root and span.parent_span_id not in ids]
    assert not orphans


def test_a_briefing_is_one_trace_from_its_request_or_terminal_to_every_http_call(
    stack, receiver, tmp_path
):
    _, store = receiver
    stack.wait_until_up()
    with httpx.Client(base_url=stack.url("web"), timeout=15) as api:
        created = api.post("/api/briefings", json={"topic": "science", "max_stories": 3}).json()
        done = wait_for_briefing(
            api, created["url"], lambda b: b["status"] != "running", BRIEFING_TIMEOUT_SECONDS
        )
    assert done["status"] == "completed", done
    # The terminal's start, with the same OTEL_ variables as the stack's parts.
    from_terminal = subprocess.run(
        [sys.executable, "-m", "stack.cli", "new", "science", "--wait", "--max-stories", "2"],
        cwd=tmp_path,
        env=dict(os.environ, **stack.environment),
        capture_output=True,
        text=True,
        timeout=BRIEFING_TIMEOUT_SECONDS,
    )
    assert from_terminal.returncode == 0, from_terminal.stdout + from_terminal.stderr
    assert stack.stop() == 0

    # The web's start has its request for parent: the one root start is the terminal's.
    started, trace = the_trace_of(store.spans(), "StartWorkflow:BriefingWorkflow")
    assert started.service == "briefing-cli"
    assert started.attributes["temporalWorkflowID"] in from_terminal.stdout
    assert_connected(started, trace)
    assert {"RunWorkflow:BriefingWorkflow", "RunActivity:summarize_story"} <= {
        span.name for span in trace
    }
    assert {span.service for span in trace} == {"briefing-cli", "briefing-worker"}

    root, trace = the_trace_of(store.spans(), "POST /api/briefings")
    assert root.service == "briefing-web" and root.kind == Span.SPAN_KIND_SERVER
    assert_connected(root, trace)
    names = {span.name for span in trace}
    assert {"StartWorkflow:BriefingWorkflow", "RunWorkflow:BriefingWorkflow"} <= names
    for activity in ACTIVITIES:
        assert f"StartActivity:{activity}" in names and f"RunActivity:{activity}" in names, names
    # Each call is made inside the activity that makes it: feeds, story pages, the LLM.
    by_id = {span.span_id: span for span in trace}
    callers = {
        (url_of(span).partition("?")[0].rsplit("/", 1)[0], by_id[span.parent_span_id].name)
        for span in trace
        if span.kind == Span.SPAN_KIND_CLIENT and url_of(span) and span.parent_span_id
    }
    newsroom, llm = stack.url("newsroom"), stack.url("llm")
    assert (f"{newsroom}/feeds", "RunActivity:fetch_feed") in callers, callers
    assert (f"{newsroom}/stories", "RunActivity:read_article") in callers, callers
    assert (f"{llm}/v1/chat", "RunActivity:summarize_story") in callers, callers
    assert (f"{llm}/v1/chat", "RunActivity:compose_briefing") in callers, callers
    assert {span.service for span in trace} == {"briefing-web", "briefing-worker"}
