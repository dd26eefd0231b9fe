"""bench.heartbeat_false_alarms runs and prints its table (counts are not checked: they are
what the machine did; the script itself refuses to count a run its timeout did not reach)."""

from tests.bench.smoke import run_smoke, table_rows


def test_heartbeat_false_alarms_prints_the_timeout_s_row_with_its_briefing_completed():
    rows = table_rows(run_smoke("bench.heartbeat_false_alarms"))

    completed, activities = rows["2 s"][0], int(rows["2 s"][1])
    assert completed == "1 of 1"
    assert activities >= 5  # feeds, two reads, two summaries and the compose at least
