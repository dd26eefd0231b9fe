"""The plain agent's run says what each summary is writing, as the workflow's heartbeats do."""

import httpx
import pytest

from core.settings import Settings
from testing.polling import wait_for
from tests.plain_agent.test_plain_runs import finished, start

pytestmark = pytest.mark.usefixtures("llm_admin")
# Words written before the text is read: enough to be more than a first chunk.
WORDS_SEEN = 4


def writing_a_summary(plain_url: str, run_id: str) -> dict | None:
    view = httpx.get(f"{plain_url}/runs/{run_id}").json()
    for step_id, live in view["writing"].items():
        if step_id.startswith("summarize-") and len(live["text"].split()) >= WORDS_SEEN:
            return view
    return None


def test_a_plain_run_carries_the_text_of_a_summary_being_written(
    plain_url: str, settings: Settings, llm_admin: httpx.Client
):
    # Paced as a real model writes, so the summaries are read while they grow.
    llm_admin.post("/faults", json={"mode": "slow", "tokens_per_second": 20})
    start(plain_url, settings, "run-writing", max_stories=2)

    midway = wait_for(lambda: writing_a_summary(plain_url, "run-writing"), 60, "a summary's words")
    assert midway is not None
    step_id, live = next(
        (step_id, live)
        for step_id, live in midway["writing"].items()
        if len(live["text"].split()) >= WORDS_SEEN
    )
    steps = {step["id"]: step for step in midway["progress"]["steps"]}
    assert steps[step_id]["state"] == "running"
    assert live["attempt"] == 1 and live["lost"] == [] and live["written_at"]

    llm_admin.delete("/faults")
    done = finished(plain_url, "run-writing")
    assert done["state"] == "completed", done["error"]
    assert done["writing"] == {}  # a finished step has its result instead
    summary = {step["id"]: step for step in done["progress"]["steps"]}[step_id]["text"]
    assert summary.startswith(live["text"].rstrip())
