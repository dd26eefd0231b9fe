"""A comparison whose worker answers the state query with a failure reads from its start's
memo, as with no worker at all, rather than failing the page."""

import pytest
from temporalio import workflow

# The sandbox re-imports this module for the workflow below: the rest is passed through.
with workflow.unsafe.imports_passed_through():
    from temporalio.client import Client, WorkflowQueryFailedError

    from core.settings import Settings
    from tests.web.page_client import browser
    from worker.main import build_workers
    from workflows.comparison import ComparisonWorkflow
    from workflows.comparison_models import ComparisonRequest, ComparisonState

pytestmark = pytest.mark.usefixtures("llm_admin")


@workflow.defn(name="ComparisonWorkflow")
class ComparisonThatNeverBegins(ComparisonWorkflow):
    """The real workflow's query before its state exists, held there (as a build that waits
    before its first step would hold it)."""

    @workflow.run
    async def run(self, request: ComparisonRequest) -> ComparisonState:
        await workflow.wait_condition(lambda: False)
        return await super().run(request)


async def test_a_failed_state_query_shows_the_comparison_from_its_start(
    temporal_client: Client, comparison_settings: Settings
) -> None:
    workers = build_workers(
        temporal_client, comparison_settings, workflows=[ComparisonThatNeverBegins]
    )
    async with workers, browser(comparison_settings) as web:
        created = (
            await web.post("/api/comparisons", json={"topic": "science", "after_crash": "rerun"})
        ).json()
        handle = temporal_client.get_workflow_handle(created["id"])
        with pytest.raises(WorkflowQueryFailedError):  # what the page reads meets
            await handle.query(ComparisonWorkflow.state)
        answered = await web.get(created["url"])
        page = await web.get(f"/comparisons/{created['id']}")
        await handle.terminate()
    assert answered.status_code == 200, answered.text
    view = answered.json()
    assert (view["topic"], view["after_crash"], view["finished"]) == ("science", "rerun", False)
    assert view["durable"]["id"] == created["durable_id"]
    assert page.status_code == 200
