"""The OpenAI-compatible routes: chat completions answered by extractive summarisation.

A chat completion is checked in the order OpenAI's own service would: API key, then request
shape; only a request that would succeed meets an injected fault, so faults count real calls.
"""

import asyncio
import json
import time
import uuid

from fastapi import APIRouter, Depends, Request
from pydantic import TypeAdapter, ValidationError
from starlette import status

from demo.offline_llm.dependencies import (
    ApiKeyDep,
    FaultsDep,
    RequestLogDep,
    check_authorization,
    require_api_key,
)
from demo.offline_llm.errors import (
    APIError,
    invalid_fields,
    invalid_request,
    model_not_found,
    rate_limited,
    server_error,
)
from demo.offline_llm.faults import Fault, FaultState
from demo.offline_llm.prompt import (
    PromptError,
    article_count,
    first_article_title,
    last_user_text,
    read_task,
)
from demo.offline_llm.request_log import RUN_HEADER, fingerprint_messages
from demo.offline_llm.schemas import (
    MODEL_ID,
    AssistantMessage,
    ChatCompletion,
    ChatCompletionRequest,
    ChatMessage,
    Choice,
    Usage,
)
from demo.offline_llm.summarizer import summarize
from demo.offline_llm.tokens import count_prompt_tokens, count_tokens

# nginx's code for "client closed the request": the answer was ready but nobody was listening.
CLIENT_CLOSED_REQUEST = 499
# Fixed, so that the model list is the same on every run.
MODEL_CREATED = 1_700_000_000

router = APIRouter(prefix="/v1", tags=["openai"])
_MESSAGES = TypeAdapter(list[ChatMessage])


@router.get("/models", dependencies=[Depends(require_api_key)])
async def list_models() -> dict[str, object]:
    model = {"id": MODEL_ID, "object": "model", "created": MODEL_CREATED, "owned_by": "briefing"}
    return {"object": "list", "data": [model]}


@router.post("/chat/completions")
async def create_chat_completion(
    request: Request, faults: FaultsDep, request_log: RequestLogDep, api_key: ApiKeyDep
) -> ChatCompletion:
    body = _parse_json(await request.body())
    title, articles = _articles(body)
    record = request_log.open(
        fingerprint=_fingerprint(body),
        title=title,
        articles=articles,
        run=request.headers.get(RUN_HEADER),
    )
    try:
        check_authorization(request.headers.get("authorization"), api_key)
        chat = _validate(body)
        models = request.app.state.models
        if models is not None and chat.model not in models:
            raise model_not_found(chat.model)
        completion = await _complete(chat, faults)
    except APIError as error:
        request_log.close(record, error.status_code)
        raise
    except BaseException:
        # Includes cancellation at shutdown: the record must not stay in flight forever.
        request_log.close(record, status.HTTP_500_INTERNAL_SERVER_ERROR)
        raise
    gone = await request.is_disconnected()
    # Tokens are spent even when the client went away: a provider bills them all the same.
    request_log.close(
        record,
        CLIENT_CLOSED_REQUEST if gone else status.HTTP_200_OK,
        prompt_tokens=completion.usage.prompt_tokens,
        completion_tokens=completion.usage.completion_tokens,
    )
    return completion


async def _complete(chat: ChatCompletionRequest, faults: FaultState) -> ChatCompletion:
    if chat.stream:
        raise invalid_request("Streaming is not supported by the offline model.", param="stream")
    try:
        task = read_task(chat.messages)
    except PromptError as error:
        raise invalid_request(str(error), param="messages") from error
    await _apply_fault(faults.take())
    # Summarising a long text is CPU work; a thread keeps other requests flowing meanwhile.
    summary = await asyncio.to_thread(
        summarize, task.source_text, task.sentence_count, task.topic_words
    )
    completion = _completion(chat, summary)
    if faults.tokens_per_second > 0:
        # Pretend to generate the answer at the configured pace, as a real model would.
        await asyncio.sleep(completion.usage.completion_tokens / faults.tokens_per_second)
    return completion


async def _apply_fault(fault: Fault | None) -> None:
    if fault is None:
        return
    if fault.mode == "rate_limit":
        raise rate_limited(fault.seconds)
    if fault.mode == "error":
        raise server_error()
    await asyncio.sleep(fault.seconds)


def _completion(chat: ChatCompletionRequest, summary: str) -> ChatCompletion:
    prompt_tokens = count_prompt_tokens(message.text() for message in chat.messages)
    completion_tokens = count_tokens(summary)
    return ChatCompletion(
        id=f"chatcmpl-{uuid.uuid4().hex}",
        created=int(time.time()),
        model=chat.model,
        choices=[Choice(message=AssistantMessage(content=summary))],
        usage=Usage(
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=prompt_tokens + completion_tokens,
        ),
    )


def _parse_json(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _validate(body: object) -> ChatCompletionRequest:
    if not isinstance(body, dict):
        raise invalid_request("The request body must be a JSON object.")
    try:
        return ChatCompletionRequest.model_validate(body)
    except ValidationError as error:
        raise invalid_fields(error.errors()) from error


def _fingerprint(body: object) -> str | None:
    if isinstance(body, dict) and "messages" in body:
        return fingerprint_messages(body["messages"])
    return None


def _articles(body: object) -> tuple[str | None, int]:
    """The first article's title and how many articles the prompt holds."""
    # Read leniently: a request that fails validation is still worth naming in the log.
    if not isinstance(body, dict):
        return None, 0
    try:
        text = last_user_text(_MESSAGES.validate_python(body.get("messages")))
    except (ValidationError, PromptError):
        return None, 0
    return first_article_title(text), article_count(text)
