"""An OpenAI-compatible endpoint that streams canned answers, each one a way a stream can go:
the model's name picks which. Only what our offline LLM never does lives here."""

import json

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route

WORDS = ["Tides ", "rose ", "early."]
# Answers without a usage chunk, as servers that ignore stream_options.include_usage do.
WITHOUT_USAGE = "without-usage"
# Ends its body cleanly after two words: no finish_reason, no [DONE].
ENDS_EARLY = "ends-early"
# Sends an error event after two words, as OpenAI does when generation fails mid-answer.
ERROR_EVENT = "error-event"


def _chunk(model: str, delta: dict[str, str], finish_reason: str | None = None) -> str:
    choice = {"index": 0, "delta": delta, "finish_reason": finish_reason}
    chunk = {"id": "chatcmpl-canned", "object": "chat.completion.chunk", "created": 0}
    return _event(chunk | {"model": model, "choices": [choice]})


def _event(payload: object) -> str:
    return f"data: {json.dumps(payload)}\n\n"


def _events(model: str) -> list[str]:
    words = [_chunk(model, {"content": word}) for word in WORDS]
    head = [_chunk(model, {"role": "assistant", "content": ""}), *words[:2]]
    if model == ENDS_EARLY:
        return head
    if model == ERROR_EVENT:
        return [*head, _event({"error": {"message": "generation failed", "type": "server_error"}})]
    return [*head, *words[2:], _chunk(model, {}, finish_reason="stop"), "data: [DONE]\n\n"]


async def chat_completions(request: Request) -> StreamingResponse:
    model = (await request.json())["model"]
    return StreamingResponse(iter(_events(model)), media_type="text/event-stream")


def create_canned_streams() -> Starlette:
    return Starlette(routes=[Route("/v1/chat/completions", chat_completions, methods=["POST"])])
