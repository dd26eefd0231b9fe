"""complete() streams the answer: the whole text as its result, the growing text on the way."""

import asyncio
from collections.abc import Iterator
from itertools import pairwise

import httpx
import pytest
from openai import AsyncOpenAI
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.errors import LLMError
from activities.llm.client import Completion, build_openai_client, complete
from activities.llm.prompts import story_summary_messages
from testing.polling import wait_for_async
from testing.servers import serve_in_thread
from tests.activities.llm.canned_streams import (
    ENDS_EARLY,
    ERROR_EVENT,
    WITHOUT_USAGE,
    WORDS,
    create_canned_streams,
)
from tests.activities.stories import CHIP_PLANT, MODEL

MESSAGES = story_summary_messages(
    topic="technology", title=CHIP_PLANT.title, text=CHIP_PLANT.excerpt
)
WAIT_SECONDS = 5.0
# Slow enough that the answer is still being written when the test acts on its first words.
SLOW_TOKENS_PER_SECOND = 10


@pytest.fixture
def canned_url() -> Iterator[str]:
    with serve_in_thread(create_canned_streams()) as url:
        yield url


async def complete_in_activity(
    activity_environment: ActivityEnvironment,
    client: AsyncOpenAI,
    *,
    model: str = MODEL,
    seen: list[str] | None = None,
) -> Completion:
    async def summarise() -> Completion:
        on_delta = seen.append if seen is not None else None
        return await complete(client, model=model, messages=MESSAGES, on_delta=on_delta)

    return await activity_environment.run(summarise)


async def closed_log(llm_admin: httpx.Client) -> list[dict[str, object]]:
    async def read() -> list[dict[str, object]]:
        return llm_admin.get("/requests").raise_for_status().json()

    return await wait_for_async(
        read,
        WAIT_SECONDS,
        "the call's record closed",
        until=lambda records: bool(records) and records[-1]["status"] is not None,
    )


async def test_on_delta_sees_the_text_grow_to_the_whole_answer(
    activity_environment: ActivityEnvironment, llm_client: AsyncOpenAI
) -> None:
    seen: list[str] = []

    completion = await complete_in_activity(activity_environment, llm_client, seen=seen)

    assert len(seen) > 1
    assert all(later.startswith(earlier) and later != earlier for earlier, later in pairwise(seen))
    assert seen[-1].strip() == completion.text


async def test_the_streamed_call_is_logged_with_the_usage_it_returns(
    activity_environment: ActivityEnvironment, llm_client: AsyncOpenAI, llm_admin: httpx.Client
) -> None:
    completion = await complete_in_activity(activity_environment, llm_client)

    [record] = await closed_log(llm_admin)
    assert (record["streamed"], record["status"], record["completed"]) == (True, 200, True)
    assert record["prompt_tokens"] == completion.usage.prompt_tokens > 0
    assert record["completion_tokens"] == completion.usage.completion_tokens > 0


async def test_a_stream_cut_mid_answer_is_a_retryable_error_saying_how_far_it_got(
    activity_environment: ActivityEnvironment, llm_client: AsyncOpenAI, llm_admin: httpx.Client
) -> None:
    llm_admin.post("/faults", json={"mode": "cut", "count": 1, "words": 5}).raise_for_status()
    seen: list[str] = []

    with pytest.raises(ApplicationError) as raised:
        await complete_in_activity(activity_environment, llm_client, seen=seen)

    assert raised.value.type == LLMError.BROKEN_OFF
    assert not raised.value.non_retryable
    assert "broke off after 5 words" in raised.value.message
    assert len(seen[-1].split()) == 5


async def test_a_cancelled_call_closes_its_stream_mid_answer(
    activity_environment: ActivityEnvironment, llm_client: AsyncOpenAI, llm_admin: httpx.Client
) -> None:
    slow = {"mode": "slow", "tokens_per_second": SLOW_TOKENS_PER_SECOND}
    llm_admin.post("/faults", json=slow).raise_for_status()
    seen: list[str] = []
    call = asyncio.create_task(complete_in_activity(activity_environment, llm_client, seen=seen))
    await wait_for_async(lambda: asyncio.sleep(0, seen), WAIT_SECONDS, "a first word", until=bool)

    activity_environment.cancel()

    with pytest.raises(asyncio.CancelledError):
        await call
    [record] = await closed_log(llm_admin)
    assert (record["status"], record["completed"]) == (499, False)


async def test_without_a_usage_chunk_the_text_stands_and_no_tokens_are_counted(
    activity_environment: ActivityEnvironment, canned_url: str
) -> None:
    async with build_openai_client(api_key="x", base_url=f"{canned_url}/v1", timeout=5) as client:
        completion = await complete_in_activity(activity_environment, client, model=WITHOUT_USAGE)

    assert completion.text == "".join(WORDS)
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (0, 0)


@pytest.mark.parametrize("model", [ENDS_EARLY, ERROR_EVENT], ids=["ends early", "error event"])
async def test_a_stream_ending_without_its_finish_is_a_retryable_broken_off_answer(
    activity_environment: ActivityEnvironment, canned_url: str, model: str
) -> None:
    async with build_openai_client(api_key="x", base_url=f"{canned_url}/v1", timeout=5) as client:
        with pytest.raises(ApplicationError) as raised:
            await complete_in_activity(activity_environment, client, model=model)

    assert raised.value.type == LLMError.BROKEN_OFF
    assert not raised.value.non_retryable
    assert "after 2 words" in raised.value.message
