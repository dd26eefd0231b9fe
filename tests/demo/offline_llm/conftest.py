from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from openai import AsyncOpenAI

from demo.offline_llm.server import create_app
from testing.servers import serve_in_thread


@pytest.fixture
def base_url() -> Iterator[str]:
    # A fresh server per test, so faults and the request log never leak between tests.
    with serve_in_thread(create_app()) as url:
        yield url


@pytest.fixture
async def llm(base_url: str) -> AsyncIterator[AsyncOpenAI]:
    async with AsyncOpenAI(base_url=f"{base_url}/v1", api_key="offline", max_retries=0) as client:
        yield client


@pytest.fixture
async def admin(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{base_url}/_admin") as client:
        yield client
