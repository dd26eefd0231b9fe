"""HTML error pages for the browser's routes; the JSON API and /healthz keep their JSON errors."""

from http import HTTPStatus

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from app.api.paths import answers_json
from app.page_context import render_page

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


async def http_error(request: Request, error: HTTPException) -> Response:
    if answers_json(request.url.path):
        return await http_exception_handler(request, error)
    message = _MESSAGES.get(HTTPStatus(error.status_code), str(error.detail))
    return error_page(request, error.status_code, message, headers=error.headers)
