"""bench.comparison_kills runs and prints its table (figures unchecked: the machine is shared)."""

from tests.bench.smoke import run_smoke, table_rows


def test_comparison_kills_prints_a_row_per_moment_with_both_sides_measured():
    rows = table_rows(run_smoke("bench.comparison_kills"))

    names = [name for name in rows if name != "comparison"]
    # The smoke's moments: half-way through the summaries, and in compose.
    assert names[0] == "no kill" and len(names) == 3
    assert names[-1] == "killed at in compose"
    for name in names:
        runs, durable_tokens, *_ = rows[name]
        assert int(runs) >= 1 and durable_tokens != "nan (nan–nan)"
