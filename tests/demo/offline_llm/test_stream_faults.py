"""Streams meeting faults: paced, cut mid-answer, left by their client; each logged honestly."""

import json

import httpx
import openai
import pytest
from openai import AsyncOpenAI, AsyncStream
from openai.types.chat import ChatCompletionChunk

from demo.offline_llm.tokens import count_tokens
from testing.polling import wait_for_async
from tests.demo.offline_llm.stories import BUDGET_STORY, BUDGET_TITLE, chat_messages, story_prompt

MODEL = "offline-extractive"
MESSAGES = chat_messages(story_prompt(BUDGET_STORY, title=BUDGET_TITLE, topic="energy"))
BODY = {"model": MODEL, "messages": MESSAGES, "stream": True}
WAIT_SECONDS = 5.0
# Slow enough that a three-sentence answer takes seconds, so the first words come well before.
SLOW_TOKENS_PER_SECOND = 20


async def _inject(admin: httpx.AsyncClient, **fault: object) -> None:
    (await admin.post("/faults", json=fault)).raise_for_status()


async def _log(admin: httpx.AsyncClient) -> list[dict[str, object]]:
    return (await admin.get("/requests")).raise_for_status().json()


async def _closed_records(admin: httpx.AsyncClient) -> list[dict[str, object]]:
    def closed(records: list[dict[str, object]]) -> bool:
        return bool(records) and all(record["status"] is not None for record in records)

    return await wait_for_async(
        lambda: _log(admin), WAIT_SECONDS, "the log records closed", until=closed
    )


async def _stream(llm: AsyncOpenAI) -> AsyncStream[ChatCompletionChunk]:
    return await llm.chat.completions.create(
        model=MODEL, messages=MESSAGES, stream=True, stream_options={"include_usage": True}
    )


def _content(line: str) -> str | None:
    """The content delta of one `data:` line, if it carries any."""
    chunk = json.loads(line.removeprefix("data: "))
    choices = chunk["choices"]
    return choices[0]["delta"].get("content") or None if choices else None


async def test_a_cut_stream_breaks_off_after_its_words_without_done(
    base_url: str, admin: httpx.AsyncClient
) -> None:
    await _inject(admin, mode="cut", count=1, words=5)
    received: list[str] = []

    with pytest.raises(httpx.RemoteProtocolError):
        async with (
            httpx.AsyncClient() as http,
            http.stream("POST", f"{base_url}/v1/chat/completions", json=BODY) as response,
        ):
            async for line in response.aiter_lines():
                received += [line] if line else []

    words = [word for word in map(_content, received) if word]
    assert len(words) == 5
    assert "data: [DONE]" not in received


async def test_a_cut_stream_is_logged_as_sent_with_200_not_completed_and_its_words_billed(
    base_url: str, admin: httpx.AsyncClient, llm: AsyncOpenAI
) -> None:
    await _inject(admin, mode="cut", count=1, words=3)
    stream = await llm.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True)
    words: list[str] = []
    with pytest.raises(openai.APIConnectionError):
        async for chunk in stream:
            words += [chunk.choices[0].delta.content or ""]

    [record] = await _closed_records(admin)
    assert record["streamed"] is True
    assert record["status"] == 200
    assert record["completed"] is False
    assert record["completion_tokens"] == count_tokens("".join(words))


async def test_the_cut_fault_lasts_for_its_count(
    llm: AsyncOpenAI, admin: httpx.AsyncClient
) -> None:
    await _inject(admin, mode="cut", count=1, words=0)
    with pytest.raises(openai.APIConnectionError):
        _ = [chunk async for chunk in await _stream(llm)]

    chunks = [chunk async for chunk in await _stream(llm)]

    assert [chunk.choices[0].finish_reason for chunk in chunks if chunk.choices][-1] == "stop"
    assert [record["completed"] for record in await _closed_records(admin)] == [False, True]


async def test_an_unstreamed_answer_cut_breaks_off_in_its_json(
    llm: AsyncOpenAI, admin: httpx.AsyncClient
) -> None:
    await _inject(admin, mode="cut", count=1)

    with pytest.raises(openai.APIConnectionError):
        await llm.chat.completions.create(model=MODEL, messages=MESSAGES)

    [record] = await _closed_records(admin)
    assert (record["status"], record["completed"]) == (200, False)


async def test_a_paced_stream_sends_its_first_words_while_the_rest_are_still_generated(
    llm: AsyncOpenAI, admin: httpx.AsyncClient
) -> None:
    await _inject(admin, mode="slow", tokens_per_second=SLOW_TOKENS_PER_SECOND)
    stream = await llm.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True)

    async with stream:
        async for chunk in stream:
            if chunk.choices[0].delta.content:
                break
        [in_flight] = await _log(admin)

    assert in_flight["status"] is None
    assert in_flight["completed"] is None


async def test_a_client_leaving_mid_stream_is_logged_as_499_with_the_words_sent(
    llm: AsyncOpenAI, admin: httpx.AsyncClient
) -> None:
    await _inject(admin, mode="slow", tokens_per_second=SLOW_TOKENS_PER_SECOND)
    stream = await _stream(llm)
    async with stream:
        async for chunk in stream:
            if chunk.choices[0].delta.content:
                break

    [record] = await _closed_records(admin)
    await _inject(admin, mode="slow", tokens_per_second=10_000)
    whole = [chunk async for chunk in await _stream(llm)]
    assert (record["status"], record["completed"]) == (499, False)
    assert whole[-1].usage is not None
    assert isinstance(record["completion_tokens"], int)
    assert 0 < record["completion_tokens"] < whole[-1].usage.completion_tokens


async def test_a_hang_delays_the_stream_before_its_first_chunk(
    llm: AsyncOpenAI, admin: httpx.AsyncClient
) -> None:
    await _inject(admin, mode="hang", count=1, seconds=1.5)

    with pytest.raises(openai.APITimeoutError):
        await _stream(llm.with_options(timeout=0.3))


async def test_the_cut_fault_shows_its_words_and_refuses_a_negative_count(
    admin: httpx.AsyncClient,
) -> None:
    await _inject(admin, mode="cut", count=2, words=7)
    refused = await admin.post("/faults", json={"mode": "cut", "words": -1})

    state = (await admin.get("/faults")).json()
    assert (state["mode"], state["remaining"], state["words"]) == ("cut", 2, 7)
    assert refused.status_code == 400
