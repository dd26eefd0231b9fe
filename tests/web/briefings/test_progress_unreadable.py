"""A briefing whose worker answers the progress query with a failure reads as starting, not 500."""

from temporalio import workflow

# The sandbox re-imports this module for the workflow below: the rest is passed through.
with workflow.unsafe.imports_passed_through():
    import httpx
    from temporalio.client import Client

    from core.settings import Settings
    from worker.main import build_workers
    from workflows.briefing import BriefingWorkflow
    from workflows.models import BriefingRequest, BriefingResult


@workflow.defn(name="BriefingWorkflow")
class BriefingThatNeverBegins(BriefingWorkflow):
    """The real workflow's query before its steps exist, held there (as a build that waits
    before its first step holds it briefly)."""

    @workflow.run
    async def run(self, request: BriefingRequest) -> BriefingResult:
        await workflow.wait_condition(lambda: False)
        return await super().run(request)


async def test_a_failed_progress_query_shows_a_running_briefing_without_steps(
    api: httpx.AsyncClient, temporal_client: Client, settings: Settings
) -> None:
    async with build_workers(temporal_client, settings, workflows=[BriefingThatNeverBegins]):
        created = (await api.post("/api/briefings", json={"topic": "science"})).json()
        answered = await api.get(created["url"])
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert body["status"] == "running"
    assert body["steps"] is None
    assert body["progress_note"] is None  # a worker answered: it is not offline
