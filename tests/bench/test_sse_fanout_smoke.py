"""bench.sse_fanout runs and prints its table (figures are not checked: the machine is shared)."""

from tests.bench.smoke import run_smoke, table_rows


def test_sse_fanout_prints_one_row_per_viewer_count_with_every_stream_finished():
    output = run_smoke("bench.sse_fanout")

    rows = table_rows(output)
    assert "lag p95 (ms)" in rows["viewers"]
    assert set(rows) == {"viewers", "1", "4"}
    unfinished = rows["viewers"].index("unfinished streams")
    assert rows["1"][unfinished] == rows["4"][unfinished] == "0"
