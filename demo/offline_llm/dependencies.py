"""Per-app state handed to routes: the fault switchboard, the request log, the API key."""

import hmac
from typing import Annotated

from fastapi import Depends, Request

from demo.offline_llm.errors import invalid_api_key
from demo.offline_llm.faults import FaultState
from demo.offline_llm.request_log import RequestLog


def _faults(request: Request) -> FaultState:
    return request.app.state.faults


def _request_log(request: Request) -> RequestLog:
    return request.app.state.request_log


def _api_key(request: Request) -> str | None:
    return request.app.state.api_key


FaultsDep = Annotated[FaultState, Depends(_faults)]
RequestLogDep = Annotated[RequestLog, Depends(_request_log)]
ApiKeyDep = Annotated[str | None, Depends(_api_key)]


def check_authorization(authorization: str | None, api_key: str | None) -> None:
    """Raise the 401 OpenAI answers unless the header carries the configured key."""
    if api_key is None:
        return
    scheme, _, presented = (authorization or "").partition(" ")
    # Constant-time comparison, as for any secret; bytes, since str must be ASCII-only.
    matches = hmac.compare_digest(presented.strip().encode(), api_key.encode())
    if scheme.lower() != "bearer" or not matches:
        raise invalid_api_key()


def require_api_key(request: Request, api_key: ApiKeyDep) -> None:
    check_authorization(request.headers.get("authorization"), api_key)
