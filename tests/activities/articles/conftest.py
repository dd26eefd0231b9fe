"""Story pages on loopback, and a canary server that counts every request it gets."""

from collections.abc import Iterator

import pytest

from testing.servers import serve_in_thread
from tests.activities.articles.page_servers import create_canary_app, create_page_app


@pytest.fixture(scope="module")
def pages_url() -> Iterator[str]:
    with serve_in_thread(create_page_app()) as url:
        yield url


@pytest.fixture(scope="module")
def canary_url() -> Iterator[str]:
    with serve_in_thread(create_canary_app()) as url:
        yield url
