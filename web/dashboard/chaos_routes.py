"""The chaos panel's buttons. Off unless BRIEFING_CHAOS_ENABLED (on under `briefing up`)."""

from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from core.temporal_errors import TemporalUnavailable, temporal_call
from stack.control_client import StackControlError
from stack.control_models import KILL_THE_SERVERS, is_offered
from web.dashboard.chaos_descriptions import (
    describe_feed_fault,
    describe_llm_fault,
    describe_servers_kill,
)
from web.dashboard.dashboard import Dashboard
from web.dashboard.fault_controls import FaultTargetMissing, FeedFault, LlmFault
from web.dashboard.scenario_run import ScenarioBusy
from web.page_context import render_fragment


def chaos_dashboard(request: Request) -> Dashboard:
    dashboard: Dashboard = request.app.state.dashboard
    if not dashboard.settings.chaos_enabled:
        raise HTTPException(status_code=404, detail="the chaos panel is off")
    return dashboard


router = APIRouter(prefix="/dashboard", tags=["dashboard"], dependencies=[Depends(chaos_dashboard)])
ChaosDashboard = Annotated[Dashboard, Depends(chaos_dashboard)]
OptionalNumber = Annotated[str, Form()]


def result(request: Request, text: str, *, ok: bool = True, status_code: int = 200) -> HTMLResponse:
    return render_fragment("partials/dashboard/_chaos_result.html", status_code, ok=ok, text=text)


async def acted(request: Request, dashboard: Dashboard, text: str) -> HTMLResponse:
    await dashboard.log(text)
    await dashboard.monitor.refresh_now()
    return result(request, text)


def _number(value: str) -> float | None:
    return float(value) if value.strip() else None


@router.post("/chaos/llm")
async def break_llm(
    request: Request,
    dashboard: ChaosDashboard,
    mode: Annotated[str, Form()],
    count: OptionalNumber = "",
    seconds: OptionalNumber = "",
    tokens_per_second: OptionalNumber = "",
    words: OptionalNumber = "",
) -> HTMLResponse:
    try:
        times = _number(count)
        # Validated, not built: the mode is whatever the form sent.
        fault = LlmFault.model_validate(
            {
                "mode": mode,
                "count": int(times) if times else None,
                "seconds": _number(seconds),
                "tokens_per_second": _number(tokens_per_second),
                "words": int(number) if (number := _number(words)) is not None else None,
            }
        )
        await dashboard.faults.break_llm(fault)
    except (ValidationError, ValueError) as error:
        return result(request, f"not applied: {error}", ok=False, status_code=422)
    except (FaultTargetMissing, httpx.HTTPError) as error:
        return result(request, f"the LLM could not be reached: {error}", ok=False, status_code=502)
    return await acted(request, dashboard, f"LLM: {describe_llm_fault(fault)}")


@router.post("/chaos/llm/reset")
async def reset_llm(request: Request, dashboard: ChaosDashboard) -> HTMLResponse:
    try:
        await dashboard.faults.reset_llm()
    except (FaultTargetMissing, httpx.HTTPError) as error:
        return result(request, f"the LLM could not be reached: {error}", ok=False, status_code=502)
    return await acted(request, dashboard, "LLM: back to normal")


@router.post("/chaos/feeds")
async def break_feed(
    request: Request,
    dashboard: ChaosDashboard,
    feed: Annotated[str, Form()],
    mode: Annotated[str, Form()],
    seconds: OptionalNumber = "",
) -> HTMLResponse:
    try:
        # Validated, not built: the mode is whatever the form sent.
        fault = FeedFault.model_validate({"feed": feed, "mode": mode, "seconds": _number(seconds)})
        await dashboard.faults.break_feed(fault)
    except (ValidationError, ValueError) as error:
        return result(request, f"not applied: {error}", ok=False, status_code=422)
    except httpx.HTTPError as error:
        return result(
            request, f"the newsroom could not be reached: {error}", ok=False, status_code=502
        )
    return await acted(
        request, dashboard, f"newsroom: feed {feed} now {describe_feed_fault(fault)}"
    )


@router.post("/chaos/feeds/reset")
async def reset_feeds(request: Request, dashboard: ChaosDashboard) -> HTMLResponse:
    try:
        await dashboard.faults.reset_feeds()
    except httpx.HTTPError as error:
        return result(
            request, f"the newsroom could not be reached: {error}", ok=False, status_code=502
        )
    return await acted(request, dashboard, "newsroom: every feed back to normal")


@router.post("/chaos/parts/{name}/kill")
async def kill_part(
    request: Request, dashboard: ChaosDashboard, name: str, restart_after: OptionalNumber = ""
) -> HTMLResponse:
    if dashboard.control is None:
        return result(request, "process controls need `briefing up`", ok=False, status_code=409)
    if not is_offered(name, "kill"):
        return result(request, f"the panel does not kill {name}", ok=False, status_code=404)
    delay = _number(restart_after)
    try:
        await dashboard.control.kill(name, restart_after=delay)
    except StackControlError as error:
        return result(request, str(error), ok=False, status_code=409)
    back = f", back in {delay:g} s" if delay else ""
    return await acted(request, dashboard, f"killed {name} (SIGKILL){back}")


@router.post("/chaos/parts/{name}/start")
async def start_part(request: Request, dashboard: ChaosDashboard, name: str) -> HTMLResponse:
    if dashboard.control is None:
        return result(request, "process controls need `briefing up`", ok=False, status_code=409)
    if not is_offered(name, "start"):
        return result(request, f"the panel does not start {name}", ok=False, status_code=404)
    try:
        await dashboard.control.start(name)
    except StackControlError as error:
        return result(request, str(error), ok=False, status_code=409)
    return await acted(request, dashboard, f"started {name}")


@router.post("/chaos/servers/kill")
async def kill_the_servers(
    request: Request, dashboard: ChaosDashboard, restart_after: OptionalNumber = ""
) -> HTMLResponse:
    if dashboard.control is None:
        return result(request, "process controls need `briefing up`", ok=False, status_code=409)
    try:
        chosen = _number(restart_after)
        delay = float(KILL_THE_SERVERS.restart_after_seconds) if chosen is None else chosen
        await dashboard.control.kill_together(list(KILL_THE_SERVERS.parts), restart_after=delay)
    except ValueError as error:
        return result(request, f"not applied: {error}", ok=False, status_code=422)
    except StackControlError as error:
        return result(request, str(error), ok=False, status_code=409)
    return await acted(request, dashboard, describe_servers_kill(delay))


@router.post("/scenario")
async def run_scenario(request: Request, dashboard: ChaosDashboard) -> HTMLResponse:
    if dashboard.scenario is None:
        return result(request, "the scenario needs `briefing up`", ok=False, status_code=409)
    if dashboard.demo_running:
        return result(request, "a demo scenario is already running", ok=False, status_code=409)
    try:
        async with temporal_call():
            briefing_id = await dashboard.scenario.start()
    except (ScenarioBusy, TemporalUnavailable) as error:
        return result(request, str(error), ok=False, status_code=409)
    await dashboard.monitor.refresh_now()
    return result(request, f"scenario running: briefing {briefing_id}")


@router.post("/scenario/comparison")
async def run_comparison_scenario(request: Request, dashboard: ChaosDashboard) -> HTMLResponse:
    scenario = dashboard.comparison_scenario
    if scenario is None:
        return result(
            request,
            "the comparison scenario needs `briefing up` and the web's comparisons",
            ok=False,
            status_code=409,
        )
    if dashboard.demo_running:
        return result(request, "a demo scenario is already running", ok=False, status_code=409)
    try:
        async with temporal_call():
            comparison_id = await scenario.start()
    except (ScenarioBusy, TemporalUnavailable) as error:
        return result(request, str(error), ok=False, status_code=409)
    await dashboard.monitor.refresh_now()
    return result(request, f"comparison scenario running: /comparisons/{comparison_id}")
