"""Reading a request body ahead of the route (to check a form field) and handing it on intact."""

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.types import Message, Receive, Scope

# Our forms are a few hundred bytes; a check must not buffer an upload of any size.
MAX_BODY_BYTES = 64 * 1024


class BodyTooLarge(ValueError):
    pass


async def read_body(receive: Receive) -> list[Message]:
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages  # the client went away
        size += len(message.get("body", b""))
        if size > MAX_BODY_BYTES:
            raise BodyTooLarge(size)
        if not message.get("more_body", False):
            return messages


def replay(messages: list[Message], then: Receive | None = None) -> Receive:
    """A `receive` that gives the read messages again, then defers to `then` (disconnects)."""
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive


async def form_field(scope: Scope, messages: list[Message], name: str) -> str | None:
    request = Request(scope, replay(messages))
    try:
        async with request.form() as form:
            value = form.get(name)
    except (HTTPException, ClientDisconnect):
        return None  # not a parsable form: no token in it
    return None if isinstance(value, UploadFile) else value
