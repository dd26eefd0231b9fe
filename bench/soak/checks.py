"""The soak's verdict: what was lost, duplicated, called twice or never seen, and how long
the briefings took to move again after each kill."""

from collections import Counter
from dataclasses import dataclass, field

from temporalio.client import WorkflowExecutionStatus

from bench.soak.chaos import Kill
from bench.soak.histories import RunRecord
from bench.soak.llm_log import LlmRequest
from bench.soak.sse_watch import WatchRecord
from bench.soak.starter import StartRecord
from web.briefings.ids import idempotent_briefing_id


@dataclass
class SoakOutcome:
    briefings: int
    kills: Counter = field(default_factory=Counter)
    completed: int = 0
    lost: int = 0
    stuck: int = 0
    not_completed: int = 0  # closed, but failed, cancelled, terminated or timed out
    duplicated: int = 0
    key_mismatches: int = 0
    start_tries: int = 0
    ambiguous_starts: int = 0
    # Keys whose workflow was started by a try whose answer never arrived (never a 202).
    started_unanswered: int = 0
    start_unavailable: int = 0  # 503: Temporal down, said so by the web
    start_server_errors: int = 0  # 5xx other than 503
    retried_activities: int = 0
    extra_attempts: int = 0
    failed_summaries: int = 0
    llm_requests: int = 0
    llm_429s: int = 0
    llm_log_missing: int = 0
    stale_llm_calls: int = 0
    # Completed summaries with no LLM request of theirs in the log: the tie by fingerprint broke.
    unmatched_summaries: int = 0
    surplus_llm_calls: int = 0
    sse_saw_end: int = 0
    sse_connections: int = 0
    sse_missing_offsets: int = 0
    # Seconds from a kill to the next new progress event of a briefing it affected, by part.
    resume_delays: dict[str, list[float]] = field(default_factory=dict)
    unmeasured_kills: int = 0

    def violations(self) -> list[str]:
        problems = {
            "briefings lost": self.lost,
            "briefings stuck": self.stuck,
            "briefings not completed": self.not_completed,
            "duplicated workflows": self.duplicated,
            "keys answered with another id or created twice": self.key_mismatches,
            "LLM calls after their summary completed": self.stale_llm_calls,
            "LLM calls beyond the activity's attempts": self.surplus_llm_calls,
            "completed summaries with no LLM call found": self.unmatched_summaries,
            "LLM log records dropped before reading": self.llm_log_missing,
            "SSE clients that missed the end": self.briefings - self.sse_saw_end,
        }
        return [f"{name}: {count}" for name, count in problems.items() if count]


def judge(
    starts: list[StartRecord],
    watches: dict[str, WatchRecord],
    kills: list[Kill],
    runs: dict[str, RunRecord],
    workflow_ids: list[str],
    requests: list[LlmRequest],
) -> SoakOutcome:
    outcome = SoakOutcome(briefings=len(starts), kills=Counter(kill.part for kill in kills))
    _judge_starts(outcome, starts, runs, workflow_ids)
    judge_activities(outcome, runs.values(), requests)
    for watch in watches.values():
        outcome.sse_saw_end += watch.saw_end
        outcome.sse_connections += watch.connections
        outcome.sse_missing_offsets += watch.missing_offsets
    _judge_resumes(outcome, kills, watches)
    return outcome


def _judge_starts(
    outcome: SoakOutcome,
    starts: list[StartRecord],
    runs: dict[str, RunRecord],
    workflow_ids: list[str],
) -> None:
    expected = {idempotent_briefing_id(start.key) for start in starts}
    runs_per_id = Counter(workflow_ids)
    # One run per key, and no run under an id that no key names.
    outcome.duplicated = sum(count - 1 for count in runs_per_id.values()) + len(
        set(runs_per_id) - expected
    )
    for start in starts:
        outcome.start_tries += start.tries
        outcome.ambiguous_starts += start.ambiguous_tries
        outcome.start_unavailable += start.unavailable_answers
        outcome.start_server_errors += start.other_server_errors
        answered = {start.briefing_id, *start.replayed_ids} - {None}
        outcome.key_mismatches += bool(answered - {idempotent_briefing_id(start.key)})
        outcome.key_mismatches += start.created_answers > 1
        outcome.started_unanswered += bool(start.briefing_id) and start.created_answers == 0
        run = runs.get(idempotent_briefing_id(start.key))
        if run is None or run.status is None:
            outcome.lost += 1
        elif run.status == WorkflowExecutionStatus.RUNNING:
            outcome.stuck += 1
        elif run.status == WorkflowExecutionStatus.COMPLETED:
            outcome.completed += 1
        else:
            outcome.not_completed += 1


def judge_activities(outcome: SoakOutcome, runs, requests: list[LlmRequest]) -> None:
    """Retries, and LLM calls after their summary completed or beyond its attempts."""
    # Keyed as the log has it: a request without a fingerprint (None) matches no summary.
    by_fingerprint: dict[str | None, list[LlmRequest]] = {}
    for request in requests:
        by_fingerprint.setdefault(request.fingerprint, []).append(request)
    outcome.llm_requests = len(requests)
    outcome.llm_429s = sum(1 for request in requests if request.status == 429)
    # Sequence numbers are gapless from 1: a gap is a record dropped before the driver read it.
    outcome.llm_log_missing = max((r.seq for r in requests), default=0) - len(requests)
    for run in runs:
        for activity in run.activities:
            outcome.retried_activities += activity.attempts > 1
            outcome.extra_attempts += activity.attempts - 1
        for summary in run.summaries:
            calls = by_fingerprint.get(summary.fingerprint, [])
            if summary.completed_at is None:
                outcome.failed_summaries += run.status != WorkflowExecutionStatus.RUNNING
                continue
            outcome.unmatched_summaries += not calls
            outcome.stale_llm_calls += sum(1 for c in calls if c.received_at > summary.completed_at)
            outcome.surplus_llm_calls += max(len(calls) - summary.attempts, 0)


def _judge_resumes(
    outcome: SoakOutcome, kills: list[Kill], watches: dict[str, WatchRecord]
) -> None:
    for kill in kills:
        later = [
            seen
            for briefing_id in kill.affected
            if briefing_id in watches
            for seen in watches[briefing_id].first_seen.values()
            if seen > kill.at
        ]
        if later:
            outcome.resume_delays.setdefault(kill.part, []).append(min(later) - kill.at)
        else:
            outcome.unmeasured_kills += 1
