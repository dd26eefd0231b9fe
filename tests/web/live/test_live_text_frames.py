"""The words of the LLM on a briefing's streams over real HTTP, as the LLM writes them."""

import json
import re

import httpx
import pytest

from testing.servers import serve_in_thread
from testing.sse_client import read_until_close
from web.app import create_app

# Slow enough that each summary is seen in several deltas, quick enough for the fast lane.
TOKENS_PER_SECOND = 60


@pytest.fixture
async def web(settings, llm_admin):
    llm_admin.post("/faults", json={"mode": "slow", "tokens_per_second": TOKENS_PER_SECOND})
    with serve_in_thread(create_app(settings)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            yield client


async def start(web: httpx.AsyncClient) -> str:
    response = await web.post("/api/briefings", json={"topic": "science", "max_stories": 2})
    return response.json()["id"]


def words(text: str) -> list[str]:
    return text.split()


async def test_json_deltas_grow_word_by_word_into_the_steps_final_text(web, worker):
    briefing_id = await start(web)
    frames = await read_until_close(web, f"/api/briefings/{briefing_id}/events")
    deltas = [json.loads(frame.data) for frame in frames if frame.event == "delta"]
    assert all(frame.id is None for frame in frames if frame.event == "delta")
    done = {
        event["step"]["id"]: event["step"]
        for event in (json.loads(f.data) for f in frames if f.event == "progress")
        if event["step"] and event["step"]["state"] == "done"
    }
    writers = {delta["step"] for delta in deltas}
    assert "compose" in writers and sum(step.startswith("summarize-") for step in writers) == 2
    for step in writers:
        texts = [words(delta["text"]) for delta in deltas if delta["step"] == step]
        assert len({len(text) for text in texts}) >= 2, f"{step} came in one piece"
        final = words(done[step]["text"])
        assert all(final[: len(text)] == text for text in texts)
        assert all(delta["attempt"] == 1 and not delta["lost"] for delta in deltas)
    briefing = next(json.loads(f.data) for f in frames if f.event == "briefing")
    assert done["compose"]["text"] == briefing["lead"]


async def test_the_html_stream_sends_each_steps_words_to_its_own_element(web, worker):
    briefing_id = await start(web)
    frames = await read_until_close(web, f"/briefings/{briefing_id}/events")
    named = {frame.event for frame in frames if frame.event.startswith("text-")}
    assert "text-compose" in named and len(named) == 3
    progress = "".join(frame.data for frame in frames if frame.event == "progress")
    for name in named:
        # The element each event is swapped into, drawn while its step ran.
        assert f'id="{name}" sse-swap="{name}"' in progress
    writing = next(frame.data for frame in frames if frame.event == "text-compose")
    assert re.search(r'<p class="step-text step-text-writing" data-attempt="1">\S', writing)
    page = (await web.get(f"/briefings/{briefing_id}")).text
    assert page.count('<p class="step-text">') == 3  # done: two summaries and the lead


async def test_an_answer_broken_off_mid_stream_is_shown_lost_and_written_again(
    web, worker, llm_admin
):
    llm_admin.post("/faults", json={"mode": "cut", "count": 1, "words": 5}).raise_for_status()
    response = await web.post("/api/briefings", json={"topic": "science", "max_stories": 1})
    briefing_id = response.json()["id"]
    frames = await read_until_close(web, f"/api/briefings/{briefing_id}/events")
    deltas = [json.loads(frame.data) for frame in frames if frame.event == "delta"]
    summary = [delta for delta in deltas if delta["step"].startswith("summarize-")]
    retried = [delta for delta in summary if delta["attempt"] == 2]
    assert retried, "attempt 2 was never seen writing"
    [lost] = retried[0]["lost"]
    # The LLM sent five words, then broke off: some or all of them were seen, then thrown away.
    assert lost["attempt"] == 1 and 1 <= lost["words"] <= 5
    final = next(
        event["step"]
        for event in reversed([json.loads(f.data) for f in frames if f.event == "progress"])
        if event["step"] and event["step"]["id"] == summary[0]["step"]
    )
    assert (final["state"], final["attempt"]) == ("done", 2)
    assert words(final["text"])[: lost["words"]] == words(lost["text"])
