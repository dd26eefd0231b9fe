from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest

from core.settings import Settings
from plain_agent.server import build_agent, create_app
from testing.servers import serve_in_thread
from testing.temporal_dev import free_port

PlainServer = Callable[[], AbstractContextManager[str]]


@pytest.fixture
def plain_port() -> int:
    return free_port()


@pytest.fixture
def plain_server(settings: Settings, plain_port: int) -> PlainServer:
    """Starts a fresh plain agent process-alike on one port: a restart forgets every run."""

    def start() -> AbstractContextManager[str]:
        app = create_app(build_agent(settings), allowed_hosts=settings.host_names)
        return serve_in_thread(app, port=plain_port)

    return start


@pytest.fixture
def plain_url(plain_server: PlainServer) -> Iterator[str]:
    with plain_server() as url:
        yield url
