"""The crash matrix (issue 19): one fixed briefing killed at each moment, by each part's
`kill -9`, must come out as the same briefing run without a crash.

    python -m bench.crash_matrix            # every cell
    python -m bench.crash_matrix --sample   # CI's sample: each part, a spread of moments
    python -m bench.crash_matrix --spare-worker --only worker   # resume with a second worker

One stack of separate processes (bench.soak.processes) on free ports; a crash-free reference
run, then one fresh briefing per cell. Prints the table and exits 1 on any violation (content
not identical, an LLM call after its summary completed or beyond the calls in flight at the
kill, an SSE offset missed or repeated, a history that does not replay).
"""

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path

from bench.matrix.cells import PARTS, PLAIN
from bench.matrix.report import render_differences, render_table
from bench.matrix.session import MatrixOptions, run_matrix
from bench.matrix.verdict import CellOutcome


async def crash_matrix(options: MatrixOptions, data_dir: Path | None = None) -> list[CellOutcome]:
    if data_dir is not None:
        return await run_matrix(data_dir, options)
    with tempfile.TemporaryDirectory(prefix="crash-matrix-") as scratch:
        return await run_matrix(Path(scratch), options)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", action="store_true", help="CI's sample of cells only")
    parser.add_argument(
        "--data-dir", type=Path, help="keep the parts' logs and SQLite here (default: a temp dir)"
    )
    parser.add_argument(
        "--spare-worker", action="store_true", help="a second worker beside the one killed"
    )
    parser.add_argument(
        "--only", nargs="+", choices=(*PARTS, PLAIN), help="only the cells killing these parts"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.data_dir is not None:
        args.data_dir.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    outcomes = asyncio.run(
        crash_matrix(
            MatrixOptions(
                sample=args.sample,
                spare_worker=args.spare_worker,
                only=frozenset(args.only) if args.only else None,
            ),
            data_dir=args.data_dir and args.data_dir.resolve(),
        )
    )
    print(render_table(outcomes, duration_seconds=time.monotonic() - began))
    differences = render_differences(outcomes)
    if differences:
        print("\n" + differences)
    failed = [outcome for outcome in outcomes if outcome.violations()]
    for outcome in failed:
        print(f"VIOLATION {outcome.cell.name}: {'; '.join(outcome.violations())}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
