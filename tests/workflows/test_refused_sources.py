"""A source the SSRF guard refuses is a failed source with a clear reason, not a failed briefing."""

import uuid

from core.settings import Settings
from workflows.briefing import BriefingWorkflow
from workflows.models import BriefingRequest, BriefingResult


async def test_a_source_on_an_untrusted_private_address_fails_as_refused(
    temporal_client, settings: Settings, worker
):
    untrusted = "http://127.0.0.2:8100/feeds/harbour-herald.xml"
    request = BriefingRequest(
        topic="science",
        sources=[*settings.default_sources[:2], untrusted],
        max_stories=3,
        model=settings.llm_model,
    )

    result = await temporal_client.execute_workflow(
        BriefingWorkflow.run,
        request,
        id=f"briefing-test-{uuid.uuid4().hex[:8]}",
        task_queue=settings.task_queue,
        result_type=BriefingResult,
    )

    [failure] = result.progress.failed_sources
    assert failure.url == untrusted
    assert "feed refused: 127.0.0.2 is not an allowed source" in failure.reason
