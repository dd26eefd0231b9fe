import httpx
import openai
import pytest
from openai import AsyncOpenAI

from tests.demo.offline_llm.stories import chat_messages

MODEL = "offline-extractive"
MESSAGES = chat_messages("<article>The barrier opened. Crowds watched it rise.</article>")


async def _complete(llm: AsyncOpenAI) -> str | None:
    completion = await llm.chat.completions.create(model=MODEL, messages=MESSAGES)
    return completion.choices[0].message.content


async def _inject(admin: httpx.AsyncClient, **fault: object) -> None:
    response = await admin.post("/faults", json=fault)
    response.raise_for_status()


async def test_rate_limit_answers_429_with_retry_after_for_count_calls(
    llm: AsyncOpenAI, admin: httpx.AsyncClient
) -> None:
    await _inject(admin, mode="rate_limit", count=2, seconds=7)

    for _ in range(2):
        with pytest.raises(openai.RateLimitError) as raised:
            await _complete(llm)
        assert raised.value.response.headers["retry-after"] == "7"
        assert raised.value.code == "rate_limit_exceeded"

    assert await _complete(llm)


async def test_error_answers_500(llm: AsyncOpenAI, admin: httpx.AsyncClient) -> None:
    await _inject(admin, mode="error", count=1)

    with pytest.raises(openai.InternalServerError):
        await _complete(llm)
    assert await _complete(llm)


async def test_hang_outlasts_a_short_client_timeout(
    llm: AsyncOpenAI, admin: httpx.AsyncClient
) -> None:
    await _inject(admin, mode="hang", count=1, seconds=1.5)

    with pytest.raises(openai.APITimeoutError):
        await llm.with_options(timeout=0.3).chat.completions.create(model=MODEL, messages=MESSAGES)


async def test_a_fault_without_count_lasts_until_reset(
    llm: AsyncOpenAI, admin: httpx.AsyncClient
) -> None:
    await _inject(admin, mode="error", count=None)
    for _ in range(3):
        with pytest.raises(openai.InternalServerError):
            await _complete(llm)

    (await admin.delete("/faults")).raise_for_status()

    assert await _complete(llm)


async def test_the_fault_state_is_readable(admin: httpx.AsyncClient) -> None:
    await _inject(admin, mode="rate_limit", count=3, seconds=2)
    await _inject(admin, mode="slow", tokens_per_second=5)

    state = (await admin.get("/faults")).json()

    assert state["mode"] == "rate_limit"
    assert state["remaining"] == 3
    assert state["seconds"] == 2
    assert state["tokens_per_second"] == 5


async def test_reset_restores_the_configured_pace(admin: httpx.AsyncClient) -> None:
    await _inject(admin, mode="slow", tokens_per_second=5)

    state = (await admin.delete("/faults")).json()

    assert state["mode"] is None
    assert state["tokens_per_second"] == state["default_tokens_per_second"] == 0


@pytest.mark.parametrize(
    "fault",
    [{"mode": "explode"}, {"mode": "slow"}, {"mode": "error", "count": 0}],
    ids=["unknown mode", "slow without pace", "zero count"],
)
async def test_a_malformed_fault_is_refused_in_openai_format(
    admin: httpx.AsyncClient, fault: dict[str, object]
) -> None:
    response = await admin.post("/faults", json=fault)

    assert response.status_code == httpx.codes.BAD_REQUEST
    assert response.json()["error"]["type"] == "invalid_request_error"


@pytest.mark.parametrize("seconds", [601, 1e308, "Infinity", "NaN"])
async def test_a_fault_longer_than_ten_minutes_is_refused_and_nothing_is_armed(
    llm: AsyncOpenAI, admin: httpx.AsyncClient, seconds: object
) -> None:
    answer = await admin.post("/faults", json={"mode": "hang", "seconds": seconds})

    assert answer.status_code == 400
    assert (await admin.get("/faults")).json()["mode"] is None
    assert await _complete(llm)
