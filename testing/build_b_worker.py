"""`python -m testing.build_b_worker`: a worker of a second build, whose BriefingWorkflow waits
on a timer before it does anything else.

A history recorded by the real workflow cannot replay on this one (its first command is a timer,
not a feed download): the change a `patched` branch would be needed for, were briefings not
pinned to the build that started them (tests/stack/test_deploy_versions.py).
"""

import asyncio
import logging
import os
from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from core.settings import get_settings
    from worker.deployment import workflows_digest
    from worker.main import run_worker
    from workflows.briefing import BriefingWorkflow
    from workflows.comparison import ComparisonWorkflow
    from workflows.models import BriefingRequest, BriefingResult

# Short: the briefing it delays is the test's, waited for.
BUILD_B_PAUSE = timedelta(milliseconds=100)


def build_b_id() -> str:
    """The sources of the workflows are the same as build A's: the change lives here."""
    return f"{workflows_digest()}-b"


@workflow.defn(name="BriefingWorkflow")
class BriefingWorkflowB(BriefingWorkflow):
    @workflow.run
    async def run(self, request: BriefingRequest) -> BriefingResult:
        await workflow.sleep(BUILD_B_PAUSE)
        return await super().run(request)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = get_settings()
    settings = settings.model_copy(update={"build_id": settings.build_id or build_b_id()})
    asyncio.run(run_worker(settings, workflows=[BriefingWorkflowB, ComparisonWorkflow]))
    # As `briefing worker` leaves: the client's bridge threads may abort interpreter teardown.
    os._exit(0)


if __name__ == "__main__":
    main()
