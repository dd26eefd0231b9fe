"""Reading a comparison as the page does: both sides, their ledgers from the LLM's own log."""

import pytest

from testing.polling import wait_for_async
from web.comparisons.schemas import ComparisonCreate, LedgerSource
from web.comparisons.service import Comparisons
from web.comparisons.temporal_reads import ComparisonNotFound
from worker.main import build_workers

pytestmark = pytest.mark.usefixtures("llm_admin")


async def test_a_finished_comparison_reads_both_ledgers_from_the_llm_log(
    temporal_client, settings, plain_url
):
    settings = settings.model_copy(update={"plain_url": plain_url})
    comparisons = Comparisons(temporal_client, settings)
    async with build_workers(temporal_client, settings):
        started = (
            await comparisons.start(ComparisonCreate(topic="science", max_stories=3))
        ).comparison
        view = await wait_for_async(
            lambda: comparisons.view(started.id),
            90,
            "the comparison finished",
            until=lambda view: view.finished,
        )
    await comparisons.close()

    assert view.ledger_source == LedgerSource.LLM_LOG
    assert view.durable.status == "completed" and view.plain.state == "completed"
    for side in (view.durable, view.plain):
        assert side.ledger.llm_calls == 4
        assert side.ledger.repeated_calls == 0 and side.ledger.lost_tokens == 0
        assert side.ledger.wall_seconds is not None and side.ledger.wall_seconds > 0
    # The same request, the same stories, the same prompts: the same bill.
    assert view.durable.ledger.tokens == view.plain.ledger.tokens > 0
    assert view.plain.briefing is not None


async def test_an_unknown_comparison_is_not_found(temporal_client, settings):
    comparisons = Comparisons(temporal_client, settings)
    with pytest.raises(ComparisonNotFound):
        await comparisons.view("comparison-000000000000")
    with pytest.raises(ComparisonNotFound):
        await comparisons.view("briefing-000000000000")
    await comparisons.close()
