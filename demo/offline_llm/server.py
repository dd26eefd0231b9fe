"""The offline model's HTTP server: an OpenAI-compatible endpoint that summarises honestly."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from core.host_check import HostCheckMiddleware, allowed_host_names
from demo.offline_llm import admin, completions
from demo.offline_llm.errors import APIError, invalid_fields, render_api_error
from demo.offline_llm.faults import FaultState
from demo.offline_llm.request_log import RequestLog
from demo.offline_llm.schemas import MODEL_ID


def create_app(
    *,
    tokens_per_second: float = 0.0,
    api_key: str | None = None,
    models: frozenset[str] | None = None,
    allowed_hosts: frozenset[str] | None = None,
) -> FastAPI:
    """Build the server; `tokens_per_second` > 0 paces answers, `api_key` demands a bearer key,
    `models` limits the model names it answers to (others get 404 model_not_found, as OpenAI),
    `allowed_hosts` the Host names it answers (default: loopback; others get 400)."""
    app = FastAPI(title="Offline extractive LLM", docs_url=None, redoc_url=None)
    app.state.faults = FaultState(default_tokens_per_second=tokens_per_second)
    app.state.request_log = RequestLog()
    app.state.api_key = api_key
    app.state.models = models
    app.add_exception_handler(APIError, render_api_error)
    app.add_exception_handler(RequestValidationError, _render_validation_error)
    app.include_router(completions.router)
    app.include_router(admin.router)
    app.add_middleware(HostCheckMiddleware, allowed=allowed_hosts or allowed_host_names())

    @app.get("/healthz", tags=["health"])
    async def health() -> dict[str, str]:
        return {"status": "ok", "model": MODEL_ID}

    return app


async def _render_validation_error(request: Request, error: Exception) -> JSONResponse:
    # OpenAI answers malformed bodies with 400 in its own format, not FastAPI's 422.
    assert isinstance(error, RequestValidationError)  # Registered for this type only.
    return await render_api_error(request, invalid_fields(error.errors()))
