"""The crash matrix's rules on their own: what counts as the same briefing, and how many LLM
calls a kill may add."""

from bench.matrix.cells import Boundary, Cell
from bench.matrix.compare import first_difference, normalised_json, normalised_markdown
from bench.matrix.verdict import CellOutcome

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


def _outcome(part: str, *, extra: int, in_flight: int) -> CellOutcome:
    return CellOutcome(
        Cell(part, Boundary.SUMMARY_CALL),
        "briefing-1",
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


def test_a_killed_server_or_web_may_leave_a_call_in_flight_to_finish() -> None:
    assert _outcome("server", extra=0, in_flight=1).violations() == []
    assert _outcome("web", extra=0, in_flight=0).violations() == []
    assert _outcome("web", extra=1, in_flight=0).violations() != []
