"""An operator follows one briefing through the logs of `briefing web` and `briefing worker`,
run as processes with BRIEFING_LOG_FORMAT=json: every line one JSON object, and the lines about
the briefing carry its workflow id, run id and, inside an activity, the activity and attempt."""

import json
import subprocess
from pathlib import Path

import httpx
import pytest
from temporalio.client import Client

from core.settings import Settings
from stack.parts import settings_variables
from testing.stack_parts import local_environment, part_command, start_process
from testing.temporal_dev import free_port, wait_for_port

pytestmark = pytest.mark.stack

STOP_SECONDS = 30


def part(settings: Settings, name: str, log: Path, **variables: str) -> subprocess.Popen:
    env = local_environment() | settings_variables(settings, settings.model_fields_set)
    env |= {"BRIEFING_ENV_FILE": "", "BRIEFING_LOG_FORMAT": "json", **variables}
    return start_process(part_command(name), env=env, data_dir=log.parent, log=log)


def stopped(process: subprocess.Popen, log: Path) -> list[dict]:
    process.terminate()
    process.wait(STOP_SECONDS)
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    return [json.loads(line) for line in lines]  # fails on any line that is not one object


def about(lines: list[dict], workflow_id: str, message: str) -> list[dict]:
    return [
        line
        for line in lines
        if line.get("workflow_id") == workflow_id and line["message"].startswith(message)
    ]


async def test_one_briefing_is_followed_by_its_ids_through_web_and_worker_lines(
    settings: Settings, temporal_client: Client, llm_admin, tmp_path: Path
):
    port = free_port()
    worker_log, web_log = tmp_path / "worker.log", tmp_path / "web.log"
    worker = part(settings, "worker", worker_log)
    web = part(settings, "web", web_log, BRIEFING_WEB_PORT=str(port))
    try:
        wait_for_port(port)
        llm_admin.post("/faults", json={"mode": "error", "count": 1})  # one attempt 2
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=15) as api:
            created = await api.post("/api/briefings", json={"topic": "science", "max_stories": 2})
        assert created.status_code == 202, created.text
        briefing_id = created.json()["id"]
        handle = temporal_client.get_workflow_handle(briefing_id)
        await handle.result()
        run_id = (await handle.describe()).run_id
    finally:
        web_lines = stopped(web, web_log)
        worker_lines = stopped(worker, worker_log)

    [started] = about(web_lines, briefing_id, "briefing started: 'science'")
    assert started["logger"] == "web.briefings.service" and started["level"] == "INFO"
    assert any(line["logger"] == "uvicorn.access" for line in web_lines)

    [completed] = about(worker_lines, briefing_id, "briefing completed")
    assert completed["run_id"] == run_id and completed["workflow_type"] == "BriefingWorkflow"
    # The SDK's own line for the failed attempt, in its activity's context, traceback inline.
    [failed] = about(worker_lines, briefing_id, "Completing activity as failed")
    assert failed["run_id"] == run_id and failed["level"] == "WARNING"
    assert failed["activity"] == "summarize_story" and failed["attempt"] == 1
    assert failed["activity_id"].startswith("summarize-") and "Traceback" in failed["error"]
    # The context is in its fields, not appended to the message as the SDK does by default.
    assert "workflow_id" not in failed["message"] and "'attempt'" not in completed["message"]
