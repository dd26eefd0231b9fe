"""The crash matrix's rules on their own: what counts as the same briefing, and how many LLM
calls a kill may add."""

from datetime import UTC, datetime, timedelta

from temporalio.api.history.v1 import HistoryEvent

from bench.matrix.cells import PARTS, PLAIN, Boundary, Cell, full_matrix
from bench.matrix.compare import first_difference, normalised_json, normalised_markdown
from bench.matrix.judge import COMPOSE_ACTIVITY, in_flight_at, unanswered_at
from bench.matrix.plain_side import PlainOutcome
from bench.matrix.triggers import is_the_moment
from bench.matrix.verdict import CellOutcome
from bench.soak.histories import SUMMARIZE_ACTIVITY, ActivityRecord, RunRecord

TITLE = "Briefing: science — 03 December 2026, 14:20 UTC"


def _view(step_changes: dict | None = None, **changes: object) -> dict:
    step = {
        "id": "summarize-abc",
        "state": "done",
        "attempt": 1,
        "last_error": None,
        "started_at": "2026-12-03T14:20:01Z",
        "text": "The probe landed.",
    }
    view = {
        "id": "briefing-1",
        "temporal_ui_url": "http://ui/briefing-1",
        "version": 14,
        "started_at": "2026-12-03T14:20:00Z",
        "steps": [step | (step_changes or {})],
        "result": {"title": TITLE, "generated_at": "2026-12-03T14:20:03Z"},
    }
    return view | changes


def test_a_crash_that_left_only_its_own_traces_is_the_same_briefing() -> None:
    crashed = _view(
        id="briefing-2",
        temporal_ui_url="http://ui/briefing-2",
        version=16,
        started_at="2026-12-03T14:31:00Z",
        step_changes={"attempt": 2, "last_error": "heartbeat timed out", "started_at": "14:31"},
        result={
            "title": "Briefing: science — 03 December 2026, 14:31 UTC",
            "generated_at": "2026-12-03T14:31:09Z",
        },
    )

    assert normalised_json(crashed) == normalised_json(_view())


def test_another_summary_or_step_is_another_briefing() -> None:
    reference = normalised_json(_view())
    other_text = normalised_json(_view(step_changes={"text": "The probe crashed."}))
    other_step = normalised_json(_view(step_changes={"id": "summarize-def"}))

    assert other_text != reference and other_step != reference
    difference = first_difference(reference, other_text, "JSON")
    assert difference is not None and "The probe crashed." in difference


def test_a_failed_step_keeps_its_error_in_the_comparison() -> None:
    failed = _view(step_changes={"state": "failed", "last_error": "LLM unreachable"})

    assert normalised_json(failed) != normalised_json(_view(step_changes={"state": "failed"}))


def test_the_markdown_title_s_minute_is_all_that_is_set_aside() -> None:
    later = "# Briefing: science — 03 December 2026, 14:31 UTC\n\nLead.\n"

    assert normalised_markdown(later) == normalised_markdown(f"# {TITLE}\n\nLead.\n")
    assert normalised_markdown(later) != normalised_markdown(f"# {TITLE}\n\nLeads.\n")


def _outcome(part: str, *, extra: int, in_flight: int, spare_worker: bool = False) -> CellOutcome:
    return CellOutcome(
        Cell(part, Boundary.SUMMARY_CALL),
        "briefing-1",
        spare_worker=spare_worker,
        status="completed",
        llm_calls=4 + extra,
        reference_llm_calls=4,
        in_flight_at_kill=in_flight,
        sse_saw_end=True,
    )


def test_a_killed_worker_s_calls_in_flight_are_each_made_again_exactly_once() -> None:
    assert _outcome("worker", extra=1, in_flight=1).violations() == []
    assert _outcome("worker", extra=0, in_flight=1).violations() != []
    assert _outcome("llm", extra=2, in_flight=1).violations() != []


def test_beside_a_spare_worker_a_killed_worker_redoes_at_most_the_calls_in_flight() -> None:
    # The calls in flight the spare had sent are answered: the LLM's log cannot tell them apart.
    assert _outcome("worker", extra=0, in_flight=3, spare_worker=True).violations() == []
    assert _outcome("worker", extra=3, in_flight=3, spare_worker=True).violations() == []
    assert _outcome("worker", extra=4, in_flight=3, spare_worker=True).violations() != []


def test_a_killed_llm_may_have_answered_a_call_after_its_log_was_read() -> None:
    assert _outcome("llm", extra=1, in_flight=2).violations() == []
    assert _outcome("llm", extra=2, in_flight=2).violations() == []
    assert _outcome("llm", extra=3, in_flight=2).violations() != []


def test_a_killed_server_or_web_may_leave_a_call_in_flight_to_finish() -> None:
    assert _outcome("server", extra=0, in_flight=1).violations() == []
    assert _outcome("web", extra=0, in_flight=0).violations() == []
    assert _outcome("web", extra=1, in_flight=0).violations() != []


def _scheduled(event_id: int, activity_id: str) -> HistoryEvent:
    event = HistoryEvent(event_id=event_id)
    event.activity_task_scheduled_event_attributes.activity_id = activity_id
    return event


def _completed(event_id: int, scheduled_event_id: int) -> HistoryEvent:
    event = HistoryEvent(event_id=event_id)
    event.activity_task_completed_event_attributes.scheduled_event_id = scheduled_event_id
    return event


def test_a_history_moment_is_the_named_activity_s_event_and_no_other() -> None:
    events = [_scheduled(5, "fetch-0"), _scheduled(6, "fetch-1"), _completed(9, 6)]
    activity_of = {5: "fetch-0", 6: "fetch-1"}

    def moments(cell: Cell) -> list[int]:
        return [e.event_id for e in events if is_the_moment(e, cell, activity_of)]

    assert moments(Cell("worker", Boundary.SCHEDULED, "fetch-1")) == [6]
    assert moments(Cell("worker", Boundary.COMPLETED, "fetch-1")) == [9]
    assert moments(Cell("worker", Boundary.COMPLETED, "fetch-0")) == []


KILLED_AT = datetime(2026, 12, 3, 14, 0, 0, tzinfo=UTC)


def _call(
    seconds: float, fingerprint: str | None, *, articles: int = 1, status: int | None = 200
) -> dict:
    received = KILLED_AT + timedelta(seconds=seconds)
    return {
        "received_at": received.isoformat(),
        "fingerprint": fingerprint,
        "articles": articles,
        "status": status,
    }


def test_in_flight_at_a_kill_are_the_calls_whose_activity_had_not_completed() -> None:
    done = ActivityRecord("summarize-a", SUMMARIZE_ACTIVITY, completed_at=KILLED_AT)
    # Answered before the kill, but its activity completed only after: lost with a worker.
    answered_late = ActivityRecord(
        "summarize-b", SUMMARIZE_ACTIVITY, completed_at=KILLED_AT + timedelta(seconds=7)
    )
    compose = ActivityRecord("compose", COMPOSE_ACTIVITY)
    history = RunRecord("briefing-1", None, [done, answered_late, compose])
    done.fingerprint, answered_late.fingerprint = "a", "b"
    calls = [
        _call(-2, "a"),
        _call(-1, "b"),
        _call(-0.5, None, articles=3),  # the lead, its compose not completed
        _call(+6, "b"),  # the retry, after the kill
    ]

    assert in_flight_at(calls, history, KILLED_AT) == 2


def test_a_dying_llm_loses_only_the_calls_it_had_not_answered() -> None:
    calls = [
        _call(-2, "a"),  # answered, its activity still to report: the worker has the answer
        _call(-1, "b", status=None),
        _call(+3, "b"),  # its retry, on the restarted LLM
    ]

    assert unanswered_at(calls, KILLED_AT) == 1


def test_the_full_matrix_kills_mid_download_only_where_something_downloads() -> None:
    cells = full_matrix(["fetch-0", "read-abc", "summarize-abc", "compose"])

    downloads = {(c.part, c.activity_id) for c in cells if c.boundary == Boundary.DOWNLOAD}
    assert downloads == {(part, a) for part in PARTS for a in ("fetch-0", "read-abc")}
    plain = [c.boundary for c in cells if c.part == PLAIN]
    assert plain == [Boundary.SUMMARY_CALL, Boundary.LEAD_CALL]


def _plain(
    *, runs: tuple[str, ...] = ("lost", "completed"), difference: str | None = None, repeated=3
) -> PlainOutcome:
    return PlainOutcome(list(runs), difference, repeated_calls=repeated, lost_tokens=900)


def test_a_plain_kill_must_lose_the_run_and_rerun_it_identically_at_a_cost() -> None:
    assert _plain().violations() == []
    assert _plain(runs=("completed",)).violations() != []  # the kill missed the run
    assert _plain(difference="- lead").violations() != []
    assert _plain(repeated=0).violations() != []  # a rerun that paid nothing again
