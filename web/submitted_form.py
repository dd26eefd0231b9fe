"""Reading a posted page form: trimmed text, lists of checked values, an idempotency key."""

import uuid

from fastapi import Request
from starlette.datastructures import FormData

IDEMPOTENCY_KEY_MAX_CHARS = 200


def new_idempotency_key() -> str:
    return str(uuid.uuid4())


class SubmittedForm:
    def __init__(self, form: FormData) -> None:
        self._form = form

    @classmethod
    async def read(cls, request: Request) -> "SubmittedForm":
        return cls(await request.form())

    def text(self, name: str) -> str:
        value = self._form.get(name)
        return value.strip() if isinstance(value, str) else ""

    def values(self, name: str) -> list[str]:
        return [value for value in self._form.getlist(name) if isinstance(value, str)]

    def prefixed(self, prefix: str) -> dict[str, str]:
        """Fields named prefix + key, by key: e.g. one order number per candidate story."""
        return {
            name.removeprefix(prefix): self.text(name)
            for name in self._form
            if name.startswith(prefix)
        }

    def idempotency_key(self) -> str:
        """The form's own key, or a fresh one when it is missing or absurd."""
        key = self.text("idempotency_key")
        return key if 0 < len(key) <= IDEMPOTENCY_KEY_MAX_CHARS else new_idempotency_key()
