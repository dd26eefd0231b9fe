"""The JSON API of an app on loopback, for the briefing tests."""

from collections.abc import AsyncIterator

import httpx
import pytest

from core.settings import Settings
from testing.servers import serve_in_thread
from web.app import create_app


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    # Async on purpose: the in-process worker shares the test's event loop.
    with serve_in_thread(create_app(settings)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=15) as client:
            yield client
