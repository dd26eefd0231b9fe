"""Errors answered in OpenAI's format, so the official client raises its usual typed errors."""

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette import status


class APIError(Exception):
    """An error the server answers with `{"error": {...}}`, as OpenAI does."""

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        error_type: str,
        code: str | None = None,
        param: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.error_type = error_type
        self.code = code
        self.param = param
        self.headers = dict(headers or {})


def invalid_request(message: str, *, param: str | None = None) -> APIError:
    return APIError(
        status.HTTP_400_BAD_REQUEST, message, error_type="invalid_request_error", param=param
    )


def invalid_fields(details: Sequence[Mapping[str, Any]]) -> APIError:
    """The 400 for a body that failed validation, naming the first offending field."""
    first = details[0] if details else {}
    # FastAPI prefixes body fields with "body"; OpenAI names the field alone.
    param = ".".join(str(part) for part in first.get("loc", ()) if part != "body") or None
    problem = first.get("msg", "invalid value")
    message = f"Invalid '{param}': {problem}." if param else f"Invalid request body: {problem}."
    return invalid_request(message, param=param)


def model_not_found(model: str) -> APIError:
    return APIError(
        status.HTTP_404_NOT_FOUND,
        f"The model `{model}` does not exist or you do not have access to it.",
        error_type="invalid_request_error",
        code="model_not_found",
        param="model",
    )


def invalid_api_key() -> APIError:
    return APIError(
        status.HTTP_401_UNAUTHORIZED,
        "Incorrect API key provided.",
        error_type="invalid_request_error",
        code="invalid_api_key",
    )


def rate_limited(retry_after_seconds: float) -> APIError:
    # Plain decimal, never exponent notation, so any Retry-After parser reads it.
    seconds = f"{retry_after_seconds:.3f}".rstrip("0").rstrip(".")
    return APIError(
        status.HTTP_429_TOO_MANY_REQUESTS,
        f"Rate limit reached (injected fault). Please try again in {seconds}s.",
        error_type="requests",
        code="rate_limit_exceeded",
        headers={"Retry-After": seconds},
    )


def server_error() -> APIError:
    return APIError(
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        "The server had an error while processing your request (injected fault).",
        error_type="server_error",
    )


async def render_api_error(_request: Request, error: Exception) -> JSONResponse:
    """Exception handler that turns an `APIError` into its JSON response."""
    assert isinstance(error, APIError)  # Registered for APIError only.
    body = {
        "error": {
            "message": error.message,
            "type": error.error_type,
            "param": error.param,
            "code": error.code,
        }
    }
    return JSONResponse(body, status_code=error.status_code, headers=error.headers)
