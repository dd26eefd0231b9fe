from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from demo.newsroom.server import create_app
from testing.servers import serve_in_thread
from tests.demo.newsroom.content_files import (
    REPORT_SLUG,
    one_story_per_outlet,
    story_record,
    write_content,
)


@pytest.fixture(scope="session")
def packaged_newsroom_url() -> Iterator[str]:
    """A newsroom serving the real packaged stories, shared by read-only tests."""
    with serve_in_thread(create_app()) as base_url:
        yield base_url


@pytest.fixture
def packaged_newsroom(packaged_newsroom_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=packaged_newsroom_url, timeout=10) as client:
        yield client


@pytest.fixture
def fixture_content(tmp_path: Path) -> Path:
    return one_story_per_outlet(tmp_path / "content")


@pytest.fixture
def newsroom(fixture_content: Path) -> Iterator[httpx.Client]:
    """A fresh newsroom of one small story per outlet, with its own fault table."""
    with serve_in_thread(create_app(content_dir=fixture_content)) as base_url:
        with httpx.Client(base_url=base_url, timeout=10) as client:
            yield client


@pytest.fixture
def newsroom_with_report(fixture_content: Path) -> Iterator[httpx.Client]:
    """The fixture newsroom with a research report (a PDF) at harbour-herald as well."""
    write_content(fixture_content, "reports.json", [story_record(REPORT_SLUG, link="pdf")])
    with serve_in_thread(create_app(content_dir=fixture_content)) as base_url:
        with httpx.Client(base_url=base_url, timeout=10) as client:
            yield client
