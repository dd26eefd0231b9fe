"""bench.live_text_channels runs a briefing per channel and prints its table (figures unchecked)."""

from tests.bench.smoke import run_smoke, table_rows


def test_live_text_channels_prints_a_row_per_channel_with_words_seen_on_both_channels():
    rows = table_rows(run_smoke("bench.live_text_channels"))

    header = rows["variant"]
    assert set(rows) == {"variant", "off", "stream", "heartbeats"}
    watched = header.index("attempts watched")
    lag = header.index("lag per word p50 / p95 (ms)")
    assert rows["off"][watched] == "0"
    for variant in ("stream", "heartbeats"):
        # Three LLM steps (two summaries and the lead) were watched being written.
        assert int(rows[variant][watched]) >= 3
        assert rows[variant][lag] != "- / -"
