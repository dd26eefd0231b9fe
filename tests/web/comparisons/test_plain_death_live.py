"""The plain column when its process dies: said on the live page within two seconds."""

import html
import time
from contextlib import ExitStack

from testing.polling import wait_for_async
from testing.sse_client import read_frames
from tests.conftest import PlainServer
from tests.web.page_client import browser
from worker.main import build_workers

KILL_SHOWN_WITHIN_SECONDS = 2.0


def summaries_done(view: dict) -> int:
    steps = view["plain"]["steps"] or []
    return sum(step["kind"] == "summarize" and step["state"] == "done" for step in steps)


async def test_a_killed_plain_agent_is_shown_dead_with_what_it_lost_within_two_seconds(
    temporal_client, settings, plain_server: PlainServer, plain_port, llm_admin
):
    # Slow enough that the kill lands while summaries are being written.
    llm_admin.post("/faults", json={"mode": "slow", "tokens_per_second": 30})
    settings = settings.model_copy(update={"plain_url": f"http://127.0.0.1:{plain_port}"})
    async with build_workers(temporal_client, settings), browser(settings) as web:
        with ExitStack() as plain_agent:
            plain_agent.enter_context(plain_server())
            created = (await web.post("/api/comparisons", json={"topic": "science"})).json()

            async def view() -> dict:
                return (await web.get(created["url"])).json()

            await wait_for_async(view, 60, "a first plain summary", until=summaries_done)
            frames = []
            async for frame in read_frames(web, f"/comparisons/{created['id']}/events"):
                frames.append(frame)
                if len(frames) == 1:
                    plain_agent.close()  # the process is gone, with every run in its memory
                    killed_at = time.monotonic()
                elif frame.event == "columns" and "process died" in frame.data:
                    break
            shown_after = time.monotonic() - killed_at
    first, died = frames[0], html.unescape(frames[-1].data)
    assert first.event == "columns" and "process died" not in first.data
    assert shown_after < KILL_SHOWN_WITHIN_SECONDS
    assert "the agent's process died: " in died and "summaries and" in died
    assert "tokens lost" in died
