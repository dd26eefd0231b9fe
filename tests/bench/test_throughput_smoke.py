"""bench.throughput runs and prints its tables (figures are not checked: the machine is shared)."""

from tests.bench.smoke import run_smoke, table_rows


def test_throughput_prints_briefings_against_the_noop_workflow_and_their_cpu_per_run():
    output = run_smoke("bench.throughput")

    rows = table_rows(output)
    assert rows["workers"][:3] == ["briefings/min", "no-op runs/min", "ratio"]
    assert "1" in rows
    assert "Shape of one briefing, from its history:" in output
    # Where the CPU went, per process kind, for both kinds of run.
    assert rows["workers, runs"][:7] == [
        "completed",
        "Temporal",
        "workers",
        "idle workers",
        "offline LLM",
        "newsroom",
        "bench driver",
    ]
    assert len(rows["1, briefings"]) == len(rows["1, no-op"]) == len(rows["workers, runs"])
