"""How summarize_story reports an LLM endpoint that fails: typed, with the retry advice it needs."""

from datetime import timedelta

import httpx
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.errors import LLMError
from activities.llm.client import build_openai_client
from activities.models import SummarizeInput
from activities.summarize import SummarizeActivities
from tests.activities.stories import CHIP_PLANT, MODEL


async def summarize_through(
    activity_environment: ActivityEnvironment,
    base_url: str,
    *,
    api_key: str = "offline",
    timeout: float = 10.0,
) -> None:
    client = build_openai_client(api_key=api_key, base_url=f"{base_url}/v1", timeout=timeout)
    request = SummarizeInput(topic="technology", story=CHIP_PLANT, model=MODEL)
    async with client:
        await activity_environment.run(SummarizeActivities(client).summarize_story, request)


async def test_a_rate_limit_is_retryable_after_the_servers_retry_after(
    activity_environment: ActivityEnvironment, llm_url: str, llm_admin: httpx.Client
) -> None:
    fault = {"mode": "rate_limit", "seconds": 7, "count": 1}
    llm_admin.post("/faults", json=fault).raise_for_status()

    with pytest.raises(ApplicationError) as raised:
        await summarize_through(activity_environment, llm_url)

    assert raised.value.type == LLMError.RATE_LIMITED
    assert not raised.value.non_retryable
    assert raised.value.next_retry_delay == timedelta(seconds=7)


async def test_a_server_error_is_a_retryable_llm_server_error(
    activity_environment: ActivityEnvironment, llm_url: str, llm_admin: httpx.Client
) -> None:
    llm_admin.post("/faults", json={"mode": "error", "count": 1}).raise_for_status()

    with pytest.raises(ApplicationError) as raised:
        await summarize_through(activity_environment, llm_url)

    assert raised.value.type == LLMError.SERVER
    assert not raised.value.non_retryable


async def test_an_answer_slower_than_the_client_timeout_is_a_retryable_llm_timeout(
    activity_environment: ActivityEnvironment, llm_url: str, llm_admin: httpx.Client
) -> None:
    llm_admin.post("/faults", json={"mode": "hang", "seconds": 2, "count": 1}).raise_for_status()

    with pytest.raises(ApplicationError) as raised:
        await summarize_through(activity_environment, llm_url, timeout=0.5)

    assert raised.value.type == LLMError.TIMEOUT
    assert not raised.value.non_retryable


async def test_a_wrong_api_key_is_a_non_retryable_authentication_failure_naming_the_setting(
    activity_environment: ActivityEnvironment, keyed_llm_url: str
) -> None:
    with pytest.raises(ApplicationError) as raised:
        await summarize_through(activity_environment, keyed_llm_url, api_key="a-wrong-key")

    assert raised.value.type == LLMError.AUTHENTICATION
    assert raised.value.non_retryable
    assert "401" in raised.value.message
    assert "OPENAI_API_KEY" in raised.value.message


async def test_a_closed_port_is_a_retryable_llm_unreachable_error(
    activity_environment: ActivityEnvironment, closed_port_url: str
) -> None:
    with pytest.raises(ApplicationError) as raised:
        await summarize_through(activity_environment, closed_port_url)

    assert raised.value.type == LLMError.UNREACHABLE
    assert not raised.value.non_retryable
