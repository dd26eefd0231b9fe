"""bench.web_latency runs and prints its table (figures are not checked: the machine is shared)."""

from tests.bench.smoke import run_smoke, table_rows


def test_web_latency_prints_the_home_and_briefing_pages_without_errors():
    output = run_smoke("bench.web_latency")

    rows = table_rows(output)
    assert rows["page"][:5] == ["requests", "errors", "p50 (ms)", "p95 (ms)", "max (ms)"]
    assert rows["home"][1] == rows["briefing"][1] == "0"
