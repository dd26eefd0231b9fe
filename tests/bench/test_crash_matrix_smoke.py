"""The crash matrix's CI sample: each part killed with kill -9 at a spread of moments, and every
briefing comes out as the crash-free reference did, with no call, offset or event lost or
doubled (issue 19)."""

from pathlib import Path

import pytest

from bench.crash_matrix import crash_matrix
from bench.matrix.cells import NO_KILL, PARTS, PLAIN, Boundary
from bench.matrix.session import MatrixOptions

# Stack start, two references, fourteen cells (one crash-free) on two shared cores: about 90 s.
SAMPLE_TIMEOUT_SECONDS = 420


@pytest.mark.timeout(SAMPLE_TIMEOUT_SECONDS)
async def test_every_sampled_crash_leaves_the_briefing_as_the_crash_free_one(
    tmp_path: Path,
) -> None:
    outcomes = await crash_matrix(MatrixOptions(sample=True), data_dir=tmp_path)

    assert {o.cell.name: o.violations() for o in outcomes} == {o.cell.name: [] for o in outcomes}
    assert all(outcome.identical for outcome in outcomes)
    killed = [outcome for outcome in outcomes if outcome.cell.part != NO_KILL]
    assert {outcome.cell.part for outcome in killed} == {*PARTS, PLAIN}
    assert {outcome.cell.boundary for outcome in killed} == set(Boundary)
    # Every moment was caught and killed at, and progress the viewer saw followed each kill
    # (a plain kill's viewer watches the durable side, which it leaves running).
    assert [outcome.cell.name for outcome in killed if outcome.moment_missed] == []
    durable_kills = [outcome for outcome in killed if outcome.cell.part != PLAIN]
    assert all(outcome.resume_seconds is not None for outcome in durable_kills)
    # The plain side lost its run and paid again for it: the contrast the comparison shows.
    plain = [outcome.plain for outcome in killed if outcome.cell.part == PLAIN]
    assert plain and all(side is not None and side.repeated_calls for side in plain)
