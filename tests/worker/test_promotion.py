"""A starting worker makes its build current, or leaves the deployment as it is, as told."""

import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import timedelta

import pytest
from temporalio.client import Client

from core.settings import PromoteBuild, Settings
from testing.deployments import current_build
from worker.main import BriefingWorkers, build_workers
from worker.promotion import BuildNotPromoted, promote_build

# Settings of a build, and its workers (not started yet).
Workers = tuple[Settings, AbstractAsyncContextManager[BriefingWorkers]]
Build = Callable[[str, PromoteBuild], Workers]


@pytest.fixture
def build(temporal_client: Client, settings: Settings) -> Build:
    """Workers of one build of a deployment of this test's own, and their settings."""
    deployment = f"test-{uuid.uuid4().hex[:8]}"

    def workers_of(build_id: str, policy: PromoteBuild) -> Workers:
        versioned = settings.model_copy(
            update={
                "worker_versioning": True,
                "deployment_name": deployment,
                "build_id": build_id,
                "promote_build": policy,
            }
        )
        return versioned, build_workers(temporal_client, versioned)

    return workers_of


async def test_the_first_build_of_a_deployment_becomes_current(
    temporal_client: Client, build: Build
) -> None:
    settings, workers = build("A", PromoteBuild.FIRST)
    async with workers:
        await promote_build(temporal_client, settings)
    assert await current_build(temporal_client, settings.deployment_name) == "A"


async def test_first_leaves_a_current_build_current(temporal_client: Client, build: Build) -> None:
    settings_a, workers_a = build("A", PromoteBuild.FIRST)
    settings_b, workers_b = build("B", PromoteBuild.FIRST)
    async with workers_a, workers_b:
        await promote_build(temporal_client, settings_a)
        await promote_build(temporal_client, settings_b)
        assert await current_build(temporal_client, settings_b.deployment_name) == "A"


async def test_always_makes_the_starting_build_current(
    temporal_client: Client, build: Build
) -> None:
    settings_a, workers_a = build("A", PromoteBuild.FIRST)
    settings_b, workers_b = build("B", PromoteBuild.ALWAYS)
    async with workers_a, workers_b:
        await promote_build(temporal_client, settings_a)
        await promote_build(temporal_client, settings_b)
        assert await current_build(temporal_client, settings_b.deployment_name) == "B"
        await promote_build(temporal_client, settings_b)  # a restart of B: nothing to change
        assert await current_build(temporal_client, settings_b.deployment_name) == "B"


async def test_never_leaves_promotion_to_an_operator(temporal_client: Client, build: Build) -> None:
    settings, workers = build("A", PromoteBuild.NEVER)
    async with workers:
        await promote_build(temporal_client, settings)
        assert await current_build(temporal_client, settings.deployment_name) is None


async def test_a_build_the_server_never_sees_is_refused_with_what_to_do(
    temporal_client: Client, build: Build
) -> None:
    settings, _ = build("A", PromoteBuild.ALWAYS)  # its workers never started: no pollers
    with pytest.raises(BuildNotPromoted, match="set-current-version"):
        await promote_build(temporal_client, settings, deadline=timedelta(seconds=1))
