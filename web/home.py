"""GET /: the form that starts a briefing, and the live list of recent ones.

The form posts to /briefings (web/briefings/pages.py), which owns every briefing page route.
"""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from web.briefings.form import BriefingForm
from web.briefings.recent import recent_for_page
from web.deps import AppSettings, TemporalClient
from web.page_context import render_page

router = APIRouter(tags=["pages"])


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, client: TemporalClient, settings: AppSettings) -> HTMLResponse:
    form = BriefingForm.blank(settings.default_sources)
    recent = await recent_for_page(request, client)
    return render_page(request, "home.html", form=form, recent=recent)
