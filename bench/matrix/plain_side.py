"""The plain agent's cells: a comparison of the fixed request, its plain process killed mid-run.

The plain agent keeps nothing, so it has no "identical after the crash" to promise: its run is
lost, and the comparison (AfterCrash.RERUN, the naive supervisor) starts it again from scratch.
What the cell shows is the contrast, measured on the same request: the durable side, untouched
by the kill, comes out identical to the reference with no extra LLM call; the plain side loses
its run, and its rerun, identical to the durable briefing, pays again for every call the lost
run had made (the comparison's ledger, from the LLM's own log).
"""

from dataclasses import dataclass

import httpx

from bench.matrix.cells import FixedRequest
from bench.matrix.compare import first_difference, normalised_json
from testing.polling import wait_for_async

COMPARISON_TIMEOUT_SECONDS = 150.0
# The runs a kill mid-run must leave: the one the process took along, then the rerun.
EXPECTED_RUNS = ["lost", "completed"]


@dataclass(frozen=True)
class StartedComparison:
    comparison_id: str
    durable_id: str
    plain_id: str  # the plain agent's first run: the one the kill takes


@dataclass
class PlainOutcome:
    """The plain side of a finished comparison, as the cell's table tells it."""

    runs: list[str]
    # Where the plain rerun's briefing departs from the durable one's; None: identical.
    difference: str | None
    repeated_calls: int | None
    lost_tokens: int

    def violations(self) -> list[str]:
        problems = []
        if self.runs != EXPECTED_RUNS:
            problems.append(f"plain runs ended {self.runs}, not {EXPECTED_RUNS}")
        if self.difference is not None:
            problems.append("the plain rerun's briefing differs from the durable one")
        if not self.repeated_calls:
            problems.append("the plain rerun repeated no call the lost run had been answered")
        return problems

    @property
    def table_text(self) -> str:
        rerun = "rerun identical" if self.difference is None else "rerun DIFFERS"
        return (
            f"{' then '.join(self.runs)}; {rerun}; {self.repeated_calls} calls and "
            f"{self.lost_tokens} tokens paid again"
        )


async def start_comparison(api: httpx.AsyncClient, request: FixedRequest) -> StartedComparison:
    body = {
        "topic": request.topic,
        "sources": request.sources,
        "max_stories": request.max_stories,
        "after_crash": "rerun",
    }
    created = (await api.post("/api/comparisons", json=body)).raise_for_status().json()
    return StartedComparison(created["id"], created["durable_id"], created["plain_id"])


async def finished_comparison(api: httpx.AsyncClient, comparison_id: str) -> dict:
    async def view() -> dict:
        return (await api.get(f"/api/comparisons/{comparison_id}")).raise_for_status().json()

    return await wait_for_async(
        view,
        COMPARISON_TIMEOUT_SECONDS,
        f"comparison {comparison_id} finished",
        until=lambda value: value["finished"],
        interval=0.2,
    )


def plain_outcome(comparison: dict) -> PlainOutcome:
    durable, plain = comparison["durable"], comparison["plain"]
    difference = first_difference(
        normalised_json(durable["briefing"] or {}),
        normalised_json(plain["briefing"] or {}),
        "plain briefing",
    )
    return PlainOutcome(
        runs=[run["state"] or "running" for run in plain["runs"]],
        difference=difference,
        repeated_calls=plain["ledger"]["repeated_calls"],
        lost_tokens=plain["ledger"]["lost_tokens"],
    )
