"""The words an LLM writes, watched over the JSON stream of a real `briefing up`: grown word by
word, rewound when the worker is killed mid-answer, written again by attempt 2, and picked up
mid-summary by a viewer reconnecting with Last-Event-ID."""

import asyncio
import itertools
import json
import os
import signal

import httpx

from testing.sse_client import Frame, read_frames

# A kill after this many words leaves a partial summary to see thrown away.
WORDS_BEFORE_KILL = 8
BRIEFING_TIMEOUT_SECONDS = 150.0


def deltas_of(frames: list[Frame], step: str) -> list[dict]:
    deltas = (json.loads(frame.data) for frame in frames if frame.event == "delta")
    return [delta for delta in deltas if delta["step"] == step]


def words(text: str) -> list[str]:
    return text.split()


async def watch_until_close(
    api: httpx.AsyncClient, url: str, worker_pid: int, seen: list[Frame], killed: asyncio.Future
) -> None:
    """Read the stream to its close; kill the worker once a summary has written a few words."""
    async for frame in read_frames(api, url):
        seen.append(frame)
        if frame.event == "delta" and not killed.done():
            delta = json.loads(frame.data)
            if delta["step"].startswith("summarize-") and delta["words"] >= WORDS_BEFORE_KILL:
                os.kill(worker_pid, signal.SIGKILL)
                killed.set_result(delta["step"])
        if frame.event == "close":
            return
    raise AssertionError("the stream ended without a close")


async def reconnect_mid_summary(
    api: httpx.AsyncClient, url: str, seen: list[Frame], step: str
) -> tuple[int, list[Frame]]:
    """Once attempt 2 writes `step`, a viewer comes back with the last progress id it had."""
    while not any(d["attempt"] == 2 and d["words"] > 0 for d in deltas_of(seen, step)):
        await asyncio.sleep(0.05)
    last_id = [frame.id for frame in seen if frame.id is not None][-1]
    resumed: list[Frame] = []
    async for frame in read_frames(api, url, last_event_id=last_id):
        resumed.append(frame)
        if deltas_of(resumed, step) or frame.event == "close":
            break
    return int(last_id), resumed


def last_progress_of(frames: list[Frame], step: str) -> dict:
    events = (json.loads(frame.data) for frame in frames if frame.event == "progress")
    return [event["step"] for event in events if (event["step"] or {}).get("id") == step][-1]


async def test_a_summary_is_written_live_rewound_after_a_kill_and_written_again(stack):
    pids = stack.wait_until_up()
    async with httpx.AsyncClient(base_url=stack.url("web"), timeout=30) as api:
        created = await api.post("/api/briefings", json={"topic": "science", "max_stories": 3})
        url = created.json()["url"]
        seen: list[Frame] = []
        killed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        watching = asyncio.create_task(
            watch_until_close(api, f"{url}/events", pids["worker"], seen, killed)
        )
        step = await asyncio.wait_for(killed, BRIEFING_TIMEOUT_SECONDS)
        last_id, resumed = await asyncio.wait_for(
            reconnect_mid_summary(api, f"{url}/events", seen, step), BRIEFING_TIMEOUT_SECONDS
        )
        await asyncio.wait_for(watching, BRIEFING_TIMEOUT_SECONDS)
        body = (await api.get(url)).json()

    assert body["status"] == "completed", body.get("error")
    deltas = deltas_of(seen, step)
    first = [delta for delta in deltas if delta["attempt"] == 1]
    retried = [delta for delta in deltas if delta["attempt"] == 2]
    # Attempt 1 grew word by word until the kill.
    assert [delta["words"] for delta in first] == sorted(delta["words"] for delta in first)
    assert len({delta["words"] for delta in first}) >= 2
    assert first[-1]["words"] >= WORDS_BEFORE_KILL
    # Then its words were shown thrown away, and attempt 2 wrote in their place, growing.
    lost = retried[0]["lost"]
    assert [entry["attempt"] for entry in lost] == [1]
    assert lost[0]["words"] >= first[-1]["words"]
    texts = [words(delta["text"]) for delta in retried]
    assert all(later[: len(earlier)] == earlier for earlier, later in itertools.pairwise(texts))
    # The step's final text is the activity's result, the one the briefing prints; the offline
    # LLM is deterministic, so the lost words were the start of that very text.
    final = last_progress_of(seen, step)
    assert (final["state"], final["attempt"]) == ("done", 2)
    sections = body["result"]["sections"]
    assert final["text"] in [story["summary"] for s in sections for story in s["stories"]]
    assert words(final["text"])[: lost[0]["words"]] == words(lost[0]["text"])
    assert words(final["text"])[: len(texts[-1])] == texts[-1]
    # The viewer that came back got nothing it had already seen, then the text so far.
    assert all(int(frame.id) > last_id for frame in resumed if frame.id is not None)
    caught_up = deltas_of(resumed, step)[0]
    assert caught_up["attempt"] == 2 and caught_up["words"] > 0
    assert [entry["attempt"] for entry in caught_up["lost"]] == [1]
