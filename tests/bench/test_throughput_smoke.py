"""bench.throughput runs and prints its table (figures are not checked: the machine is shared)."""

from tests.bench.smoke import run_smoke, table_rows


def test_throughput_prints_briefings_against_the_noop_workflow_per_worker_count():
    output = run_smoke("bench.throughput")

    rows = table_rows(output)
    assert rows["workers"][:3] == ["briefings/min", "no-op runs/min", "ratio"]
    assert "1" in rows
    assert "Shape of one briefing, from its history:" in output
