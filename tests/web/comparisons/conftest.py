"""A comparison needs the plain agent too: settings that point at one, and a worker for both."""

from collections.abc import AsyncIterator

import pytest
from temporalio.client import Client

from core.settings import Settings
from worker.main import BriefingWorkers, build_workers


@pytest.fixture
def comparison_settings(settings: Settings, plain_url: str) -> Settings:
    return settings.model_copy(update={"plain_url": plain_url})


@pytest.fixture
async def comparison_worker(
    temporal_client: Client, comparison_settings: Settings
) -> AsyncIterator[BriefingWorkers]:
    async with build_workers(temporal_client, comparison_settings) as running:
        yield running
