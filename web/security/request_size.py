"""Refuses request bodies over a size limit with 413, before the app buffers them.

A body that declares its size (Content-Length) is refused before a byte of it is read. A body
sent in chunks without one is counted as it is read: the read that crosses the limit raises
RequestTooLarge, answered 413 by the app's handler (`request_too_large`) or, when it escapes the
routes, by this middleware; the body is never held whole.
"""

from http import HTTPStatus

from fastapi.responses import Response
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.error_pages import refusal

TOO_LARGE = HTTPStatus.REQUEST_ENTITY_TOO_LARGE


class RequestTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(TOO_LARGE, f"This request is larger than the {limit} bytes accepted.")


class RequestSizeMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes  # 0: no limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.max_bytes:
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            refusal = _refused(Request(scope, receive), RequestTooLarge(self.max_bytes))
            await refusal(scope, receive, send)
            return
        started = False

        async def noting_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, self._counting(receive), noting_start)
        except RequestTooLarge as error:
            if started:
                raise
            await _refused(Request(scope, receive), error)(scope, receive, send)

    def _counting(self, receive: Receive) -> Receive:
        read = 0

        async def counting_receive() -> Message:
            nonlocal read
            message = await receive()
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                if read > self.max_bytes:
                    raise RequestTooLarge(self.max_bytes)
            return message

        return counting_receive


async def request_too_large(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestTooLarge)
    return _refused(request, error)


def _refused(request: Request, error: RequestTooLarge) -> Response:
    return refusal(request, TOO_LARGE, error.detail, title="Request too large")
