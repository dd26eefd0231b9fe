from collections.abc import Iterator

import openai
import pytest
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletionMessageParam

from demo.offline_llm.server import create_app
from testing.servers import serve_in_thread

MODEL = "offline-extractive"
MESSAGES: list[ChatCompletionMessageParam] = [
    {"role": "user", "content": "The barrier opened on Monday. Crowds watched."}
]


@pytest.fixture
def keyed_base_url() -> Iterator[str]:
    with serve_in_thread(create_app(api_key="right-key")) as url:
        yield url


async def test_a_wrong_key_is_refused(keyed_base_url: str) -> None:
    async with AsyncOpenAI(
        base_url=f"{keyed_base_url}/v1", api_key="wrong-key", max_retries=0
    ) as llm:
        with pytest.raises(openai.AuthenticationError) as raised:
            await llm.chat.completions.create(model=MODEL, messages=MESSAGES)

    assert raised.value.code == "invalid_api_key"


async def test_the_configured_key_is_accepted(keyed_base_url: str) -> None:
    async with AsyncOpenAI(
        base_url=f"{keyed_base_url}/v1", api_key="right-key", max_retries=0
    ) as llm:
        completion = await llm.chat.completions.create(model=MODEL, messages=MESSAGES)

    assert completion.choices[0].message.content


async def test_any_key_is_accepted_when_none_is_configured(llm: AsyncOpenAI) -> None:
    completion = await llm.chat.completions.create(model=MODEL, messages=MESSAGES)

    assert completion.choices[0].message.content
