"""A chat completion streamed as OpenAI streams it: server-sent `chat.completion.chunk` objects.

The first chunk carries the role, then one chunk per word (a word with the whitespace after it,
so the chunks join back into the answer exactly), each sent once its tokens are generated at the
model's pace; then a chunk with `finish_reason: "stop"`; when `stream_options.include_usage`
asks for it, a chunk with empty `choices` and the whole answer's usage; then `data: [DONE]`.
A `cut` stream ends the ASGI call without finishing the response, so the server closes the
connection mid-body, as a crashed or unplugged model server would.
"""

import asyncio
import json
import re
from collections.abc import Callable, Coroutine
from enum import StrEnum
from typing import Any

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from demo.offline_llm.schemas import ChatCompletion
from demo.offline_llm.tokens import count_tokens

# Leading whitespace joins the first word, so the words always add up to the whole text.
_WORD = re.compile(r"\s*\S+\s*")


class StreamEnd(StrEnum):
    DONE = "done"  # every chunk and [DONE] sent
    CUT = "cut"  # the connection closed mid-answer: a `cut` fault, or the server shutting down
    CLIENT_GONE = "client_gone"  # the client closed the connection first


# Told how the stream ended and how many completion tokens went out before that.
OnStreamEnd = Callable[[StreamEnd, int], None]


def split_words(text: str) -> list[str]:
    return _WORD.findall(text)


class StreamedCompletion(Response):
    media_type = "text/event-stream"

    def __init__(
        self,
        completion: ChatCompletion,
        *,
        include_usage: bool,
        tokens_per_second: Callable[[], float],
        cut_after_words: int | None,
        on_end: OnStreamEnd,
    ) -> None:
        self.status_code = 200
        self.background = None
        self.init_headers({"Cache-Control": "no-cache"})
        self._completion = completion
        self._include_usage = include_usage
        # Read before each word, so a `slow` fault injected mid-answer slows the rest of it.
        self._tokens_per_second = tokens_per_second
        self._cut_after_words = cut_after_words
        self._on_end: OnStreamEnd | None = on_end
        self._sent_tokens = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        outcome = StreamEnd.CUT
        try:
            outcome = await _first_of(self._stream(send), _client_gone(receive))
        finally:
            self._end(outcome)

    def _end(self, outcome: StreamEnd) -> None:
        if self._on_end is not None:
            self._on_end(outcome, self._sent_tokens)
            self._on_end = None

    async def _stream(self, send: Send) -> StreamEnd:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})

        async def send_chunk(payload: object) -> None:
            await send({"type": "http.response.body", "body": _frame(payload), "more_body": True})

        await send_chunk(self._chunk({"role": "assistant", "content": ""}))
        content = self._completion.choices[0].message.content
        for index, word in enumerate(split_words(content)):
            if index == self._cut_after_words:
                return StreamEnd.CUT
            tokens = count_tokens(word)
            pace = self._tokens_per_second()
            if pace > 0:
                await asyncio.sleep(tokens / pace)
            await send_chunk(self._chunk({"content": word}))
            self._sent_tokens += tokens
        await send_chunk(self._chunk({}, finish_reason="stop"))
        if self._include_usage:
            await send_chunk(self._usage_chunk())
        # Told before [DONE], so a client holding the whole answer finds its call closed in the log.
        self._end(StreamEnd.DONE)
        await send({"type": "http.response.body", "body": _frame("[DONE]"), "more_body": False})
        return StreamEnd.DONE

    def _chunk(self, delta: dict[str, str], finish_reason: str | None = None) -> dict[str, object]:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
        return self._envelope([choice]) | ({"usage": None} if self._include_usage else {})

    def _usage_chunk(self) -> dict[str, object]:
        return self._envelope([]) | {"usage": self._completion.usage.model_dump()}

    def _envelope(self, choices: list[dict[str, object]]) -> dict[str, object]:
        completion = self._completion
        return {
            "id": completion.id,
            "object": "chat.completion.chunk",
            "created": completion.created,
            "model": completion.model,
            "system_fingerprint": completion.system_fingerprint,
            "choices": choices,
        }


class CutJsonCompletion(Response):
    """A non-streamed answer that breaks off halfway through its JSON body."""

    media_type = "application/json"

    def __init__(self, completion: ChatCompletion) -> None:
        body = completion.model_dump_json().encode()
        self.status_code = 200
        self.background = None
        self._half = body[: len(body) // 2]
        self.body = body
        self.init_headers()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        await send({"type": "http.response.body", "body": self._half, "more_body": True})


def _frame(payload: object) -> bytes:
    data = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    return f"data: {data}\n\n".encode()


async def _client_gone(receive: Receive) -> StreamEnd:
    while (await receive())["type"] != "http.disconnect":
        pass
    return StreamEnd.CLIENT_GONE


async def _first_of(*work: Coroutine[Any, Any, StreamEnd]) -> StreamEnd:
    tasks = [asyncio.ensure_future(item) for item in work]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        # In the order given: a stream that finished as the client left still counts as done.
        return next(task for task in tasks if task in done).result()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
