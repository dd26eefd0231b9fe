"""The dashboard and its chaos panel over real HTTP, faults verified through real briefings."""

from datetime import datetime

import pytest

from tests.web.page_client import briefing_when, browser, finished, hidden_fields

CSRF = "X-CSRF-Token"


@pytest.fixture
def chaos_settings(settings):
    return settings.model_copy(update={"chaos_enabled": True})


async def csrf_headers(web) -> dict:
    page = (await web.get("/")).text
    return {CSRF: hidden_fields(page)["csrf_token"], "HX-Request": "true"}


async def start(web, topic: str, max_stories: int = 8) -> dict:
    body = {"topic": topic, "max_stories": max_stories}
    return (await web.post("/api/briefings", json=body)).json()


async def one_story_after_llm_fault(chaos_settings, fault: dict[str, str]) -> tuple[str, dict]:
    """The panel's answer to `fault`, and a one-story briefing run under it to its end."""
    async with browser(chaos_settings) as web:
        headers = await csrf_headers(web)
        response = await web.post("/dashboard/chaos/llm", data=fault, headers=headers)
        assert response.status_code == 200
        created = await start(web, "tech", max_stories=1)
        body = await briefing_when(web, created["id"], finished)
        await web.post("/dashboard/chaos/llm/reset", headers=headers)
    return response.text, body


async def test_the_dashboard_shows_processes_ledger_and_briefings(settings, worker):
    async with browser(settings) as web:
        created = (
            await web.post("/api/briefings", json={"topic": "tech", "max_stories": 2})
        ).json()
        await briefing_when(web, created["id"], finished)
        page = (await web.get("/dashboard")).text
    assert "Temporal server" in page and "version" in page
    assert "Durability ledger" in page and "LLM calls made" in page
    assert 'sse-connect="/dashboard/events"' in page
    assert "Chaos panel" not in page  # off unless asked for


async def test_the_chaos_panel_is_off_by_default(settings):
    async with browser(settings) as web:
        response = await web.post("/dashboard/chaos/llm/reset", headers=await csrf_headers(web))
    assert response.status_code == 404


async def test_a_429_set_from_the_panel_is_retried_after_retry_after_and_shows_attempt_2(
    chaos_settings, worker, llm_admin
):
    said, body = await one_story_after_llm_fault(
        chaos_settings, {"mode": "rate_limit", "count": "1", "seconds": "2"}
    )
    assert "429" in said
    summary = next(step for step in body["steps"] if step["kind"] == "summarize")
    assert summary["state"] == "done" and summary["attempt"] == 2
    log = llm_admin.get("/requests").json()
    limited = next(entry for entry in log if entry["status"] == 429)
    retry = next(
        e for e in log if e["fingerprint"] == limited["fingerprint"] and e["status"] == 200
    )
    waited = datetime.fromisoformat(retry["received_at"]) - datetime.fromisoformat(
        limited["received_at"]
    )
    assert waited.total_seconds() >= 2.0


async def test_an_answer_broken_off_from_the_panel_is_asked_again_and_shows_attempt_2(
    chaos_settings, worker, llm_admin
):
    said, body = await one_story_after_llm_fault(
        chaos_settings, {"mode": "cut", "count": "1", "words": "3"}
    )
    assert "break off after 3 words" in said
    summary = next(step for step in body["steps"] if step["kind"] == "summarize")
    assert summary["state"] == "done" and summary["attempt"] == 2
    log = llm_admin.get("/requests").json()
    cut = next(entry for entry in log if entry["completed"] is False)
    whole = next(e for e in log if e["fingerprint"] == cut["fingerprint"] and e["completed"])
    # Billed for the words that went out before the break, then asked again for the whole.
    assert 0 < cut["completion_tokens"] < whole["completion_tokens"]


async def test_a_feed_broken_from_the_panel_marks_that_source_failed(
    chaos_settings, worker, newsroom_admin
):
    async with browser(chaos_settings) as web:
        headers = await csrf_headers(web)
        response = await web.post(
            "/dashboard/chaos/feeds",
            data={"feed": "lab-notes", "mode": "malformed"},
            headers=headers,
        )
        assert response.status_code == 200
        created = (await web.post("/api/briefings", json={"topic": "science"})).json()
        body = await briefing_when(web, created["id"], finished)
        await web.post("/dashboard/chaos/feeds/reset", headers=headers)
    assert body["status"] == "completed"
    [failure] = body["failed_sources"]
    assert failure["url"].endswith("lab-notes.xml") and "not a valid" in failure["reason"]


async def test_a_feed_slowed_from_the_panel_trickles_in_over_the_newsrooms_default(
    chaos_settings, newsroom_admin
):
    async with browser(chaos_settings) as web:
        page = (await web.get("/dashboard")).text
        response = await web.post(
            "/dashboard/chaos/feeds",
            data={"feed": "lab-notes", "mode": "slow"},
            headers=await csrf_headers(web),
        )
    assert '<option value="slow">' in page
    assert response.status_code == 200 and "trickles in over 10 s" in response.text
    [fault] = newsroom_admin.get("/faults").json()["faults"]
    assert fault["feed"] == "lab-notes" and fault["mode"] == "slow" and fault["seconds"] == 10.0


async def test_an_invalid_fault_is_refused_with_a_message(chaos_settings):
    async with browser(chaos_settings) as web:
        response = await web.post(
            "/dashboard/chaos/llm", data={"mode": "explode"}, headers=await csrf_headers(web)
        )
    assert response.status_code == 422
    assert "not applied" in response.text


async def test_process_controls_say_they_need_briefing_up(chaos_settings):
    async with browser(chaos_settings) as web:
        response = await web.post(
            "/dashboard/chaos/parts/worker/kill", headers=await csrf_headers(web)
        )
    assert response.status_code == 409
    assert "briefing up" in response.text
