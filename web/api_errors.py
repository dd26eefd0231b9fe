"""Errors that say what to fix: JSON with one message per invalid field for the API, and
HTML pages for the same errors raised by the browser's routes."""

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from core.temporal_errors import TemporalUnavailable, temporal_call
from web.api_paths import answers_json
from web.briefings.actions import (
    CannotCancel,
    ReviewClosed,
    ReviewRefused,
    WorkerUnavailable,
)
from web.briefings.service import BriefingNotFound
from web.error_pages import error_page, http_error
from web.idempotent_start import IdempotencyConflict

TEMPORAL_RETRY_AFTER = {"Retry-After": "5"}

E = TypeVar("E", bound=Exception)


def _field_name(location: tuple) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def _invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
    fields: dict[str, str] = {}
    for problem in error.errors():
        fields.setdefault(_field_name(problem["loc"]), problem["msg"])
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        content={"error": "invalid request", "fields": fields},
    )


async def _not_found(request: Request, error: BriefingNotFound) -> Response:
    if not answers_json(request.url.path):
        message = f"No briefing has the id “{error}”."
        return error_page(request, status.HTTP_404_NOT_FOUND, message, title="Briefing not found")
    return JSONResponse(
        status_code=status.HTTP_404_NOT_FOUND, content={"error": f"no briefing with id {error}"}
    )


async def _conflict(request: Request, error: ValueError) -> JSONResponse:
    return JSONResponse(status_code=status.HTTP_409_CONFLICT, content={"error": str(error)})


async def _refused(request: Request, error: ReviewRefused) -> JSONResponse:
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, content={"error": str(error)}
    )


async def _no_worker(request: Request, error: WorkerUnavailable) -> JSONResponse:
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={"error": str(error)},
        headers={"Retry-After": "5"},
    )


async def _temporal_unavailable(request: Request, error: TemporalUnavailable) -> Response:
    if not answers_json(request.url.path):
        message = f"Temporal is unreachable: {error}. Briefings continue when it is back."
        return error_page(
            request, status.HTTP_503_SERVICE_UNAVAILABLE, message, headers=TEMPORAL_RETRY_AFTER
        )
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={"error": f"Temporal is unavailable: {error}"},
        headers=TEMPORAL_RETRY_AFTER,
    )


class TemporalRoute(APIRoute):
    """A route that answers 503 while Temporal is down, whichever of its calls found it so."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handle_while_temporal_is_up(request: Request) -> Response:
            async with temporal_call():
                return await handle(request)

        return handle_while_temporal_is_up


def install_error_handlers(app: FastAPI) -> None:
    _handle(app, RequestValidationError, _invalid_request)
    _handle(app, BriefingNotFound, _not_found)
    _handle(app, IdempotencyConflict, _conflict)
    _handle(app, TemporalUnavailable, _temporal_unavailable)
    _handle(app, ReviewClosed, _conflict)
    _handle(app, ReviewRefused, _refused)
    _handle(app, CannotCancel, _conflict)
    _handle(app, WorkerUnavailable, _no_worker)
    _handle(app, HTTPException, http_error)


def _handle(
    app: FastAPI, kind: type[E], handler: Callable[[Request, E], Awaitable[Response]]
) -> None:
    # Starlette types every handler as taking any Exception; it calls this one only with `kind`.
    app.add_exception_handler(kind, handler)  # type: ignore[arg-type]
