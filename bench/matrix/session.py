"""The whole matrix on one stack: the references, then every cell, each judged on its own."""

import json
import logging
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from bench.matrix.cells import (
    NO_KILL,
    Boundary,
    Cell,
    FixedRequest,
    full_matrix,
    sample_matrix,
)
from bench.matrix.judge import judge_cell
from bench.matrix.run import CellRun, MatrixStack
from bench.matrix.verdict import CellOutcome
from bench.soak.histories import read_run
from bench.soak.processes import Part, Stack
from demo.newsroom.outlets import OUTLETS_BY_SLUG, feed_path

log = logging.getLogger("bench.matrix")
TOPIC = "science"
OUTLETS = ("lab-notes", "circuit-daily")
MAX_STORIES = 3
# The soak's parts and the plain agent, whose cells run a comparison.
PARTS = ("server", "newsroom", "llm", "plain", "worker", "web")
SPARE = "spare-worker"


def fixed_request(stack: Stack) -> FixedRequest:
    sources = [stack.url("newsroom") + feed_path(OUTLETS_BY_SLUG[slug]) for slug in OUTLETS]
    return FixedRequest(TOPIC, sources, MAX_STORIES)


@dataclass(frozen=True)
class MatrixOptions:
    sample: bool = False  # CI's sample of cells, or all of them
    # A second worker beside the one the cells kill, as production would run.
    spare_worker: bool = False
    only: frozenset[str] | None = None  # only the cells that kill these parts


async def run_matrix(data_dir: Path, options: MatrixOptions) -> list[CellOutcome]:
    # No pacing (BRIEFING_LLM_TOKENS_PER_SECOND=0): the offline LLM answers at once.
    stack = Stack(data_dir, tokens_per_second=0, parts=PARTS)
    if options.spare_worker:
        # Its own metrics port (none): two workers on one would leave the second without one.
        env = stack.env | {"BRIEFING_WORKER_METRICS_PORT": "0"}
        stack.parts[SPARE] = Part(SPARE, env, data_dir, command="worker")
    matrix = None
    try:
        await stack.start()
        key_prefix = f"crash-matrix-{uuid.uuid4().hex[:8]}"
        matrix = MatrixStack(stack, fixed_request(stack), key_prefix, options.spare_worker)
        return await _run_cells(matrix, options)
    finally:
        if matrix is not None:
            await matrix.close()
        stack.stop()


async def _run_cells(matrix: MatrixStack, options: MatrixOptions) -> list[CellOutcome]:
    client = await matrix.connect()
    reference = await _reference(matrix, Cell(NO_KILL))
    review_reference = await _reference(matrix, Cell(NO_KILL, Boundary.REVIEW_WAIT))
    activity_ids = [
        a.activity_id for a in (await read_run(client, reference.briefing_id)).activities
    ]
    log.info("reference %s: activities %s", reference.briefing_id, activity_ids)
    cells = sample_matrix(activity_ids) if options.sample else full_matrix(activity_ids)
    if options.only is not None:
        cells = [cell for cell in cells if cell.part in options.only | {NO_KILL}]
    outcomes = []
    for index, cell in enumerate(cells, 1):
        await _every_part_up(matrix.stack)
        against = review_reference if cell.review else reference
        outcome = await _one_cell(matrix, index, cell, against)
        log.info("%d/%d %s: %s", index, len(cells), cell.name, outcome.violations() or "ok")
        outcomes.append(outcome)
    return outcomes


def _keep(data_dir: Path, label: str, run: CellRun) -> None:
    """Each run's content as served, beside the parts' logs: a difference can be read whole."""
    folder = data_dir / "runs"
    folder.mkdir(exist_ok=True)
    name = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    (folder / f"{name}.json").write_text(json.dumps(run.view, indent=1, ensure_ascii=False))
    (folder / f"{name}.md").write_text(run.markdown)


async def _reference(matrix: MatrixStack, cell: Cell) -> CellRun:
    """A crash-free run that is itself sound: completed, fully streamed, replayable."""
    run = await matrix.run(cell)
    _keep(matrix.stack.data_dir, f"reference {cell.name}", run)
    problems = (await judge_cell(matrix, cell, run, run)).violations()
    if problems:
        raise RuntimeError(f"the reference run {run.briefing_id} is unsound: {problems}")
    return run


async def _one_cell(matrix: MatrixStack, index: int, cell: Cell, reference: CellRun) -> CellOutcome:
    try:
        run = await matrix.run(cell)
        _keep(matrix.stack.data_dir, f"{index:03d} {cell.name}", run)
        return await judge_cell(matrix, cell, run, reference)
    except Exception as error:  # noqa: BLE001 - one broken cell must not hide the others
        log.exception("%s could not be run", cell.name)
        return CellOutcome(cell, "-", error=f"{type(error).__name__}: {error}")


async def _every_part_up(stack: Stack) -> None:
    """A cell that broke off may have left its part down: the next one starts on a whole stack."""
    for part in stack.parts.values():
        if not part.alive:
            part.start()
            await part.wait_ready()
