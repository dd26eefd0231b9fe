"""Server-rendered pages. The JSON API is the contract; pages read the same service."""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.briefing_service import list_briefings
from app.dependencies import AppSettings, TemporalClient
from app.temporal_errors import TemporalUnavailable, temporal_call

PROJECT_ROOT = Path(__file__).resolve().parent.parent
templates = Jinja2Templates(directory=PROJECT_ROOT / "templates")
router = APIRouter(tags=["pages"])


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, client: TemporalClient, settings: AppSettings) -> HTMLResponse:
    briefings, temporal_error = [], None
    try:
        async with temporal_call():
            briefings = (await list_briefings(client)).briefings
    except TemporalUnavailable as error:
        temporal_error = str(error)
    return templates.TemplateResponse(
        request,
        "home.html",
        {
            "briefings": briefings,
            "temporal_error": temporal_error,
            "temporal_ui_url": settings.temporal_ui_url,
        },
    )
