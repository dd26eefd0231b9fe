"""The web's side of `briefing up`'s control API: list, kill and start parts; the action log."""

from types import TracebackType
from typing import Self, TypeVar

import httpx
from pydantic import TypeAdapter, ValidationError

from core.keep_alive import CLIENT_LIMITS
from core.settings import Settings
from stack.control_models import PartStatus, SignalName, StackAction

__all__ = [
    "PartStatus",
    "StackAction",
    "StackControl",
    "StackControlError",
    "StackControlRefused",
    "StackControlUnavailable",
]

# A chaos button must answer fast, even when `up` is gone.
TIMEOUT_SECONDS = 3.0
Answer = TypeVar("Answer")
_PART = TypeAdapter(PartStatus)
_PARTS = TypeAdapter(list[PartStatus])
_ACTION = TypeAdapter(StackAction)
_ACTIONS = TypeAdapter(list[StackAction])


class StackControlError(Exception):
    """The control API could not do what was asked."""


class StackControlUnavailable(StackControlError):
    """`briefing up` did not answer: not listening, too slow, or failed inside."""


class StackControlRefused(StackControlError):
    """`briefing up` refused the request (4xx); the message is the server's own."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


class StackControl:
    def __init__(self, base_url: str, token: str, *, timeout: float = TIMEOUT_SECONDS) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            limits=CLIENT_LIMITS,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> "StackControl | None":
        """None when this process does not run under `briefing up` (e.g. in a container)."""
        if not settings.control_url or settings.control_token is None:
            return None
        return cls(settings.control_url, settings.control_token.get_secret_value())

    async def parts(self) -> list[PartStatus]:
        body = await self._request("GET", "/parts")
        return _validated(_PARTS, body.get("parts"))

    async def kill(
        self, name: str, *, signal: SignalName = "KILL", restart_after: float | None = None
    ) -> PartStatus:
        """Held (down until `start`) without `restart_after`; else back that long after it dies."""
        request = {"signal": signal, "restart_after": restart_after}
        body = await self._request("POST", f"/parts/{name}/kill", json=request)
        return _validated(_PART, body.get("part"))

    async def kill_together(
        self, names: list[str], *, signal: SignalName = "KILL", restart_after: float | None = None
    ) -> list[PartStatus]:
        """All at the same instant, or none (a 409 when one of them is not running)."""
        request = {"parts": names, "signal": signal, "restart_after": restart_after}
        body = await self._request("POST", "/parts/kill", json=request)
        return _validated(_PARTS, body.get("parts"))

    async def start(self, name: str) -> PartStatus:
        body = await self._request("POST", f"/parts/{name}/start")
        return _validated(_PART, body.get("part"))

    async def actions(self) -> list[StackAction]:
        body = await self._request("GET", "/actions")
        return _validated(_ACTIONS, body.get("actions"))

    async def log_action(self, source: str, text: str) -> StackAction:
        body = await self._request("POST", "/actions", json={"source": source, "text": text})
        return _validated(_ACTION, body.get("action"))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _request(self, method: str, path: str, *, json: object = None) -> dict:
        try:
            response = await self._http.request(method, path, json=json)
        except httpx.TransportError as error:
            raise StackControlUnavailable(f"the control API of `briefing up`: {error!r}") from error
        body = _json(response)
        message = body.get("error") or response.reason_phrase
        if response.is_client_error:
            raise StackControlRefused(response.status_code, message)
        if not response.is_success:
            raise StackControlUnavailable(f"the control API failed: {message}")
        return body


def _json(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _validated(schema: TypeAdapter[Answer], data: object) -> Answer:
    try:
        return schema.validate_python(data)
    except ValidationError as error:
        raise StackControlError(f"unexpected answer from the control API: {error}") from error
