"""/api/comparisons over real HTTP: what a start answers, what a read returns, what is refused."""

import pytest

from testing.temporal_dev import free_port
from tests.web.page_client import browser

pytestmark = pytest.mark.usefixtures("llm_admin")


async def test_a_posted_comparison_is_accepted_with_both_sides_ids_and_its_location(
    comparison_settings,
):
    async with browser(comparison_settings) as web:
        response = await web.post(
            "/api/comparisons", json={"topic": "science", "max_stories": 2, "after_crash": "rerun"}
        )
        created = response.json()
        # No worker: the comparison is read from Temporal's record of its start.
        view = (await web.get(created["url"])).json()
    assert response.status_code == 202
    assert set(created) == {"id", "url", "durable_id", "plain_id"}
    assert created["url"] == f"/api/comparisons/{created['id']}"
    assert response.headers["location"] == created["url"]
    assert created["plain_id"].startswith(created["id"])
    assert view["id"] == created["id"] and view["topic"] == "science"
    assert view["after_crash"] == "rerun" and view["finished"] is False
    assert view["durable"]["id"] == created["durable_id"]
    assert view["plain"]["id"] == created["plain_id"]
    assert {"llm_calls", "tokens", "wall_seconds", "repeated_calls", "lost_tokens"} <= set(
        view["plain"]["ledger"]
    )


async def test_an_unknown_comparison_is_a_json_404(settings):
    async with browser(settings) as web:
        response = await web.get("/api/comparisons/comparison-000000000000")
    assert response.status_code == 404
    assert response.json() == {"error": "no comparison with id comparison-000000000000"}


async def test_a_blank_topic_and_an_unknown_after_crash_are_refused_field_by_field(settings):
    async with browser(settings) as web:
        response = await web.post("/api/comparisons", json={"topic": "", "after_crash": "retry"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid request"
    assert set(body["fields"]) == {"topic", "after_crash"}


async def test_a_comparison_costs_a_start_token_as_a_briefing_does(settings):
    limited = settings.model_copy(update={"start_rate_per_minute": 1})
    async with browser(limited) as web:
        briefing = await web.post("/api/briefings", json={"topic": "science"})
        refused = await web.post("/api/comparisons", json={"topic": "science"})
    assert briefing.status_code == 202
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0


async def test_while_temporal_is_unreachable_starting_and_reading_are_503(settings):
    offline = settings.model_copy(update={"temporal_address": f"127.0.0.1:{free_port()}"})
    async with browser(offline) as web:
        start = await web.post("/api/comparisons", json={"topic": "science"})
        read = await web.get("/api/comparisons/comparison-000000000000")
    for response in (start, read):
        assert response.status_code == 503 and response.headers["retry-after"] == "5"
        assert response.json()["error"].startswith("Temporal is unavailable")


async def test_a_repeated_idempotency_key_answers_with_the_same_comparison(comparison_settings):
    key = {"Idempotency-Key": "compare-once"}
    body = {"topic": "science", "max_stories": 2}
    async with browser(comparison_settings) as web:
        first = await web.post("/api/comparisons", json=body, headers=key)
        again = await web.post("/api/comparisons", json=body, headers=key)
        changed = await web.post(
            "/api/comparisons", json={**body, "after_crash": "rerun"}, headers=key
        )
    assert first.status_code == 202 and again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert changed.status_code == 409
