"""Rendering a template: as text, as a fragment htmx swaps in, or as a page with its layout's needs.

Every route renders through here, so a page and the fragment that later replaces part of it
come out of the same environment (web/templating.py) and the same context rules.
"""

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from web.templating import templates


def page_context(request: Request, **values: Any) -> dict[str, Any]:
    # The CSRF token is not here: the base layout reads it from request.state (security/csrf.py).
    return {"temporal_ui_url": request.app.state.settings.temporal_ui_url, **values}


def render_html(template: str, **values: Any) -> str:
    """The template's HTML alone: for a fragment, a download or a feed entry."""
    return templates.get_template(template).render(values)


def render_fragment(
    template: str,
    status_code: int = 200,
    *,
    headers: dict[str, str] | None = None,
    **values: Any,
) -> HTMLResponse:
    """A partial that needs nothing of the request, e.g. the answer to a button."""
    html = render_html(template, **values)
    return HTMLResponse(html, status_code=status_code, headers=headers)


def render_page(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **values: Any,
) -> HTMLResponse:
    """A page, or a partial that carries a form (its CSRF token is read from the request)."""
    context = {"request": request, **page_context(request, **values)}
    return render_fragment(template, status_code, headers=headers, **context)
