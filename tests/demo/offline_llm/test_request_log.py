import asyncio
import hashlib
import json
from collections.abc import Callable

import httpx
import openai
import pytest
from openai import AsyncOpenAI

from testing.polling import wait_for_async
from tests.demo.offline_llm.stories import BUDGET_STORY, BUDGET_TITLE, chat_messages, story_prompt

MODEL = "offline-extractive"
MESSAGES = chat_messages(story_prompt(BUDGET_STORY, title=BUDGET_TITLE, topic="energy"))
WAIT_SECONDS = 5.0


def _fingerprint(messages: object) -> str:
    canonical = json.dumps(messages, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


async def _log(admin: httpx.AsyncClient) -> list[dict[str, object]]:
    response = await admin.get("/requests")
    response.raise_for_status()
    return response.json()


async def _inject(admin: httpx.AsyncClient, **fault: object) -> None:
    (await admin.post("/faults", json=fault)).raise_for_status()


async def _wait_for_records(
    admin: httpx.AsyncClient, ready: Callable[[list[dict[str, object]]], bool]
) -> list[dict[str, object]]:
    return await wait_for_async(
        lambda: _log(admin), WAIT_SECONDS, "the awaited log records", until=ready, interval=0.02
    )


async def test_a_successful_call_is_logged_with_fingerprint_title_and_status(
    llm: AsyncOpenAI, admin: httpx.AsyncClient
) -> None:
    await llm.chat.completions.create(model=MODEL, messages=MESSAGES)

    [record] = await _log(admin)
    assert record["fingerprint"] == _fingerprint(MESSAGES)
    assert record["title"] == BUDGET_TITLE
    assert record["status"] == 200
    assert isinstance(record["duration_ms"], float)


async def test_a_failed_call_is_logged_with_its_status(
    llm: AsyncOpenAI, admin: httpx.AsyncClient
) -> None:
    await _inject(admin, mode="error", count=1)
    with pytest.raises(openai.InternalServerError):
        await llm.chat.completions.create(model=MODEL, messages=MESSAGES)
    await llm.chat.completions.create(model=MODEL, messages=MESSAGES)

    records = await _log(admin)
    assert [record["status"] for record in records] == [500, 200]
    assert [record["seq"] for record in records] == [1, 2]
    assert {record["fingerprint"] for record in records} == {_fingerprint(MESSAGES)}


async def test_a_call_in_flight_is_logged_without_status(
    llm: AsyncOpenAI, admin: httpx.AsyncClient
) -> None:
    await _inject(admin, mode="hang", count=1, seconds=1)
    call = asyncio.create_task(llm.chat.completions.create(model=MODEL, messages=MESSAGES))

    [in_flight] = await _wait_for_records(admin, lambda records: len(records) == 1)
    assert in_flight["status"] is None
    assert in_flight["duration_ms"] is None

    await call
    assert (await _log(admin))[0]["status"] == 200


async def test_a_call_the_client_gave_up_on_is_logged_as_499(
    llm: AsyncOpenAI, admin: httpx.AsyncClient
) -> None:
    await _inject(admin, mode="hang", count=1, seconds=0.5)
    with pytest.raises(openai.APITimeoutError):
        await llm.with_options(timeout=0.1).chat.completions.create(model=MODEL, messages=MESSAGES)

    [record] = await _wait_for_records(admin, lambda records: records[0]["status"] is not None)
    assert record["status"] == 499


async def test_clearing_the_log_empties_it(llm: AsyncOpenAI, admin: httpx.AsyncClient) -> None:
    await llm.chat.completions.create(model=MODEL, messages=MESSAGES)

    (await admin.delete("/requests")).raise_for_status()

    assert await _log(admin) == []
