"""bench.slow_clients runs and prints its table (figures are not checked: the machine is shared)."""

from tests.bench.smoke import run_smoke, table_rows


def test_slow_clients_samples_ups_threads_and_the_webs_open_files():
    output = run_smoke("bench.slow_clients")

    rows = table_rows(output)
    assert rows["since the attack"] == ["`up` threads", "web open files"]
    assert {"before", "0 s", "1 s"} <= rows.keys()
    assert all(cell.isdigit() for row in ("before", "1 s") for cell in rows[row])
