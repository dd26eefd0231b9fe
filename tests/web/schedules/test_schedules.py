"""/schedules: scheduled briefings as Temporal Schedules, made, listed and run from the page."""

import asyncio
import html
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from temporalio.client import (
    Client,
    ScheduleActionStartWorkflow,
    ScheduleOverlapPolicy,
    WorkflowExecutionStatus,
)
from temporalio.service import RPCError, RPCStatusCode

from testing.polling import wait_for_async
from testing.temporal_dev import free_port
from tests.web.page_client import HTMX, browser, field_error, hidden_fields
from tests.workflows.briefings import workflow_task_timeout
from web.schedules.service import schedule_id_for
from workflows.task_timeout import WORKFLOW_TASK_TIMEOUT

WORKING_DAYS = ["mon", "tue", "wed", "thu", "fri"]
_CHECKED_DAY = re.compile(r'<input type="checkbox" name="days" value="([a-z]+)" checked>')
_LAST_RUN = re.compile(r'<dd class="last-run"><a href="/briefings/([^"]+)">')


@pytest.fixture
async def made(temporal_client: Client) -> AsyncIterator[list[str]]:
    """Ids of the schedules a test made: deleted afterwards, so none fires later."""
    ids: list[str] = []
    yield ids
    for schedule_id in ids:
        try:
            await temporal_client.get_schedule_handle(schedule_id).delete()
        except RPCError:
            pass  # the test deleted it itself


async def schedule_form(web: httpx.AsyncClient, **values: str | list[str]) -> dict:
    """The new-schedule form as a person leaves it: defaults, hidden fields, then `values`."""
    page = (await web.get("/schedules")).text
    defaults = {"days": WORKING_DAYS, "time": "07:00", "time_zone": "UTC", "max_stories": "8"}
    return {**hidden_fields(page), **defaults, **values}


async def create(web: httpx.AsyncClient, made: list[str], **values: str | list[str]) -> str:
    form = await schedule_form(web, **values)
    response = await web.post("/schedules", data=form)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/schedules"
    made.append(schedule_id_for(form["idempotency_key"]))
    return made[-1]


def listed(page: str, schedule_id: str) -> str | None:
    found = re.search(
        rf'<li class="schedule[^"]*" data-schedule="{schedule_id}">(.*?)</li>', page, re.DOTALL
    )
    return found.group(1) if found else None


def listed_row(page: str, schedule_id: str) -> str:
    row = listed(page, schedule_id)
    assert row is not None, f"{schedule_id} is not listed"
    return row


async def post_action(web: httpx.AsyncClient, schedule_id: str, action: str, **headers: str):
    token = hidden_fields((await web.get("/schedules")).text)["csrf_token"]
    return await web.post(
        f"/schedules/{schedule_id}/{action}", data={"csrf_token": token}, headers=headers
    )


async def last_run_link(web: httpx.AsyncClient, schedule_id: str) -> str:
    """The briefing id the list links as the schedule's last run, once it shows one."""

    async def last_run() -> re.Match | None:
        return _LAST_RUN.search(listed_row((await web.get("/schedules/list")).text, schedule_id))

    # The list is cached for up to 4 s.
    found = await wait_for_async(
        last_run, 15, f"a last run listed for {schedule_id}", interval=0.25
    )
    return html.unescape(found.group(1))


async def test_a_schedule_made_from_the_form_is_listed_in_words_with_its_next_run_in_its_zone(
    settings, temporal_client: Client, made
):
    async with browser(settings) as web:
        topic = "<b>markets</b> & rates"
        schedule_id = await create(
            web, made, topic=topic, days=WORKING_DAYS, time="07:00", time_zone="Europe/Paris"
        )
        page = (await web.get("/schedules")).text
    row = listed(page, schedule_id)
    assert row is not None
    assert html.escape(topic, quote=True) in row and "<b>markets" not in row
    assert "Mon–Fri at 07:00 Europe/Paris" in row
    assert f'href="/feeds/schedules/{schedule_id}.atom"' in row
    next_run_cell = re.search(r'<dd class="next-run">([^<]*)</dd>', row)
    assert next_run_cell is not None
    next_run = next_run_cell.group(1)
    assert re.fullmatch(r"(Mon|Tue|Wed|Thu|Fri) \d+ \w+ \d{4}, 07:00 Europe/Paris", next_run)
    description = await temporal_client.get_schedule_handle(schedule_id).describe()
    first = description.info.next_action_times[0].astimezone(ZoneInfo("Europe/Paris"))
    assert (first.hour, first.minute, first.weekday() < 5) == (7, 0, True)
    assert f"{first:%a} {first.day} {first:%b %Y}" in next_run


async def test_a_schedule_skips_a_run_while_the_last_is_running_and_catches_up_within_an_hour(
    settings, temporal_client: Client, made
):
    async with browser(settings) as web:
        schedule_id = await create(web, made, topic="science", days=["sat", "sun"])
    description = await temporal_client.get_schedule_handle(schedule_id).describe()
    schedule = description.schedule
    assert schedule.policy.overlap == ScheduleOverlapPolicy.SKIP
    assert schedule.policy.catchup_window == timedelta(hours=1)
    assert schedule.spec.time_zone_name == "UTC"
    action = schedule.action
    assert isinstance(action, ScheduleActionStartWorkflow)
    assert action.id == f"briefing-sched-{schedule_id.removeprefix('schedule-')}"
    assert action.task_queue == settings.task_queue
    assert await description.memo_value("days") == ["sat", "sun"]


async def test_the_same_form_submitted_twice_makes_one_schedule(settings, made):
    async with browser(settings) as web:
        form = await schedule_form(web, topic="twice")
        first = await web.post("/schedules", data=form)
        again = await web.post("/schedules", data=form)
        page = (await web.get("/schedules")).text
    made.append(schedule_id_for(form["idempotency_key"]))
    assert first.status_code == again.status_code == 303
    assert page.count('<span class="topic">twice</span>') == 1
    assert listed(page, made[-1]) is not None


async def test_with_htmx_a_new_schedule_brings_a_fresh_form_and_the_list_out_of_band(
    settings, made
):
    async with browser(settings) as web:
        form = await schedule_form(web, topic="sport", time="18:30", days=["sat"])
        response = await web.post("/schedules", data=form, headers=HTMX)
    made.append(schedule_id_for(form["idempotency_key"]))
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<form class="briefing-form schedule-form"')
    assert "Scheduled “sport”: Sat at 18:30 UTC." in response.text
    assert hidden_fields(response.text)["idempotency_key"] != form["idempotency_key"]
    assert 'id="schedule-list"' in response.text and 'hx-swap-oob="true"' in response.text
    assert listed(response.text, made[-1]) is not None


async def test_invalid_values_come_back_with_a_message_next_to_each_field_and_are_kept(settings):
    async with browser(settings) as web:
        form = await schedule_form(
            web, topic="oceans", time="25:61", time_zone="Mars/Olympus", days=[]
        )
        page = await web.post("/schedules", data=form)
        form["idempotency_key"] = hidden_fields(page.text)["idempotency_key"]
        partial = await web.post("/schedules", data=form, headers=HTMX)
    assert page.status_code == partial.status_code == 422
    assert "<html" in page.text  # without htmx, the whole page
    assert partial.text.lstrip().startswith('<form class="briefing-form schedule-form"')
    for text in (page.text, partial.text):
        assert field_error(text, "time") == "Enter a time of day as HH:MM, from 00:00 to 23:59."
        assert "IANA time zone" in field_error(text, "time_zone")
        assert field_error(text, "days") == "Choose at least one day of the week."
        assert field_error(text, "topic") is None
        assert 'value="oceans"' in text and 'value="25:61"' in text
        assert 'value="Mars/Olympus"' in text
        assert _CHECKED_DAY.findall(text) == []


async def test_run_now_starts_a_briefing_that_completes_and_is_linked_as_the_last_run(
    settings, worker, temporal_client: Client, made
):
    async with browser(settings) as web:
        schedule_id = await create(web, made, topic="science", max_stories="1")
        triggered = await post_action(web, schedule_id, "trigger", **HTMX)
        assert triggered.status_code == 200
        assert "Started now" in triggered.text
        briefing_id = await last_run_link(web, schedule_id)
        assert briefing_id.startswith(f"briefing-sched-{schedule_id.removeprefix('schedule-')}-")
        await asyncio.wait_for(temporal_client.get_workflow_handle(briefing_id).result(), 30)
        description = await temporal_client.get_workflow_handle(briefing_id).describe()
        briefing_page = await web.get(f"/briefings/{briefing_id}")
    assert description.status == WorkflowExecutionStatus.COMPLETED
    assert await description.memo_value("topic") == "science"
    assert workflow_task_timeout(description) == WORKFLOW_TASK_TIMEOUT
    assert briefing_page.status_code == 200


async def test_pause_and_resume_show_in_the_list_and_in_temporal(
    settings, temporal_client: Client, made
):
    async with browser(settings) as web:
        schedule_id = await create(web, made, topic="culture")
        handle = temporal_client.get_schedule_handle(schedule_id)
        paused = await post_action(web, schedule_id, "pause", **HTMX)
        paused_state = (await handle.describe()).schedule.state
        resumed = await post_action(web, schedule_id, "resume", **HTMX)
        resumed_state = (await handle.describe()).schedule.state
    paused_row = listed_row(paused.text, schedule_id)
    resumed_row = listed_row(resumed.text, schedule_id)
    assert paused.status_code == resumed.status_code == 200
    assert "status-paused" in paused_row and "paused from the web page" in paused_row
    assert "none while paused" in paused_row
    assert f'action="/schedules/{schedule_id}/resume"' in paused_row
    assert (paused_state.paused, paused_state.note) == (True, "paused from the web page")
    assert "status-active" in resumed_row and "07:00 UTC" in resumed_row
    assert (resumed_state.paused, resumed_state.note) == (False, "resumed from the web page")


async def test_a_deleted_schedule_is_gone_from_the_list_and_from_temporal(
    settings, temporal_client: Client, made
):
    async with browser(settings) as web:
        schedule_id = await create(web, made, topic="world")
        deleted = await post_action(web, schedule_id, "delete")
        page = (await web.get("/schedules")).text
    assert (deleted.status_code, deleted.headers["location"]) == (303, "/schedules")
    assert listed(page, schedule_id) is None
    with pytest.raises(RPCError) as gone:
        await temporal_client.get_schedule_handle(schedule_id).describe()
    assert gone.value.status == RPCStatusCode.NOT_FOUND


async def test_an_unknown_schedule_is_a_404_page_or_with_htmx_the_list_saying_so(settings):
    async with browser(settings) as web:
        page = await post_action(web, "schedule-00000000", "pause")
        partial = await post_action(web, "schedule-00000000", "trigger", **HTMX)
    assert page.status_code == 404
    assert "Schedule not found" in page.text and "schedule-00000000" in page.text
    assert partial.status_code == 200
    assert "That schedule no longer exists" in partial.text


async def test_a_form_without_its_csrf_token_is_refused_and_makes_nothing(
    settings, temporal_client: Client
):
    async with browser(settings) as web:
        form = await schedule_form(web, topic="forged")
        del form["csrf_token"]
        refused = await web.post("/schedules", data=form)
        action = await web.post("/schedules/schedule-00000000/delete", data={})
    assert refused.status_code == action.status_code == 403
    with pytest.raises(RPCError):
        await temporal_client.get_schedule_handle(
            schedule_id_for(form["idempotency_key"])
        ).describe()


async def test_the_page_says_when_temporal_is_unreachable_and_keeps_the_form(settings):
    offline = settings.model_copy(update={"temporal_address": f"127.0.0.1:{free_port()}"})
    async with browser(offline) as web:
        page = await web.get("/schedules")
        form = {**hidden_fields(page.text), "topic": "kept", "days": ["mon"], "time": "06:15"}
        refused = await web.post(
            "/schedules", data={**form, "time_zone": "UTC", "max_stories": "3"}, headers=HTMX
        )
    assert page.status_code == 200
    assert "Temporal is unreachable" in page.text
    assert refused.status_code == 503
    assert "the schedule was not created" in refused.text
    assert 'value="kept"' in refused.text and 'value="06:15"' in refused.text


async def test_the_page_runs_under_the_strict_csp_with_no_inline_script_or_style(settings, made):
    async with browser(settings) as web:
        await create(web, made, topic="tech")
        page = await web.get("/schedules")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert not re.search(r"<script(?![^>]*\ssrc=)|<style|\sstyle=|\son[a-z]+=|hx-on", page.text)
    assert '<link rel="stylesheet" href="/static/schedules.css">' in page.text
    assert '<a class="ops" href="/schedules">Schedules</a>' in page.text
