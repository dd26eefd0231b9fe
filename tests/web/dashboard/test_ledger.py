"""The ledger's arithmetic: crashes grouped from lost attempts, preserved work, totals."""

from datetime import UTC, datetime, timedelta

from web.dashboard.ledger import CutOff, build_ledger
from web.dashboard.timeline_models import ActivityEntry, ActivityState, DurabilityLedger

START = datetime(2025, 1, 1, tzinfo=UTC)


def completed(activity_id: str, activity_type: str, *, at_second: int, tokens: int = 0):
    return ActivityEntry(
        activity_id=activity_id,
        activity_type=activity_type,
        state=ActivityState.COMPLETED,
        scheduled_at=START,
        started_at=START,
        finished_at=START + timedelta(seconds=at_second),
        tokens=tokens,
    )


def cut_off(activity_id: str, *, at_second: int) -> CutOff:
    return CutOff(activity_id, attempt=1, noticed_at=START + timedelta(seconds=at_second))


ENTRIES = [
    completed("fetch-0", "fetch_feed", at_second=1),
    completed("summarize-a", "summarize_story", at_second=5, tokens=100),
    completed("summarize-b", "summarize_story", at_second=25, tokens=40),
]


def test_attempts_cut_off_within_ten_seconds_of_each_other_are_one_crash():
    ledger = build_ledger(
        ENTRIES, [cut_off("summarize-b", at_second=10), cut_off("compose", at_second=14)]
    )
    [crash] = ledger.crashes
    assert crash.at == START + timedelta(seconds=10)
    assert crash.lost_activities == ["summarize-b", "compose"]


def test_a_crash_preserved_only_what_had_completed_before_it():
    ledger = build_ledger(
        ENTRIES, [cut_off("summarize-b", at_second=10), cut_off("compose", at_second=40)]
    )
    first, second = ledger.crashes
    assert (first.preserved_activities, first.preserved_tokens) == (2, 100)
    assert first.preserved_llm_calls == 1, "one call per completed LLM activity"
    assert (second.preserved_activities, second.preserved_tokens) == (3, 140)
    assert (ledger.preserved_activities, ledger.preserved_tokens) == (5, 240)


def test_the_total_of_ledgers_adds_every_count_and_keeps_every_crash():
    one = build_ledger(ENTRIES, [cut_off("summarize-b", at_second=10)])
    total = DurabilityLedger.total([one, one])
    assert (total.llm_calls, total.tokens_used) == (4, 280)
    assert len(total.crashes) == 2
    assert total.preserved_tokens == 2 * one.preserved_tokens
    assert DurabilityLedger.total([]) == DurabilityLedger()
