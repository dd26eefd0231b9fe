"""A comparison on `briefing up`: worker and plain agent SIGKILLed together mid-summaries.

The durable side carries on and asks the LLM for no summary it already had; the plain side is
lost (or rerun from scratch), and its ledger counts the repeats the LLM's own log shows.
"""

import os
import signal

import httpx
import pytest

from testing.polling import wait_for
from testing.stack_process import StackProcess, summaries_in

TIMEOUT_SECONDS = 180.0


@pytest.fixture
def stack(tmp_path):
    # Paced, so that the kill lands while summaries are being written on both sides. At 60
    # tokens/s both sides were mid-summaries together for 2.6 s, and a slow lane sharing the
    # cores moved them apart (no overlap in 180 s); at 20 the overlap is about 7 s.
    with StackProcess(
        tmp_path, restart_delay=1.0, extra_env={"BRIEFING_LLM_TOKENS_PER_SECOND": "20"}
    ) as stack:
        yield stack


def comparison(api: httpx.Client, url: str, condition, what: str) -> dict:
    return wait_for(lambda: api.get(url).json(), TIMEOUT_SECONDS, what, until=condition)


def mid_summaries(view: dict) -> bool:
    durable, plain = view["durable"], view["plain"]
    return bool(
        summaries_in(durable, "done")
        and summaries_in(durable, "running")
        and summaries_in(plain, "done")
        and plain["state"] == "running"
    )


def repeats_in(log: list[dict]) -> int:
    """Calls whose messages the LLM had already answered once: counted here, independently."""
    answered, repeats = set(), 0
    for call in sorted(log, key=lambda call: call["seq"]):
        repeats += call["fingerprint"] in answered
        if call["status"] in (200, 499):
            answered.add(call["fingerprint"])
    return repeats


# With `rerun`, run 1 is lost as with `lost` and run 2 starts over: one run shows both (the
# browser test and tests/workflows/test_comparison.py show `lost` alone).
def test_killing_both_mid_summaries_loses_the_plain_run_and_redoes_nothing_durable(stack):
    after_crash = "rerun"
    pids = stack.wait_until_up()
    api = httpx.Client(base_url=stack.url("web"), timeout=10)
    created = api.post(
        "/api/comparisons", json={"topic": "science", "max_stories": 8, "after_crash": after_crash}
    )
    assert created.status_code == 202, created.text
    url = f"/api/comparisons/{created.json()['id']}"
    before = comparison(api, url, mid_summaries, "both sides mid-summaries")
    done_before = [step["label"] for step in summaries_in(before["durable"], "done")]

    for part in ("worker", "plain"):  # back to back: the same instant, as the panel's button
        os.kill(pids[part], signal.SIGKILL)
    died = comparison(
        api, url, lambda view: view["plain"]["state"] in ("died", "lost"), "the plain side died"
    )
    assert died["plain"]["note"].startswith("the agent's process died:")

    finished = comparison(api, url, lambda view: view["finished"], "the comparison finished")
    durable, plain = finished["durable"], finished["plain"]
    assert durable["status"] == "completed"
    assert finished["ledger_source"] == "llm_log"

    log = httpx.get(f"{stack.url('llm')}/_admin/requests").json()
    durable_log = [call for call in log if call["run"] == f"durable:{durable['id']}"]
    for title in done_before:
        asked = [call for call in durable_log if call["title"] == title and call["articles"] == 1]
        assert len(asked) == 1, f"{title!r} was summarised again after it was recorded"
    assert durable["ledger"]["repeated_calls"] == repeats_in(durable_log)

    plain_labels = {f"plain:{run['run_id']}" for run in plain["runs"]}
    plain_log = [call for call in log if call["run"] in plain_labels]
    assert plain["ledger"]["repeated_calls"] == repeats_in(plain_log)
    assert plain["ledger"]["lost_tokens"] > 0
    first = plain["runs"][0]
    assert first["state"] == "lost"
    assert plain["runs"][-1]["state"] == "completed" and plain["state"] == "completed"
    # The rerun asked again for every summary the lost run had been answered.
    assert plain["ledger"]["repeated_calls"] >= 1
