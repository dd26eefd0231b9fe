"""The plain column from what is known of it: Temporal's record wins over this web's memory."""

from datetime import UTC, datetime

from activities.llm_log import LlmCalls
from activities.models import Briefing, TokenUsage
from activities.plain_runs.models import PlainRunOutcome, PlainRunSnapshot, PlainRunState
from plain_agent.views import PlainRunView
from web.comparisons.plain_reader import PlainRunMemory
from web.comparisons.plain_side import plain_side
from workflows.comparison_models import AfterCrash, ComparisonState, PlainRun
from workflows.models import BriefingProgress

NOW = datetime(2026, 1, 1, tzinfo=UTC)
RUN = "comparison-000000000001-plain-1"


def briefing() -> Briefing:
    return Briefing(
        topic="tech",
        title="Briefing: tech",
        lead="The lead.",
        sections=[],
        markdown="",
        models=[],
        offline_extractive=True,
        generated_at=NOW,
        usage=TokenUsage(),
    )


def test_a_completed_run_shows_the_briefing_its_watcher_saw_not_this_webs_older_sight():
    finished = PlainRunSnapshot(
        run_id=RUN, state=PlainRunState.COMPLETED, started_at=NOW, briefing=briefing()
    )
    state = ComparisonState(
        topic="tech",
        durable_id="briefing-x",
        after_crash=AfterCrash.LOST,
        started_at=NOW,
        plain_runs=[
            PlainRun(
                run_id=RUN,
                started_at=NOW,
                outcome=PlainRunOutcome(
                    run_id=RUN, state=PlainRunState.COMPLETED, last_seen=finished
                ),
            )
        ],
    )
    memory = PlainRunMemory()
    # This web last read the run half-way through, before it finished.
    memory.remember(
        PlainRunView(
            run_id=RUN,
            state=PlainRunState.RUNNING,
            started_at=NOW,
            progress=BriefingProgress(topic="tech"),
        )
    )

    side = plain_side(state, RUN, None, memory, LlmCalls(available=False))

    assert side.state == "completed"
    assert side.briefing is not None and side.briefing.title == "Briefing: tech"
