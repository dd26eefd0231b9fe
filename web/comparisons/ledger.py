"""Each side's ledger: what it asked the LLM for, paid, repeated and threw away.

From the LLM's own log when there is one (the truth of what was billed): a call repeats work
when an earlier call of the same side with the same messages was already answered; an answer is
thrown away when its run was lost, or when the same question had to be asked again. Without a
log, each engine's own count stands in, and what it cannot know is left unknown (None).
"""

from datetime import datetime

from activities.llm_log import LlmCall
from activities.plain_runs.models import PlainRunSnapshot
from web.comparisons.schemas import SideLedger
from workflows.models import StepKind, StepProgress

LLM_STEPS = (StepKind.SUMMARIZE, StepKind.COMPOSE)


def logged_ledger(
    calls: list[LlmCall], *, lost_runs: set[str], wall_seconds: float | None
) -> SideLedger:
    ordered = sorted(calls, key=lambda call: call.seq)
    answered: set[str] = set()
    repeated = 0
    thrown_away: set[int] = set()
    for index, call in enumerate(ordered):
        if call.fingerprint in answered:
            repeated += 1
        if call.answered and call.fingerprint is not None:
            answered.add(call.fingerprint)
        asked_again = any(later.fingerprint == call.fingerprint for later in ordered[index + 1 :])
        if call.answered and (call.run in lost_runs or asked_again):
            thrown_away.add(call.seq)
    return SideLedger(
        llm_calls=len(ordered),
        tokens=sum(call.tokens for call in ordered if call.answered),
        wall_seconds=wall_seconds,
        repeated_calls=repeated,
        lost_tokens=sum(call.tokens for call in ordered if call.seq in thrown_away),
    )


def durable_counted_ledger(
    steps: list[StepProgress] | None, tokens: int, wall_seconds: float | None
) -> SideLedger:
    """The workflow's own count: one call per attempt of an LLM step; repeats it cannot see."""
    llm_steps = [step for step in steps or [] if step.kind in LLM_STEPS]
    return SideLedger(
        llm_calls=sum(step.attempt for step in llm_steps),
        tokens=tokens,
        wall_seconds=wall_seconds,
    )


def plain_counted_ledger(
    runs: list[tuple[PlainRunSnapshot, bool]], wall_seconds: float | None
) -> SideLedger:
    """The plain agent's own count, as last seen of each run; (snapshot, lost) per run."""
    return SideLedger(
        llm_calls=sum(seen.summaries_done + (seen.briefing is not None) for seen, _ in runs),
        tokens=sum(seen.usage.total for seen, _ in runs),
        wall_seconds=wall_seconds,
        lost_tokens=sum(seen.usage.total for seen, lost in runs if lost),
    )


def seconds_between(start: datetime, end: datetime | None) -> float | None:
    return round((end - start).total_seconds(), 1) if end is not None else None
