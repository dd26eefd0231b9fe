"""bench.history_size runs a briefing and prints its history's size (sizes are not checked)."""

from tests.bench.smoke import run_smoke, table_rows


def test_history_size_prints_a_row_per_story_count():
    rows = table_rows(run_smoke("bench.history_size"))

    assert rows["stories asked"] == ["summarised", "events", "history (JSON)", "largest payload"]
    summarised, events, size, largest = rows["2"]
    assert summarised == "2" and int(events) > 0
    assert size.endswith(" KiB") and largest.endswith(" KiB")
