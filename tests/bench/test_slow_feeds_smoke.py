"""bench.slow_feeds runs and prints its table (figures are not checked: the machine is shared)."""

from tests.bench.smoke import run_smoke, table_rows


def test_slow_feeds_prints_the_quiet_and_the_attacked_briefing_and_their_ratio():
    output = run_smoke("bench.slow_feeds")

    rows = table_rows(output)
    assert rows["quiet stack, before the attack"][0] == "1"
    assert rows["while 2 briefings of 4 drip URLs run"][0] == "1"
    assert rows["quiet stack, after the attack"][0] == "1"
    assert "ratio attacked/quiet p50 (target ≤ 1.5)" in rows
    assert "Drips open as each attacked run started:" in output
