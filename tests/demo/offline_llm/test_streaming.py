"""`stream: true` answers as OpenAI streams: chat.completion.chunk events, word by word."""

import json
import re

import httpx
import openai
import pytest
from openai import AsyncOpenAI

from tests.demo.offline_llm.stories import BUDGET_STORY, BUDGET_TITLE, chat_messages, story_prompt

MODEL = "offline-extractive"
MESSAGES = chat_messages(story_prompt(BUDGET_STORY, title=BUDGET_TITLE, topic="energy"))
WORD = re.compile(r"\S+\s*")


def stream_body(*, include_usage: bool) -> dict[str, object]:
    body: dict[str, object] = {"model": MODEL, "messages": MESSAGES, "stream": True}
    if include_usage:
        body["stream_options"] = {"include_usage": True}
    return body


async def raw_events(base_url: str, body: dict[str, object]) -> tuple[httpx.Response, list[str]]:
    """The response and the `data:` of each event, as sent."""
    async with (
        httpx.AsyncClient() as http,
        http.stream("POST", f"{base_url}/v1/chat/completions", json=body) as response,
    ):
        lines = [line async for line in response.aiter_lines()]
    assert all(line.startswith("data: ") for line in lines if line)
    return response, [line.removeprefix("data: ") for line in lines if line]


async def unstreamed(llm: AsyncOpenAI) -> tuple[str, dict[str, int]]:
    completion = await llm.chat.completions.create(model=MODEL, messages=MESSAGES)
    assert completion.choices[0].message.content and completion.usage
    usage = completion.usage.model_dump(include={"prompt_tokens", "completion_tokens"})
    return completion.choices[0].message.content, usage


async def test_a_stream_is_an_event_stream_of_chunks_ending_in_done(base_url: str) -> None:
    response, events = await raw_events(base_url, stream_body(include_usage=False))

    assert response.headers["content-type"].startswith("text/event-stream")
    assert events[-1] == "[DONE]"
    chunks = [json.loads(event) for event in events[:-1]]
    assert {chunk["object"] for chunk in chunks} == {"chat.completion.chunk"}
    assert len({chunk["id"] for chunk in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert chunks[-1]["choices"] == [
        {"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}
    ]
    assert all("usage" not in chunk for chunk in chunks)


async def test_the_content_comes_word_by_word_and_adds_up_to_the_unstreamed_answer(
    base_url: str, llm: AsyncOpenAI
) -> None:
    _, events = await raw_events(base_url, stream_body(include_usage=False))

    deltas = [json.loads(event)["choices"][0]["delta"] for event in events[1:-2]]
    words = [delta["content"] for delta in deltas]
    answer, _ = await unstreamed(llm)
    assert all(WORD.fullmatch(word) for word in words)
    assert "".join(words) == answer
    assert len(words) == len(answer.split())


async def test_include_usage_adds_a_last_chunk_with_the_usage_and_no_choices(
    base_url: str, llm: AsyncOpenAI
) -> None:
    _, events = await raw_events(base_url, stream_body(include_usage=True))

    chunks = [json.loads(event) for event in events[:-1]]
    assert chunks[-1]["choices"] == []
    assert all(chunk["usage"] is None for chunk in chunks[:-1])
    _, usage = await unstreamed(llm)
    last = chunks[-1]["usage"]
    assert {key: last[key] for key in usage} == usage
    assert last["total_tokens"] == last["prompt_tokens"] + last["completion_tokens"]


async def test_the_openai_client_reads_the_stream_with_its_usage(llm: AsyncOpenAI) -> None:
    stream = await llm.chat.completions.create(
        model=MODEL, messages=MESSAGES, stream=True, stream_options={"include_usage": True}
    )
    chunks = [chunk async for chunk in stream]

    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    answer, usage = await unstreamed(llm)
    assert text == answer
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.model_dump(include=set(usage)) == usage


async def test_faults_before_the_answer_are_json_errors_not_streams(
    llm: AsyncOpenAI, admin: httpx.AsyncClient
) -> None:
    (
        await admin.post("/faults", json={"mode": "rate_limit", "count": 1, "seconds": 3})
    ).raise_for_status()

    with pytest.raises(openai.RateLimitError) as raised:
        await llm.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True)

    assert raised.value.response.headers["retry-after"] == "3"
    assert raised.value.response.headers["content-type"] == "application/json"
