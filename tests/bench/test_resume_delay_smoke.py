"""bench.resume_delay runs and prints its table (figures are not checked: the machine is shared)."""

from tests.bench.smoke import run_smoke, table_rows


def test_resume_delay_prints_restart_to_progress_and_the_added_time():
    output = run_smoke("bench.resume_delay")

    rows = table_rows(output)
    assert "crash-free briefing, POST → completed" in rows
    assert "restart (polling) → next progress event" in rows
    assert "added by the crash: crashed briefing − crash-free median" in rows
