"""A feed that repeats a link under another title still ends in a briefing, not a stuck run."""

import asyncio

from testing.servers import serve_in_thread
from tests.activities.feeds.hostile_servers import create_hostile_app
from tests.workflows.briefings import briefing_request, start_briefing
from worker.main import build_workers
from workflows.models import StepKind

# A run whose workflow task keeps failing never ends: fail the test instead of hanging it.
RESULT_TIMEOUT_SECONDS = 60


async def test_one_link_twice_in_a_feed_is_summarised_once(temporal_client, settings):
    with serve_in_thread(create_hostile_app()) as hostile_url:
        local = settings.model_copy(update={"trusted_feed_hosts": [hostile_url]})
        request = briefing_request(
            local, "anything", sources=[f"{hostile_url}/feeds/one-link-twice.xml"]
        )
        async with build_workers(temporal_client, local):
            handle = await start_briefing(temporal_client, local, request)
            async with asyncio.timeout(RESULT_TIMEOUT_SECONDS):
                result = await handle.result()

    summaries = [step for step in result.progress.steps if step.kind == StepKind.SUMMARIZE]
    assert len(summaries) == 1
    assert result.briefing.markdown
