"""bench.crash_cost runs and prints its table (figures are not checked: the machine is shared)."""

from tests.bench.smoke import run_smoke, table_rows


def test_crash_cost_prints_the_four_runs_with_the_tokens_they_spent():
    output = run_smoke("bench.crash_cost")

    rows = table_rows(output)
    names = [name for name in rows if name != "run"]
    assert [name.split(",")[0] for name in names] == [
        "durable",
        "durable",
        "non-durable",
        "non-durable",
    ]
    assert all(int(rows[name][1].replace(",", "")) > 0 for name in names)  # tokens logged
