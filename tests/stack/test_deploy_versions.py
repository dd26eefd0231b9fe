"""A deploy mid-review: the briefing waiting for its editor finishes on the build that started
it, though the new build's workflow could not replay its history; new briefings, started from
the API or by a schedule, run the new one."""

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from temporalio.client import Client, ScheduleActionExecutionStartWorkflow
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError
from temporalio.worker import Replayer
from temporalio.workflow import NondeterminismError

from core.settings import PROJECT_ROOT, Settings
from testing.build_b_worker import BriefingWorkflowB, build_b_id
from testing.deployments import current_build, first_command, pinning, workflow_task_builds
from testing.polling import wait_for_async
from testing.stack_parts import start_process
from testing.stack_process import StackProcess, wait_for_briefing
from web.schedules.plan import SchedulePlan, Weekday
from web.schedules.service import create_schedule, describe_schedule, trigger_schedule
from worker.deployment import workflows_digest

BRIEFING_TIMEOUT_SECONDS = 120.0
PROMOTION_TIMEOUT_SECONDS = 60.0
DEPLOYMENT = "briefing"


def part_environment(pid: int) -> dict[str, str]:
    entries = Path(f"/proc/{pid}/environ").read_bytes().decode().split("\0")
    return dict(entry.partition("=")[::2] for entry in entries if "=" in entry)


async def wait_until_current(client: Client, build: str) -> None:
    """Each worker makes its own build current once its pollers have reached the server."""
    await wait_for_async(
        lambda: current_build(client, DEPLOYMENT),
        PROMOTION_TIMEOUT_SECONDS,
        f"build {build} current",
        until=lambda current: current == build,
        interval=0.5,  # the server limits the requests to one deployment
        ignoring=(RPCError,),
    )


def start_briefing(api: httpx.Client, **options: object) -> str:
    created = api.post("/api/briefings", json={"topic": "science", **options})
    assert created.status_code == 202, created.text
    return created.json()["id"]


def finished(api: httpx.Client, briefing_id: str) -> dict:
    body = wait_for_briefing(
        api,
        f"/api/briefings/{briefing_id}",
        lambda body: body["status"] != "running",
        BRIEFING_TIMEOUT_SECONDS,
    )
    assert body["status"] == "completed", body.get("error")
    return body


def start_build_b(stack: StackProcess, worker_pid: int, log: Path) -> subprocess.Popen:
    """Build B started beside `briefing up`'s worker (build A), as a deploy would start it:
    with A's own settings (queues, deployment, made current at start as `up` has it)."""
    command = [sys.executable, "-m", "testing.build_b_worker"]
    # `testing` is the checkout's, not an installed package: the child runs elsewhere.
    env = part_environment(worker_pid) | {"PYTHONPATH": str(PROJECT_ROOT)}
    return start_process(command, env=env, data_dir=stack.data_dir, log=log)


@pytest.fixture
def build_b(stack: StackProcess, tmp_path: Path) -> Iterator[Callable[[int], subprocess.Popen]]:
    started: list[subprocess.Popen] = []

    def deploy(worker_pid: int) -> subprocess.Popen:
        started.append(start_build_b(stack, worker_pid, tmp_path / "build-b.log"))
        return started[-1]

    yield deploy
    for process in started:
        process.terminate()
        process.wait(timeout=30)


async def test_a_briefing_under_review_finishes_on_its_build_after_a_deploy(
    stack: StackProcess, build_b: Callable[[int], subprocess.Popen]
) -> None:
    pids = stack.wait_until_up()
    worker_pid, web_pid = pids["worker"], pids["web"]
    client = await Client.connect(
        stack.environment["TEMPORAL_ADDRESS"], data_converter=pydantic_data_converter
    )
    build_a = workflows_digest()
    await wait_until_current(client, build_a)
    api = httpx.Client(base_url=stack.url("web"), timeout=10)
    waiting_id = start_briefing(api, review=True, max_stories=2)
    waiting = wait_for_briefing(
        api, f"/api/briefings/{waiting_id}", lambda body: body["review"], BRIEFING_TIMEOUT_SECONDS
    )

    build_b(worker_pid)
    await wait_until_current(client, build_b_id())
    choice = [candidate["id"] for candidate in waiting["review"]["candidates"][:2]]
    reviewed = api.post(f"/api/briefings/{waiting_id}/review", json={"story_ids": choice})
    assert reviewed.status_code == 200, reviewed.text
    finished(api, waiting_id)
    old = client.get_workflow_handle(waiting_id)
    assert set(await workflow_task_builds(old)) == {build_a}
    assert await pinning(old) == ("PINNED", build_a)
    assert await first_command(old) != "TIMER_STARTED"
    # Build B could not have carried it on: its workflow does not replay what A recorded.
    with pytest.raises(NondeterminismError):
        await Replayer(
            workflows=[BriefingWorkflowB], data_converter=pydantic_data_converter
        ).replay_workflow(await old.fetch_history())

    new_id = start_briefing(api, max_stories=2)
    finished(api, new_id)
    scheduled_id = await run_a_schedule_once(
        client, Settings.model_validate(part_environment(web_pid))
    )
    for briefing_id in (new_id, scheduled_id):
        new = client.get_workflow_handle(briefing_id)
        await new.result()
        assert set(await workflow_task_builds(new)) == {build_b_id()}, briefing_id
        assert await pinning(new) == ("PINNED", build_b_id())
        assert await first_command(new) == "TIMER_STARTED"


async def run_a_schedule_once(client: Client, web_settings: Settings) -> str:
    """A schedule made as the web makes one, triggered: the id of the briefing it started."""
    plan = SchedulePlan(
        topic="science", days=tuple(Weekday), time="03:00", time_zone="UTC", max_stories=2
    )
    await create_schedule(client, web_settings, plan, "schedule-deploy-test")
    await trigger_schedule(client, "schedule-deploy-test")
    described = await wait_for_async(
        lambda: describe_schedule(client, "schedule-deploy-test"),
        BRIEFING_TIMEOUT_SECONDS,
        "the schedule's first run",
        until=lambda description: description.info.recent_actions,
    )
    started = described.info.recent_actions[-1].action
    assert isinstance(started, ScheduleActionExecutionStartWorkflow)
    return started.workflow_id
