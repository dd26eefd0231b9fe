import time

import httpx
from openai import AsyncOpenAI

from demo.offline_llm.server import create_app
from testing.servers import serve_in_thread
from tests.demo.offline_llm.stories import BUDGET_STORY, BUDGET_TITLE, chat_messages, story_prompt

MODEL = "offline-extractive"
MESSAGES = chat_messages(story_prompt(BUDGET_STORY, title=BUDGET_TITLE, topic="energy"))
# Timers and scheduling may round a little; only a clearly short call is a failure.
TOLERANCE = 0.9


async def _timed_completion(llm: AsyncOpenAI) -> tuple[float, int]:
    started = time.monotonic()
    completion = await llm.chat.completions.create(model=MODEL, messages=MESSAGES)
    elapsed = time.monotonic() - started
    assert completion.usage is not None
    return elapsed, completion.usage.completion_tokens


async def test_answers_take_at_least_completion_tokens_over_the_configured_pace() -> None:
    tokens_per_second = 100.0
    with serve_in_thread(create_app(tokens_per_second=tokens_per_second)) as base_url:
        async with AsyncOpenAI(base_url=f"{base_url}/v1", api_key="x", max_retries=0) as llm:
            elapsed, completion_tokens = await _timed_completion(llm)

    assert elapsed >= TOLERANCE * completion_tokens / tokens_per_second


async def test_the_slow_fault_sets_the_pace(llm: AsyncOpenAI, admin: httpx.AsyncClient) -> None:
    tokens_per_second = 80.0
    response = await admin.post("/faults", json={"mode": "slow", "tokens_per_second": 80})
    response.raise_for_status()

    elapsed, completion_tokens = await _timed_completion(llm)

    assert elapsed >= TOLERANCE * completion_tokens / tokens_per_second
