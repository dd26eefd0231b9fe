"""Rendering a page: every page's context holds what the base layout needs."""

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from web.templating import templates


def page_context(request: Request, **values: Any) -> dict[str, Any]:
    # The CSRF token is not here: the base layout reads it from request.state (security/csrf.py).
    return {"temporal_ui_url": request.app.state.settings.temporal_ui_url, **values}


def render_page(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **values: Any,
) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        template,
        page_context(request, **values),
        status_code=status_code,
        headers=headers,
    )
