"""Counting a briefing's activity entries into its durability ledger, crashes included.

Crashes arrive as CutOff records, one per attempt lost with its worker (see history_analysis for
how they are found); cut-offs noticed within CRASH_WINDOW of each other are one crash, dated by
the first. A crash preserved every activity completed before that moment: the work, tokens and
one LLM call per completed LLM activity that a run restarting from scratch would have spent again.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from web.dashboard.timeline_models import (
    FINAL_FAILURES,
    ActivityEntry,
    ActivityState,
    Crash,
    DurabilityLedger,
)

CRASH_WINDOW = timedelta(seconds=10)


@dataclass(frozen=True)
class CutOff:
    """One attempt lost with its worker, and when Temporal went on without it."""

    activity_id: str
    attempt: int
    noticed_at: datetime


def build_ledger(entries: list[ActivityEntry], cut_offs: Iterable[CutOff]) -> DurabilityLedger:
    return DurabilityLedger(
        llm_calls=sum(entry.attempts_started for entry in entries if entry.calls_llm),
        tokens_used=sum(entry.tokens for entry in entries),
        retries=sum(max(entry.attempts_started - 1, 0) for entry in entries),
        failures=sum(entry.failed_attempts + (entry.state in FINAL_FAILURES) for entry in entries),
        crashes=[_crash(group, entries) for group in group_into_crashes(cut_offs)],
    )


def group_into_crashes(cut_offs: Iterable[CutOff]) -> list[list[CutOff]]:
    groups: list[list[CutOff]] = []
    for cut_off in sorted(cut_offs, key=lambda cut_off: cut_off.noticed_at):
        if groups and cut_off.noticed_at - groups[-1][-1].noticed_at <= CRASH_WINDOW:
            groups[-1].append(cut_off)
        else:
            groups.append([cut_off])
    return groups


def _crash(group: list[CutOff], entries: list[ActivityEntry]) -> Crash:
    at = group[0].noticed_at
    preserved = [entry for entry in entries if _completed_before(entry, at)]
    return Crash(
        at=at,
        lost_activities=list(dict.fromkeys(cut_off.activity_id for cut_off in group)),
        preserved_activities=len(preserved),
        preserved_tokens=sum(entry.tokens for entry in preserved),
        preserved_llm_calls=sum(entry.calls_llm for entry in preserved),
    )


def _completed_before(entry: ActivityEntry, moment: datetime) -> bool:
    finished = entry.finished_at
    return entry.state == ActivityState.COMPLETED and finished is not None and finished < moment
