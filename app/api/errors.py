"""Errors as JSON that says what to fix: one message per invalid field."""

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from app.briefing_service import BriefingNotFound, IdempotencyConflict
from app.temporal_errors import TemporalUnavailable


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


async def _not_found(request: Request, error: BriefingNotFound) -> JSONResponse:
    return JSONResponse(
        status_code=status.HTTP_404_NOT_FOUND, content={"error": f"no briefing with id {error}"}
    )


async def _conflict(request: Request, error: IdempotencyConflict) -> JSONResponse:
    return JSONResponse(status_code=status.HTTP_409_CONFLICT, content={"error": str(error)})


async def _temporal_unavailable(request: Request, error: TemporalUnavailable) -> JSONResponse:
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={"error": f"Temporal is unavailable: {error}"},
        headers={"Retry-After": "5"},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(BriefingNotFound, _not_found)
    app.add_exception_handler(IdempotencyConflict, _conflict)
    app.add_exception_handler(TemporalUnavailable, _temporal_unavailable)
