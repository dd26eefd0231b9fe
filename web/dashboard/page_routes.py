"""GET /dashboard and its server-sent events: every section re-rendered when it changes."""

from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sse_starlette import EventSourceResponse

from stack.control_models import KILL_THE_SERVERS, PANEL_PART_ACTIONS
from web.dashboard.dashboard import Dashboard
from web.dashboard.snapshot import DashboardSnapshot
from web.page_context import render_page
from web.templating import templates

router = APIRouter(tags=["dashboard"])
SECTIONS = {
    "system": "partials/dashboard/_system.html",
    "briefings": "partials/dashboard/_briefings.html",
    "ledger": "partials/dashboard/_ledger.html",
    "actions": "partials/dashboard/_actions.html",
}
PING_SECONDS = 15


def section_context(dashboard: Dashboard, snapshot: DashboardSnapshot) -> dict:
    return {
        "snapshot": snapshot,
        "settings": dashboard.settings,
        "temporal_ui_url": dashboard.settings.temporal_ui_url,
        "namespace": dashboard.settings.temporal_namespace,
    }


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard_page(request: Request) -> HTMLResponse:
    dashboard: Dashboard = request.app.state.dashboard
    snapshot = await dashboard.monitor.fresh_snapshot() or await dashboard.collector.collect()
    return render_page(
        request,
        "dashboard.html",
        chaos_enabled=dashboard.settings.chaos_enabled,
        control_available=dashboard.control is not None,
        part_actions=PANEL_PART_ACTIONS,
        kill_the_servers=KILL_THE_SERVERS,
        comparison_demo=dashboard.comparison_scenario is not None,
        llm_faultable=dashboard.faults.llm_admin is not None,
        feeds=[
            url.rsplit("/", 1)[-1].removesuffix(".xml")
            for url in dashboard.settings.default_sources
        ],
        **section_context(dashboard, snapshot),
    )


@router.get("/api/dashboard", response_model=DashboardSnapshot, tags=["dashboard"])
async def dashboard_json(request: Request) -> DashboardSnapshot:
    """The dashboard's data for API clients: processes, briefings' timelines, the ledger."""
    dashboard: Dashboard = request.app.state.dashboard
    return await dashboard.monitor.fresh_snapshot() or await dashboard.collector.collect()


@router.get("/dashboard/events")
async def dashboard_events(request: Request) -> EventSourceResponse:
    dashboard: Dashboard = request.app.state.dashboard

    async def frames() -> AsyncIterator[dict]:
        dashboard.monitor.open()
        try:
            seen = 0
            sent: dict[str, str] = {}  # each section's HTML as last sent
            while True:
                seen, snapshot = await dashboard.monitor.next_snapshot(seen)
                context = section_context(dashboard, snapshot)
                for name, template in SECTIONS.items():
                    html = templates.get_template(template).render(context)
                    if sent.get(name) != html:  # only what changed goes down the wire
                        sent[name] = html
                        yield {"event": name, "data": html, "retry": 1000}
        finally:
            dashboard.monitor.release()

    return EventSourceResponse(frames(), ping=PING_SECONDS)
