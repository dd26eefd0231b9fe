"""Activities in an ActivityEnvironment against the real newsroom and offline LLM on loopback."""

import socket
from collections.abc import AsyncIterator, Iterator

import pytest
from openai import AsyncOpenAI
from temporalio.testing import ActivityEnvironment

from activities.feeds.address_guard import AddressGuard
from activities.fetch import FeedFetcher
from activities.llm.client import build_openai_client
from demo.newsroom.server import create_app as create_newsroom
from demo.offline_llm.server import create_app as create_offline_llm
from testing.servers import serve_in_thread
from tests.activities.feeds.crowded_feeds import write_crowded_content
from tests.activities.feeds.hostile_servers import create_hostile_app

LLM_TIMEOUT_SECONDS = 10.0
THE_RIGHT_KEY = "the-right-key"


@pytest.fixture
def activity_environment() -> ActivityEnvironment:
    return ActivityEnvironment()


@pytest.fixture
def newsroom_guard(newsroom_url: str) -> AddressGuard:
    """The SSRF guard as the worker builds it: the loopback newsroom is a configured source."""
    return AddressGuard([newsroom_url])


@pytest.fixture
def newsroom_fetcher(newsroom_url: str) -> FeedFetcher:
    return FeedFetcher([newsroom_url])


@pytest.fixture
async def llm_client(llm_url: str) -> AsyncIterator[AsyncOpenAI]:
    client = build_openai_client(
        api_key="offline", base_url=f"{llm_url}/v1", timeout=LLM_TIMEOUT_SECONDS
    )
    async with client:
        yield client


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL nothing listens on: the port was free a moment ago and is closed again."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def keyed_llm_url() -> Iterator[str]:
    """An offline LLM that answers 401 to any key but THE_RIGHT_KEY."""
    with serve_in_thread(create_offline_llm(api_key=THE_RIGHT_KEY)) as url:
        yield url


@pytest.fixture(scope="module")
def crowded_newsroom_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    content = write_crowded_content(tmp_path_factory.mktemp("crowded"))
    with serve_in_thread(create_newsroom(content_dir=content)) as url:
        yield url


@pytest.fixture(scope="module")
def hostile_url() -> Iterator[str]:
    with serve_in_thread(create_hostile_app()) as url:
        yield url
