"""The matrix's table, in Markdown, for docs/benchmarks.md and issue notes."""

from bench.common import markdown_table
from bench.matrix.verdict import CellOutcome

HEADER = (
    "cell",
    "identical?",
    "extra LLM calls (in flight at kill)",
    "resume s",
    "history's last event at the kill",
    "plain side",
    "violations",
)
RESUME_DEFINITION = (
    "resume s: from the kill -9 to the next progress event the SSE client received, "
    "the part restarted at once (a review cell's includes the editor's answer after the restart; "
    "a plain cell's viewer watches the durable side, which its kill leaves running); "
    "plain side: a plain cell's comparison (after a crash: rerun), its plain runs and ledger"
)


def render_table(outcomes: list[CellOutcome], *, duration_seconds: float) -> str:
    rows = [
        (
            outcome.cell.name,
            "yes" if outcome.identical else "NO",
            f"{outcome.extra_llm_calls} ({outcome.in_flight_at_kill})",
            _seconds(outcome.resume_seconds),
            "missed: not killed" if outcome.moment_missed else outcome.history_at_kill or "-",
            outcome.plain.table_text if outcome.plain else "-",
            "; ".join(outcome.violations()) or "none",
        )
        for outcome in outcomes
    ]
    failed = sum(bool(outcome.violations()) for outcome in outcomes)
    title = (
        f"crash matrix: {len(outcomes)} cells, {failed} with violations, {duration_seconds:.0f} s"
    )
    return "\n".join([title, "", markdown_table(HEADER, rows), "", RESUME_DEFINITION + "."])


def render_differences(outcomes: list[CellOutcome]) -> str:
    """Where each non-identical cell's content departs from the reference's."""
    parts = []
    for outcome in outcomes:
        for form, difference in outcome.differences.items():
            parts.append(f"{outcome.cell.name} ({outcome.briefing_id}), {form}:\n{difference}")
    return "\n\n".join(parts)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"
