"""Side by side under the same kill: what a crash costs each agent, measured by the LLM's own log.

On `briefing up` (its plain agent included), comparisons of one request, the plain side set to
`rerun` (a naive supervisor starts a lost run again from scratch, so both sides finish and both
have a wall time). First crash-free comparisons, then, for each moment, comparisons in which the
durable worker and the plain agent's process are SIGKILLed at the same instant, once both sides
have that share of their summaries done (or are composing; a side already finished is past every
moment); the table says where each side was; `briefing up` brings both back. The LLM writes at a
steady pace of tokens, so calls of different lengths end at different times, as a real model's.
Each side's tokens and wall time are set against its own crash-free run; the LLM's request log,
attributed by X-Briefing-Run, is the ledger (web/comparisons/ledger.py).

    python -m bench.comparison_kills --runs 5 --stories 8 --tokens-per-second 60
"""

import argparse
import asyncio
import math
from dataclasses import dataclass, replace
from statistics import mean

from bench.common import BenchStack, markdown_table, running_stack
from testing.polling import wait_for_async
from web.comparisons.schemas import ComparisonCreate, ComparisonView, SideLedger
from web.comparisons.service import Comparisons
from workflows.comparison_models import AfterCrash
from workflows.models import StepKind, StepProgress, StepState, summaries_done

POLL_SECONDS = 0.05
TIMEOUT_SECONDS = 240.0
KILLED = ("worker", "plain")
COMPOSE = "compose"


@dataclass(frozen=True)
class Side:
    tokens: float
    wall_seconds: float
    repeated: float
    lost_tokens: float
    # Summaries this side had done when the kill was sent (the poll before it).
    done_at_kill: float = math.nan


@dataclass(frozen=True)
class Outcome:
    durable: Side
    plain: Side


def _side(ledger: SideLedger) -> Side:
    return Side(
        tokens=ledger.tokens,
        wall_seconds=ledger.wall_seconds or math.nan,
        repeated=ledger.repeated_calls or 0,
        lost_tokens=ledger.lost_tokens,
    )


def _outcome(view: ComparisonView) -> Outcome:
    return Outcome(_side(view.durable.ledger), _side(view.plain.ledger))


def _finished(steps: list[StepProgress] | None) -> bool:
    return any(s.kind == StepKind.COMPOSE and s.state == StepState.DONE for s in steps or [])


def _reached(steps: list[StepProgress] | None, moment: int | str) -> bool:
    if isinstance(moment, str):  # COMPOSE
        return any(s.kind == StepKind.COMPOSE and s.state == StepState.RUNNING for s in steps or [])
    return summaries_done(steps) >= moment


def _moment_reached(view: ComparisonView, moment: int | str) -> bool:
    """Both sides there (a side that has already finished is past every moment). Calls end at
    different times (paced by their tokens), so the other calls of both are then in flight."""
    return all(
        _finished(steps) or _reached(steps, moment)
        for steps in (view.durable.steps, view.plain.steps)
    )


class Runs:
    def __init__(self, stack: BenchStack, comparisons: Comparisons, stories: int) -> None:
        self.stack, self.comparisons, self.stories = stack, comparisons, stories

    async def _finished(self, comparison_id: str) -> ComparisonView:
        return await wait_for_async(
            lambda: self.comparisons.view(comparison_id),
            TIMEOUT_SECONDS,
            f"comparison {comparison_id} finished",
            until=lambda view: view.finished,
            interval=POLL_SECONDS * 10,
        )

    async def _start(self) -> str:
        create = ComparisonCreate(
            topic="science", max_stories=self.stories, after_crash=AfterCrash.RERUN
        )
        return (await self.comparisons.start(create)).comparison.id

    async def crash_free(self) -> Outcome:
        return _outcome(await self._finished(await self._start()))

    async def killed(self, moment: int | str) -> Outcome:
        comparison_id = await self._start()
        since = self.stack.lines.count()
        at_kill = await wait_for_async(
            lambda: self.comparisons.view(comparison_id),
            TIMEOUT_SECONDS,
            f"a side at {moment}",
            until=lambda view: _moment_reached(view, moment),
            interval=POLL_SECONDS,
        )
        self.stack.kill_parts(*KILLED)
        await asyncio.to_thread(self.stack.wait_for_worker_restart, since)
        await asyncio.to_thread(self.stack.wait_for_restart, "plain", since)
        outcome = _outcome(await self._finished(comparison_id))
        # The restarted worker's first briefing is slower (parser children, caches): spent on an
        # unmeasured comparison, not on the next measured one's durable side.
        await self.crash_free()
        return replace(
            outcome,
            durable=replace(outcome.durable, done_at_kill=summaries_done(at_kill.durable.steps)),
            plain=replace(outcome.plain, done_at_kill=summaries_done(at_kill.plain.steps)),
        )


SHARES = (0.25, 0.5, 0.9)
SMOKE_SHARES = (0.5,)


def _moments(stories: int, shares: tuple[float, ...]) -> list[tuple[str, int | str]]:
    moments: list[tuple[str, int | str]] = []
    for share in shares:
        done = max(1, min(stories - 1, math.floor(share * stories)))
        moments.append((f"{share:.0%} ({done}/{stories} summaries)", done))
    return [*moments, ("in compose", COMPOSE)]


async def measure(stack: BenchStack, args: argparse.Namespace) -> str:
    comparisons = Comparisons(await stack.client(), stack.settings)
    runs = Runs(stack, comparisons, args.stories)
    if not args.smoke:  # the smoke's figures are not read: no warm-up to spend CI's time on
        await runs.crash_free()  # warm-up: first workflow, imports, connection pools; not counted
    free = [await runs.crash_free() for _ in range(args.baseline_runs)]
    base = Outcome(
        Side(
            mean(o.durable.tokens for o in free),
            mean(o.durable.wall_seconds for o in free),
            0,
            0,
        ),
        Side(mean(o.plain.tokens for o in free), mean(o.plain.wall_seconds for o in free), 0, 0),
    )
    rows = [_row("no kill", free, base)]
    for name, moment in _moments(args.stories, SMOKE_SHARES if args.smoke else SHARES):
        rows.append(
            _row(f"killed at {name}", [await runs.killed(moment) for _ in range(args.runs)], base)
        )
    await comparisons.close()
    header = [
        "comparison",
        "runs",
        "summaries done at the kill: durable / plain",
        "durable tokens ×",
        "durable wall ×",
        "durable repeated calls",
        "plain tokens ×",
        "plain wall ×",
        "plain tokens thrown away",
    ]
    notes = [
        f"{args.stories} stories; the LLM writes {args.tokens_per_second:g} tokens/s; "
        f"crash-free: {args.baseline_runs} comparisons (durable {base.durable.tokens:,.0f} tokens "
        f"in {base.durable.wall_seconds:.1f} s, plain {base.plain.tokens:,.0f} tokens in "
        f"{base.plain.wall_seconds:.1f} s). × is the mean against that side's own crash-free "
        "mean, with the range of the runs in brackets. The worker and the plain agent are "
        f"killed together and back after {args.restart_delay:g} s; the plain side reruns."
    ]
    return markdown_table(header, rows) + "\n\n" + "\n".join(notes)


def _ratio(values: list[float], base: float) -> str:
    ratios = [value / base for value in values]
    return f"{mean(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"


def _at_kill(outcomes: list[Outcome]) -> str:
    durable = mean(o.durable.done_at_kill for o in outcomes)
    if math.isnan(durable):
        return "–"
    return f"{durable:.1f} / {mean(o.plain.done_at_kill for o in outcomes):.1f}"


def _row(name: str, outcomes: list[Outcome], base: Outcome) -> list[str]:
    return [
        name,
        str(len(outcomes)),
        _at_kill(outcomes),
        _ratio([o.durable.tokens for o in outcomes], base.durable.tokens),
        _ratio([o.durable.wall_seconds for o in outcomes], base.durable.wall_seconds),
        f"{mean(o.durable.repeated for o in outcomes):.1f}",
        _ratio([o.plain.tokens for o in outcomes], base.plain.tokens),
        _ratio([o.plain.wall_seconds for o in outcomes], base.plain.wall_seconds),
        f"{mean(o.plain.lost_tokens for o in outcomes):,.0f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="killed comparisons per moment")
    parser.add_argument("--baseline-runs", type=int, default=3)
    parser.add_argument("--stories", type=int, default=8)
    # Paced by tokens, not a fixed latency per call: with a fixed one, four summaries end
    # together, in waves, and 25 % and 50 % are the same moment.
    parser.add_argument("--tokens-per-second", type=float, default=60.0)
    parser.add_argument("--restart-delay", type=float, default=1.0)
    parser.add_argument("--smoke", action="store_true", help="a tiny run, for CI")
    args = parser.parse_args()
    if args.smoke:
        args.runs, args.baseline_runs, args.stories, args.tokens_per_second = 1, 1, 4, 200.0
    with running_stack(restart_delay=args.restart_delay, llm_latency_ms=0) as stack:
        stack.set_llm_pace(args.tokens_per_second)
        report = asyncio.run(measure(stack, args))
    print(report, flush=True)


if __name__ == "__main__":
    main()
