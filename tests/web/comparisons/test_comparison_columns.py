"""A column's steps as the page draws them: the words of a step under way, inside that step."""

from activities.llm.live_text import LostAttempt
from core.domain import RunStatus
from web.comparisons.models import durable_column
from web.comparisons.schemas import DurableSide, SideLedger
from web.live.writing import Writing
from web.page_context import render_html
from workflows.models import StepKind, StepProgress, StepState

STEP = "summarize-story-1"


def durable(steps: list[StepProgress], writing: dict[str, Writing]) -> DurableSide:
    return DurableSide(
        id="briefing-x",
        url="/briefings/briefing-x",
        status=RunStatus.RUNNING,
        steps=steps,
        writing=writing,
        ledger=SideLedger(),
    )


def test_a_retried_summary_shows_the_words_its_lost_attempt_wrote_then_the_new_ones():
    retrying = StepProgress(
        id=STEP, kind=StepKind.SUMMARIZE, label="A story", state=StepState.RETRYING, attempt=2
    )
    lost = LostAttempt(attempt=1, text="Marine archaeologists have found a")
    writing = Writing(STEP, 2, "Marine archaeologists", None, (lost,))

    html = render_html(
        "partials/comparisons/_column.html",
        column=durable_column(durable([retrying], writing={STEP: writing})),
    )

    step = html[html.index(f'id="step-{STEP}"') : html.index("</li>")]
    assert "<s>Marine archaeologists have found a</s>" in step
    assert "attempt 1 lost after 5 words" in step
    assert (
        '<p class="step-text step-text-writing" data-attempt="2">Marine archaeologists</p>' in step
    )


def test_a_done_summary_shows_its_result_not_words_read_while_it_ran():
    done = StepProgress(
        id=STEP, kind=StepKind.SUMMARIZE, label="A story", state=StepState.DONE, text="The end."
    )
    stale = Writing(STEP, 1, "The", None, ())

    html = render_html(
        "partials/comparisons/_column.html", column=durable_column(durable([done], {STEP: stale}))
    )

    assert '<p class="step-text">The end.</p>' in html and "step-text-writing" not in html
