"""The soak's table, in Markdown, so it can go straight into docs and issue notes."""

import statistics

from bench.soak.checks import SoakOutcome
from bench.soak.processes import CHAOS_PARTS

RESUME_DEFINITION = (
    "resume delay: from a kill -9 to the first progress event, not seen before, that an SSE "
    "client receives for any briefing that was running at the kill (what a viewer waits for)"
)


def render_table(outcome: SoakOutcome, *, seed: int, duration_seconds: float) -> str:
    kills = ", ".join(f"{part} {outcome.kills.get(part, 0)}" for part in CHAOS_PARTS)
    rows = [
        ("briefings", outcome.briefings),
        ("kills -9 (total)", f"{sum(outcome.kills.values())} ({kills})"),
        ("completed", outcome.completed),
        ("lost", outcome.lost),
        ("stuck", outcome.stuck),
        ("failed / cancelled", outcome.not_completed),
        ("duplicated workflows", outcome.duplicated),
        ("keys answered with another id or created twice", outcome.key_mismatches),
        ("start tries (answer lost, 503, other 5xx)", _start_tries(outcome)),
        ("keys started by a try whose answer was lost", outcome.started_unanswered),
        ("activities retried (extra attempts)", _retries(outcome)),
        ("summaries failed after all attempts", outcome.failed_summaries),
        ("LLM requests (HTTP 429)", f"{outcome.llm_requests} ({outcome.llm_429s})"),
        ("stale LLM calls (after the summary completed)", outcome.stale_llm_calls),
        ("LLM calls beyond attempts", outcome.surplus_llm_calls),
        ("completed summaries with no LLM call found", outcome.unmatched_summaries),
        ("SSE clients that saw the end", f"{outcome.sse_saw_end}/{outcome.briefings}"),
        ("SSE connection tries (after the first)", _connections(outcome)),
        ("SSE offsets never seen", outcome.sse_missing_offsets),
    ]
    rows += _resume_rows(outcome)
    lines = [
        f"chaos soak, seed {seed}, {duration_seconds:.0f} s",
        "",
        "| measure | value |",
        "|---|---|",
    ]
    lines += [f"| {name} | {value} |" for name, value in rows]
    lines += ["", RESUME_DEFINITION + "."]
    return "\n".join(lines)


def _start_tries(outcome: SoakOutcome) -> str:
    counts = (outcome.ambiguous_starts, outcome.start_unavailable, outcome.start_server_errors)
    return f"{outcome.start_tries} ({', '.join(map(str, counts))})"


def _retries(outcome: SoakOutcome) -> str:
    return f"{outcome.retried_activities} ({outcome.extra_attempts})"


def _connections(outcome: SoakOutcome) -> str:
    return f"{outcome.sse_connections} ({outcome.sse_connections - outcome.briefings})"


def _resume_rows(outcome: SoakOutcome) -> list[tuple[str, str]]:
    every = [delay for delays in outcome.resume_delays.values() for delay in delays]
    rows = [("resume delay p50 / p95, all kills (s)", _percentiles(every))]
    for part in CHAOS_PARTS:
        rows.append(
            (
                f"resume delay p50 / p95, {part} (s)",
                _percentiles(outcome.resume_delays.get(part, [])),
            )
        )
    rows.append(("kills with nothing to resume", str(outcome.unmeasured_kills)))
    return rows


def _percentiles(values: list[float]) -> str:
    if not values:
        return "n/a"
    if len(values) == 1:
        return f"{values[0]:.1f} / {values[0]:.1f} (n=1)"
    cuts = statistics.quantiles(values, n=20, method="inclusive")
    return f"{statistics.median(values):.1f} / {cuts[18]:.1f} (n={len(values)})"
