"""HTML error pages for the browser's routes; the JSON API and /healthz keep their JSON errors."""

from http import HTTPStatus

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from web.api_paths import answers_json
from web.htmx import is_htmx
from web.page_context import render_page

_MESSAGES = {
    HTTPStatus.NOT_FOUND: "There is no page at this address.",
    HTTPStatus.METHOD_NOT_ALLOWED: "This page cannot be used that way.",
}


def error_page(
    request: Request,
    status_code: int,
    message: str,
    *,
    title: str | None = None,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    return render_page(
        request,
        "error.html",
        status_code=status_code,
        headers=headers,
        title=title or HTTPStatus(status_code).phrase,
        message=message,
    )


def refusal(
    request: Request,
    status_code: int,
    message: str,
    *,
    title: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """A request refused before it did anything (size, rate): JSON for the API, else a page."""
    if answers_json(request.url.path):
        return JSONResponse(status_code=status_code, content={"error": message}, headers=headers)
    return refusal_page(request, status_code, message, title=title, headers=headers)


def refusal_page(
    request: Request,
    status_code: int,
    message: str,
    *,
    title: str,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """The error page, shown as the whole page even where htmx asked for a fragment of a form."""
    page = error_page(request, status_code, message, title=title, headers=headers)
    if is_htmx(request.headers):
        page.headers.update({"HX-Retarget": "body", "HX-Reswap": "innerHTML"})
    return page


async def http_error(request: Request, error: HTTPException) -> Response:
    if answers_json(request.url.path):
        return await http_exception_handler(request, error)
    message = _MESSAGES.get(HTTPStatus(error.status_code), str(error.detail))
    headers = dict(error.headers) if error.headers is not None else None
    return error_page(request, error.status_code, message, headers=headers)
