"""bench.heartbeat_false_alarms runs and prints its table (counts are not checked: they are
what the machine did; the script itself refuses to count a run its timeout did not reach)."""

from tests.bench.smoke import run_smoke, table_rows


def test_heartbeat_false_alarms_prints_a_row_per_timeout_with_every_briefing_completed():
    rows = table_rows(run_smoke("bench.heartbeat_false_alarms"))

    assert set(rows) >= {"2 s", "5 s"}
    for timeout in ("2 s", "5 s"):
        completed, activities = rows[timeout][0], int(rows[timeout][1])
        assert completed == "1 of 1"
        assert activities >= 5  # feeds, two reads, two summaries and the compose at least
