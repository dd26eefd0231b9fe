"""Chaos soak: N briefings while the worker, the web and the Temporal server are `kill -9`ed
K times at random and the LLM answers 429s and slowly; then check nothing was lost.

    python -m bench.chaos_soak --briefings 20 --kills 30 --seed 1

Each part runs as its own process on free ports with a fresh data directory. Exits 1 and names
each violation when a briefing was lost, stuck or duplicated, an LLM call came after its summary
completed, or an SSE client never saw its briefing's end.
"""

import argparse
import asyncio
import logging
import sys
import tempfile
from pathlib import Path

from bench.soak.config import SoakConfig
from bench.soak.driver import SoakResult, SoakRun
from bench.soak.report import render_table


async def run_soak(config: SoakConfig, data_dir: Path | None = None) -> SoakResult:
    if data_dir is not None:
        return await SoakRun(config, data_dir).run()
    with tempfile.TemporaryDirectory(prefix="chaos-soak-") as scratch:
        return await SoakRun(config, Path(scratch)).run()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--briefings", type=int, default=SoakConfig.briefings, metavar="N")
    parser.add_argument("--kills", type=int, default=SoakConfig.kills, metavar="K")
    parser.add_argument("--seed", type=int, default=SoakConfig.seed)
    parser.add_argument(
        "--start-spread",
        type=float,
        default=SoakConfig.start_spread,
        metavar="FRACTION",
        help="start the briefings evenly over this share of the kills' span (0: all at once)",
    )
    parser.add_argument(
        "--kill-gap",
        type=float,
        nargs=2,
        default=SoakConfig.kill_gap,
        metavar=("MIN", "MAX"),
        help="seconds between two kills, drawn uniformly (default %(default)s)",
    )
    parser.add_argument(
        "--data-dir", type=Path, help="keep the parts' logs and SQLite here (default: a temp dir)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request drowns the kills
    config = SoakConfig(
        briefings=args.briefings,
        kills=args.kills,
        seed=args.seed,
        start_spread=args.start_spread,
        kill_gap=tuple(args.kill_gap),
    )
    if args.data_dir is not None:
        args.data_dir.mkdir(parents=True, exist_ok=True)
    result = asyncio.run(run_soak(config, args.data_dir and args.data_dir.resolve()))
    print(render_table(result.outcome, seed=config.seed, duration_seconds=result.duration_seconds))
    violations = result.outcome.violations()
    for violation in violations:
        print(f"VIOLATION {violation}", file=sys.stderr)
    return 1 if violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
