"""The JSON API over real HTTP, against a real Temporal dev server."""

from datetime import timedelta

import httpx

from testing.polling import wait_for_async
from testing.servers import serve_in_thread
from testing.temporal_dev import free_port
from tests.workflows.briefings import workflow_task_timeout
from web.app import create_app
from workflows.task_timeout import WORKFLOW_TASK_TIMEOUT


async def json_when(
    api: httpx.AsyncClient, url: str, condition, what: str, timeout: float, interval: float = 0.3
) -> dict:
    async def body() -> dict:
        return (await api.get(url)).json()

    return await wait_for_async(body, timeout, what, until=condition, interval=interval)


async def wait_for_status(
    api: httpx.AsyncClient, url: str, statuses: set[str], timeout=60.0
) -> dict:
    def reached(body: dict) -> bool:
        return body["status"] in statuses

    return await json_when(api, url, reached, f"{url} reached {statuses}", timeout)


async def test_a_posted_briefing_is_accepted_and_its_result_can_be_read(api, worker):
    response = await api.post("/api/briefings", json={"topic": "science", "max_stories": 3})
    assert response.status_code == 202
    created = response.json()
    assert created["url"] == f"/api/briefings/{created['id']}"
    assert created["id"] in created["temporal_ui_url"]
    body = await wait_for_status(api, created["url"], {"completed", "failed"})
    assert body["status"] == "completed"
    assert body["result"]["lead"]
    assert body["usage"]["completion_tokens"] > 0
    assert {step["state"] for step in body["steps"]} == {"done"}
    assert "read" in {step["kind"] for step in body["steps"]}
    told = [story["text_source"] for s in body["result"]["sections"] for story in s["stories"]]
    assert told and set(told) <= {"article", "feed"}


async def test_a_briefing_started_by_the_api_gives_a_worker_3_s_per_workflow_task_not_10(
    api, temporal_client
):
    response = await api.post("/api/briefings", json={"topic": "science"})
    description = await temporal_client.get_workflow_handle(response.json()["id"]).describe()
    assert workflow_task_timeout(description) == WORKFLOW_TASK_TIMEOUT == timedelta(seconds=3)


async def test_the_same_idempotency_key_returns_the_same_briefing_not_a_second_one(api):
    headers = {"Idempotency-Key": "morning-science-1"}
    first = await api.post("/api/briefings", json={"topic": "science"}, headers=headers)
    again = await api.post("/api/briefings", json={"topic": "science"}, headers=headers)
    assert first.status_code == 202
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]


async def test_an_idempotency_key_reused_for_a_different_request_is_refused(api):
    headers = {"Idempotency-Key": "key-for-tech"}
    await api.post("/api/briefings", json={"topic": "tech"}, headers=headers)
    conflict = await api.post("/api/briefings", json={"topic": "sport"}, headers=headers)
    assert conflict.status_code == 409
    assert "different request" in conflict.json()["error"]


async def test_invalid_fields_come_back_with_a_message_each(api):
    response = await api.post(
        "/api/briefings", json={"topic": "", "max_stories": 26, "sources": ["not a url"]}
    )
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert set(fields) == {"topic", "max_stories", "sources.0"}
    assert all(isinstance(message, str) and message for message in fields.values())


async def test_an_unknown_briefing_is_a_404_with_a_json_error(api):
    for briefing_id in ("briefing-doesnotexist", "something-else"):
        response = await api.get(f"/api/briefings/{briefing_id}")
        assert response.status_code == 404
        assert briefing_id in response.json()["error"]


async def test_recent_briefings_are_listed_from_temporal_visibility(api):
    created = (await api.post("/api/briefings", json={"topic": "culture"})).json()

    def listed(body: dict) -> list[dict]:
        return [item for item in body["briefings"] if item["id"] == created["id"]]

    match = listed(await json_when(api, "/api/briefings", listed, "the briefing listed", 20))[0]
    assert match["topic"] == "culture"
    assert match["status"] == "running"


async def test_without_a_worker_a_running_briefing_says_the_worker_is_offline(api):
    created = (await api.post("/api/briefings", json={"topic": "science"})).json()
    body = (await api.get(created["url"])).json()
    assert body["status"] == "running"
    assert body["steps"] is None
    assert "worker offline" in body["progress_note"]
    health = (await api.get("/healthz")).json()
    assert health["worker"]["status"] == "offline"
    assert health["temporal"]["status"] == "ok"


async def test_health_lists_the_worker_polling_the_task_queue(api, worker):
    def seen(health: dict) -> bool:
        return health["worker"]["status"] == "ok"

    health = await json_when(api, "/healthz", seen, "the worker seen", 10, interval=0.2)
    assert health["status"] == "ok"
    assert health["pollers"]


async def test_health_reports_temporal_unreachable_and_the_api_answers_503(settings):
    offline = settings.model_copy(update={"temporal_address": f"127.0.0.1:{free_port()}"})
    with serve_in_thread(create_app(offline)) as url:
        api = httpx.AsyncClient(base_url=url, timeout=15)
        health = await api.get("/healthz")
        assert health.status_code == 200
        assert health.json()["temporal"]["status"] == "unreachable"
        response = await api.post("/api/briefings", json={"topic": "science"})
        assert response.status_code == 503
        assert "Temporal is unavailable" in response.json()["error"]
