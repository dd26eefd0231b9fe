"""bench.overhead runs and prints its table (figures are not checked: the machine is shared)."""

from tests.bench.smoke import run_smoke, table_rows


def test_overhead_prints_both_pipelines_and_their_ratio():
    output = run_smoke("bench.overhead")

    rows = table_rows(output)
    assert "(a) Temporal workflow: worker + dev server" in rows
    assert "(b) plain asyncio, same activities in-process" in rows
    assert "ratio a/b (target ≤ 1.2)" in rows
    assert "same stories in every run of both: yes" in output
