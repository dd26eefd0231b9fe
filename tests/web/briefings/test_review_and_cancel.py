"""Reviewing and cancelling over HTTP: the JSON API and the briefing page's forms."""

import re

from tests.web.page_client import briefing_when, browser, hidden_fields
from workflows.review import NOTE_MAX_CHARS

# The JSON API's state changes must say so, even without a body (web/security/origin_check.py).
JSON = {"Content-Type": "application/json"}


async def start(web, topic: str, **fields) -> dict:
    return (await web.post("/api/briefings", json={"topic": topic, **fields})).json()


def summarizing(body: dict) -> bool:
    return any(step["kind"] == "summarize" for step in body["steps"] or [])


async def until(web, briefing_id: str, condition) -> dict:
    return await briefing_when(web, briefing_id, condition, timeout=30)


async def test_the_api_refuses_a_bad_choice_then_takes_a_good_one(settings, worker):
    async with browser(settings) as web:
        created = (
            await web.post("/api/briefings", json={"topic": "science", "review": True})
        ).json()
        body = await until(web, created["id"], lambda b: b.get("review"))
        review_url = f"/api/briefings/{created['id']}/review"
        refused = await web.post(review_url, json={"story_ids": ["nope"]})
        assert refused.status_code == 422 and "unknown story" in refused.json()["error"]
        first = body["review"]["candidates"][0]["id"]
        accepted = await web.post(review_url, json={"story_ids": [first], "note": "short"})
        assert accepted.status_code == 200 and accepted.json()["by_editor"] is True
        again = await web.post(review_url, json={"story_ids": [first]})
        assert again.status_code == 409
        done = await until(web, created["id"], lambda b: b["status"] != "running")
    assert done["status"] == "completed"
    assert done["review_outcome"]["story_ids"] == [first]


async def test_the_page_shows_the_candidates_and_takes_the_editors_pick(settings, worker):
    async with browser(settings) as web:
        created = await start(web, "tech", review=True)
        body = await until(web, created["id"], lambda b: b.get("review"))
        page = (await web.get(f"/briefings/{created['id']}")).text
        assert "Your pick, please" in page and "waiting for you" in page
        second, first = (c["id"] for c in body["review"]["candidates"][:2])
        response = await web.post(
            f"/briefings/{created['id']}/review",
            data={
                "csrf_token": hidden_fields(page)["csrf_token"],
                "story_ids": [first, second],
                f"order_{first}": "1",
                f"order_{second}": "2",
                "note": "keep it short",
            },
        )
        assert response.status_code == 200 and "The editor chose 2 stories" in response.text
        done = await until(web, created["id"], lambda b: b["status"] != "running")
    assert done["review_outcome"]["story_ids"] == [first, second]


async def test_a_refused_pick_comes_back_with_the_editors_choices_and_the_reason(settings, worker):
    async with browser(settings) as web:
        created = await start(web, "science", review=True)
        body = await until(web, created["id"], lambda b: b.get("review"))
        page = (await web.get(f"/briefings/{created['id']}")).text
        last = body["review"]["candidates"][-1]["id"]
        too_long = "n" * (NOTE_MAX_CHARS + 1)
        response = await web.post(
            f"/briefings/{created['id']}/review",
            data={
                "csrf_token": hidden_fields(page)["csrf_token"],
                "story_ids": [last],
                f"order_{last}": "7",
                "note": too_long,
            },
        )
    assert response.status_code == 422 and "the note is too long" in response.text
    assert re.findall(r'name="story_ids" value="([^"]+)" checked', response.text) == [last]
    assert f'name="order_{last}" min="1" max="99" value="7"' in response.text
    assert too_long in response.text and "Your pick, please" in response.text


async def test_a_running_briefing_can_be_cancelled_once(settings, worker, llm_admin):
    llm_admin.post("/faults", json={"mode": "hang", "seconds": 30})
    async with browser(settings) as web:
        created = (await web.post("/api/briefings", json={"topic": "sport"})).json()
        await until(
            web, created["id"], lambda b: any(s["kind"] == "summarize" for s in b["steps"] or [])
        )
        cancelled = await web.post(f"/api/briefings/{created['id']}/cancel", headers=JSON)
        assert cancelled.status_code == 202
        body = await until(web, created["id"], lambda b: b["status"] != "running")
        again = await web.post(f"/api/briefings/{created['id']}/cancel", headers=JSON)
    assert body["status"] == "cancelled"
    assert again.status_code == 409 and "already cancelled" in again.json()["error"]
