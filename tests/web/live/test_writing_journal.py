"""What the journal keeps of the text each LLM step is writing, and when it lets go of it."""

from activities.llm.live_text import LostAttempt
from activities.models import TokenUsage
from web.live.journal import EventJournal
from web.live.liveness import Liveness
from web.live.writing import Writing
from workflows.models import BriefingStatus, ProgressEvent, StepKind, StepProgress, StepState

STEP = "summarize-1"


def record(journal: EventJournal, state: StepState, kind: StepKind = StepKind.SUMMARIZE) -> None:
    version = len(journal.entries) + 1
    step = StepProgress(id=STEP, kind=kind, label="A story", state=state, attempt=1)
    event = ProgressEvent(
        version=version, step=step, status=BriefingStatus.RUNNING, usage=TokenUsage()
    )
    journal.record(event, None, Liveness.LIVE)


def writing(text: str, attempt: int = 1, lost: tuple[LostAttempt, ...] = ()) -> Writing:
    return Writing(STEP, attempt, text, None, lost)


def test_a_running_steps_text_is_kept_replaced_as_it_grows_and_dropped_when_done():
    journal = EventJournal("b")
    record(journal, StepState.RUNNING)
    journal.publish_writing({STEP: writing("One two")})
    first = journal.writing[STEP]
    journal.publish_writing({STEP: writing("One two")})
    assert journal.writing[STEP] is first  # the same text: nothing new to send
    journal.publish_writing({STEP: writing("One two three")})
    assert journal.writing[STEP] is not first
    assert '"words": 3' in journal.writing[STEP].event.json()
    record(journal, StepState.DONE)
    assert STEP not in journal.writing
    journal.publish_writing({STEP: writing("One two three four")})  # a describe that came late
    assert STEP not in journal.writing


def test_only_llm_steps_under_way_write():
    journal = EventJournal("b")
    record(journal, StepState.RUNNING, kind=StepKind.READ)
    assert not journal.writing_under_way
    journal.publish_writing({STEP: writing("Not a summary")})
    assert journal.writing == {}


def test_a_retrying_step_shows_what_its_failed_attempt_lost():
    journal = EventJournal("b")
    record(journal, StepState.RETRYING)
    assert journal.writing_under_way
    lost = (LostAttempt(attempt=1, text="Nine words were written before the worker died here"),)
    journal.publish_writing({STEP: writing("", attempt=2, lost=lost)})
    html = journal.writing[STEP].event.html()
    assert "attempt 1 lost after 9 words" in html
    assert "attempt 2 will write it again" in html
