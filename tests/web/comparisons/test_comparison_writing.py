"""Both columns of a comparison show each summary as it is written; a dead plain agent's words
are gone from its column, with nothing written in their place."""

import asyncio
import html
import re
from contextlib import ExitStack

import httpx
import pytest

from testing.polling import wait_for_async
from testing.sse_client import read_frames
from tests.conftest import PlainServer
from tests.web.page_client import browser
from worker.main import build_workers

pytestmark = pytest.mark.usefixtures("llm_admin")
# Paced as a real model writes, so both sides' summaries are watched while they grow.
PACE = {"mode": "slow", "tokens_per_second": 20}
WORDS_SEEN = 3
WATCH_SECONDS = 90
# A running step of the column, and the words its writing shows (the partial _step_writing).
WRITING_STEP = re.compile(
    r'<li class="step step-(?:running|retrying)" id="step-(summarize-[^"]+)">'
    r'(?:(?!</li>).)*?<p class="step-text step-text-writing" data-attempt="(\d+)">(.*?)</p>',
    re.DOTALL,
)


def columns_of(page: str) -> dict[str, str]:
    durable, _, plain = page.partition('class="comparison-column column-plain"')
    return {"durable": durable, "plain": plain}


def written(column: str) -> dict[str, str]:
    """The words each step is shown writing, by step id, once it has a few."""
    return {
        step_id: html.unescape(text)
        for step_id, _, text in WRITING_STEP.findall(column)
        if len(text.split()) >= WORDS_SEEN
    }


async def watch_both_sides_writing(web: httpx.AsyncClient, comparison_id: str) -> dict:
    """From the page's own stream: the first words seen being written in each column."""
    seen: dict[str, dict[str, str]] = {}
    async with asyncio.timeout(WATCH_SECONDS):
        async for frame in read_frames(web, f"/comparisons/{comparison_id}/events"):
            assert frame.event != "close", "the comparison ended before both were seen writing"
            for side, column in columns_of(frame.data).items():
                if side not in seen and (words := written(column)):
                    seen[side] = words
            if len(seen) == 2:
                return seen
    raise AssertionError("the stream ended")


async def test_both_columns_show_a_summary_as_it_is_written(
    comparison_settings, comparison_worker, llm_admin
):
    llm_admin.post("/faults", json=PACE)
    async with browser(comparison_settings) as web:
        created = (
            await web.post("/api/comparisons", json={"topic": "science", "max_stories": 2})
        ).json()
        seen = await watch_both_sides_writing(web, created["id"])
        llm_admin.delete("/faults")

        async def view() -> dict:
            return (await web.get(f"/api/comparisons/{created['id']}")).json()

        ended = await wait_for_async(
            view, 60, "the comparison's end", until=lambda v: v["finished"]
        )
    for side in ("durable", "plain"):
        finished_text = {step["id"]: step["text"] for step in ended[side]["steps"]}
        for step_id, words in seen[side].items():
            # What was shown being written is how the summary it finished with begins.
            assert finished_text[step_id].startswith(words.rstrip()), (side, step_id)
        assert ended[side]["writing"] == {}


def plain_writing(view: dict) -> dict:
    return {
        step_id: live
        for step_id, live in view["plain"]["writing"].items()
        if len(live["text"].split()) >= WORDS_SEEN
    }


async def test_a_killed_plain_agent_s_words_are_gone_from_its_column(
    temporal_client, settings, plain_server: PlainServer, plain_port, llm_admin
):
    llm_admin.post("/faults", json=PACE)
    settings = settings.model_copy(update={"plain_url": f"http://127.0.0.1:{plain_port}"})
    async with build_workers(temporal_client, settings), browser(settings) as web:
        with ExitStack() as plain_agent:
            plain_agent.enter_context(plain_server())
            created = (
                await web.post("/api/comparisons", json={"topic": "science", "max_stories": 2})
            ).json()

            async def view() -> dict:
                return (await web.get(created["url"])).json()

            writing = await wait_for_async(view, 60, "a plain summary's words", until=plain_writing)
        # Its process is gone, and every word it had written with it.
        died = await wait_for_async(
            view, 30, "the plain side dead", until=lambda v: v["plain"]["state"] == "died"
        )
        page = (await web.get(f"/comparisons/{created['id']}")).text
    plain_column = columns_of(page)["plain"]
    assert plain_writing(writing) and died["plain"]["writing"] == {}
    assert "before the process died" in plain_column  # its steps as last seen are still shown
    assert "step-text-writing" not in plain_column and "step-lost" not in plain_column
