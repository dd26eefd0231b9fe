"""The plain agent: the same briefing over real HTTP, its calls on its own bill, and no memory."""

import httpx
import pytest

from core.settings import Settings
from testing.polling import wait_for

pytestmark = pytest.mark.usefixtures("llm_admin")


def start(plain_url: str, settings: Settings, run_id: str, max_stories: int = 3) -> httpx.Response:
    return httpx.post(
        f"{plain_url}/runs",
        json={
            "run_id": run_id,
            "topic": "science",
            "sources": settings.default_sources,
            "max_stories": max_stories,
            "model": settings.llm_model,
        },
    )


def finished(plain_url: str, run_id: str) -> dict:
    def read() -> dict | None:
        view = httpx.get(f"{plain_url}/runs/{run_id}").json()
        return view if view["state"] != "running" else None

    view = wait_for(read, 60, f"plain run {run_id} finished")
    assert view is not None
    return view


def test_a_plain_run_briefs_like_the_workflow_and_bills_its_own_run(plain_url, settings, llm_admin):
    started = start(plain_url, settings, "run-a")
    assert started.status_code == 202
    assert started.json()["state"] == "running"

    view = finished(plain_url, "run-a")

    assert view["state"] == "completed", view["error"]
    kinds = [step["kind"] for step in view["progress"]["steps"]]
    assert kinds.count("summarize") == 3 and kinds[-1] == "compose"
    assert view["summaries_done"] == view["summaries_total"] == 3
    assert view["briefing"]["markdown"].startswith("# Briefing: science")
    calls = llm_admin.get("/requests", params={"run": "plain:run-a"}).json()
    # Three summaries and one lead, each once, every one on this run's bill.
    assert [call["articles"] == 1 for call in calls].count(True) == 3
    assert len(calls) == 4 and all(call["status"] == 200 for call in calls)
    billed = sum(call["prompt_tokens"] + call["completion_tokens"] for call in calls)
    assert billed == view["usage"]["prompt_tokens"] + view["usage"]["completion_tokens"]


def test_the_same_run_id_twice_is_the_same_run(plain_url, settings, llm_admin):
    assert start(plain_url, settings, "run-b").status_code == 202
    again = start(plain_url, settings, "run-b")
    assert again.status_code == 200 and again.json()["run_id"] == "run-b"
    finished(plain_url, "run-b")
    summaries = [
        call
        for call in llm_admin.get("/requests", params={"run": "plain:run-b"}).json()
        if call["articles"] == 1
    ]
    assert len(summaries) == 3


def test_a_restarted_plain_agent_has_never_heard_of_its_runs(plain_server, settings, llm_admin):
    llm_admin.post("/faults", json={"mode": "slow", "tokens_per_second": 20})
    with plain_server() as url:
        start(plain_url=url, settings=settings, run_id="run-c")
        wait_for(
            lambda: httpx.get(f"{url}/runs/run-c").json()["summaries_done"] >= 1,
            60,
            "a first summary",
        )
    with plain_server() as url:
        gone = httpx.get(f"{url}/runs/run-c")
    assert gone.status_code == 404
    assert "no run run-c" in gone.json()["detail"]


def test_a_bad_run_id_is_refused_with_the_field_named(plain_url, settings):
    refused = start(plain_url, settings, "../etc")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "run_id"]


def test_a_cross_site_simple_post_cannot_start_a_run(plain_url, settings, llm_admin):
    # What a page on another site can send without a CORS preflight: text/plain, its own Origin.
    body = (
        '{"run_id": "csrf", "topic": "science", "max_stories": 1, "model": "m", '
        f'"sources": ["{settings.default_sources[0]}"]}}'
    )
    sent = httpx.post(
        f"{plain_url}/runs",
        content=body,
        headers={"Content-Type": "text/plain", "Origin": "http://attacker.test"},
    )
    assert sent.status_code == 422
    assert httpx.get(f"{plain_url}/runs/csrf").status_code == 404
    assert llm_admin.get("/requests").json() == []


def test_a_rebound_host_name_is_refused(plain_url):
    refused = httpx.get(f"{plain_url}/healthz", headers={"Host": "attacker.test"})
    assert refused.status_code == 400
