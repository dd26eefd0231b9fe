"""The comparison page's columns: one view model, the same on page load and over SSE.

`comparison_columns` turns the API's ComparisonView into what the partials show: each side's
banner, steps and ledger, and where the ledgers come from. Each partial names the one type it
receives in a comment at its top.
"""

from dataclasses import dataclass, field

from activities.models import Briefing
from core.domain import RunStatus
from web.comparisons.schemas import (
    ComparisonView,
    DurableSide,
    LedgerSource,
    PlainRunLine,
    PlainSide,
    PlainSideState,
    SideLedger,
)
from web.form_flow import Banner
from web.live.writing import Writing
from workflows.comparison_models import AfterCrash
from workflows.models import StepProgress, StepState

LEDGER_SOURCES = {
    LedgerSource.LLM_LOG: "Both ledgers come from the LLM's own request log: every call it "
    "received and billed, told apart by the X-Briefing-Run header each engine sends.",
    LedgerSource.ENGINE_COUNT: "Both ledgers come from each engine's own count: this LLM "
    "endpoint keeps no request log to read, so calls repeated for work already done are unknown.",
}


@dataclass(frozen=True)
class Column:
    """partials/comparisons/_column.html: one engine's side, its steps as the briefing page's."""

    engine: str  # "durable" or "plain": the column's class
    heading: str
    run_id: str
    banner: Banner
    steps: tuple[StepProgress, ...] | None  # None: nobody can say what they are now
    no_steps: str  # what the column says instead of the steps
    ledger: SideLedger
    link: str | None = None
    steps_caption: str | None = None
    runs: tuple[PlainRunLine, ...] = ()
    briefing: Briefing | None = None
    no_briefing: str | None = None  # said once the comparison ended without one from this side
    # What its LLM steps under way are writing, by step id: drawn inside each step.
    writing: dict[str, Writing] = field(default_factory=dict)

    @property
    def done(self) -> int:
        return sum(step.state == StepState.DONE for step in self.steps or ())


@dataclass(frozen=True)
class ComparisonColumns:
    """partials/comparisons/_columns.html: both columns, and where their ledgers come from."""

    comparison_id: str
    finished: bool
    ledger_source: str
    durable: Column
    plain: Column


def comparison_columns(view: ComparisonView) -> ComparisonColumns:
    return ComparisonColumns(
        comparison_id=view.id,
        finished=view.finished,
        ledger_source=LEDGER_SOURCES[view.ledger_source],
        durable=durable_column(view.durable),
        plain=plain_column(view.plain, view.after_crash, view.finished),
    )


def durable_column(side: DurableSide) -> Column:
    return Column(
        engine="durable",
        heading="With Temporal",
        run_id=side.id,
        banner=_durable_banner(side),
        steps=tuple(side.steps) if side.steps is not None else None,
        no_steps="Worker offline: its steps show again when a worker answers."
        if side.status == RunStatus.RUNNING
        else "Waiting for the first step…",
        ledger=side.ledger,
        link=side.url,
        briefing=side.briefing,
        writing=side.writing,
    )


def plain_column(side: PlainSide, after_crash: AfterCrash, finished: bool) -> Column:
    gone = side.state in (PlainSideState.DIED, PlainSideState.LOST)
    return Column(
        engine="plain",
        heading="Without Temporal",
        run_id=side.id,
        banner=_plain_banner(side, after_crash),
        steps=tuple(side.steps) if side.steps is not None else None,
        no_steps=_plain_no_steps(side.state),
        steps_caption="As this web server last saw them, before the process died:"
        if gone and side.steps is not None
        else None,
        ledger=side.ledger,
        runs=tuple(side.runs) if len(side.runs) > 1 else (),
        briefing=side.briefing,
        no_briefing="No briefing came of it: what it had done was not kept anywhere."
        if finished and side.briefing is None
        else None,
        writing=side.writing,
    )


def _plain_no_steps(state: PlainSideState) -> str:
    if state in (PlainSideState.DIED, PlainSideState.LOST):
        return "Its steps went with its process: nothing else held them."
    if state == PlainSideState.RUNNING:
        return "Waiting for the first step…"
    return "Its steps were only ever in the plain agent's memory, which no longer holds them."


def _durable_banner(side: DurableSide) -> Banner:
    if side.status is None:
        return Banner("warn", "Starting: the durable briefing is not in Temporal yet.")
    if side.status == RunStatus.RUNNING:
        if side.progress_note:
            return Banner("warn", f"Running, {side.progress_note}.")
        return Banner("ok", "Running on Temporal: every finished step is kept in its history.")
    if side.status == RunStatus.COMPLETED:
        return Banner("ok", f"Completed{_in(side.ledger)}.")
    return Banner("error", f"The durable briefing {side.status.value.replace('_', ' ')}.")


def _plain_banner(side: PlainSide, after_crash: AfterCrash) -> Banner:
    if side.note is not None:
        return Banner("error", side.note)
    if side.state == PlainSideState.RUNNING:
        rerun = len(side.runs) > 1 and after_crash == AfterCrash.RERUN
        again = f"rerun {len(side.runs)}, from step one: " if rerun else ""
        return Banner("ok", f"{again}running in the plain agent's memory, and nowhere else.")
    if side.state == PlainSideState.COMPLETED:
        return Banner("ok", f"Completed{_in(side.ledger)}.")
    reason = side.runs[-1].reason if side.runs else None
    return Banner("error", f"Failed: {reason or 'the plain agent could not finish'}.")


def _in(ledger: SideLedger) -> str:
    return f" in {ledger.wall_seconds:.1f} s" if ledger.wall_seconds is not None else ""
