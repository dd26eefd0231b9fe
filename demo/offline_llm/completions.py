"""The OpenAI-compatible routes: chat completions answered by extractive summarisation.

A chat completion is checked in the order OpenAI's own service would: API key, then request
shape; only a request that would succeed meets an injected fault, so faults count real calls.
With `stream: true` the answer is streamed word by word (streaming.py), and its log record is
closed when the stream ends, with the tokens that went out.
"""

import asyncio
import time
import uuid

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette import status

from demo.offline_llm import request_body
from demo.offline_llm.dependencies import (
    ApiKeyDep,
    FaultsDep,
    RequestLogDep,
    check_authorization,
    require_api_key,
)
from demo.offline_llm.errors import (
    APIError,
    invalid_request,
    model_not_found,
    rate_limited,
    server_error,
)
from demo.offline_llm.faults import Fault
from demo.offline_llm.prompt import PromptError, SummaryTask, read_task
from demo.offline_llm.request_log import RUN_HEADER, RequestLog, RequestRecord
from demo.offline_llm.schemas import (
    MODEL_ID,
    AssistantMessage,
    ChatCompletion,
    ChatCompletionRequest,
    Choice,
    Usage,
)
from demo.offline_llm.streaming import (
    CutJsonCompletion,
    OnStreamEnd,
    StreamedCompletion,
    StreamEnd,
)
from demo.offline_llm.summarizer import summarize
from demo.offline_llm.tokens import count_prompt_tokens, count_tokens

# nginx's code for "client closed the request": the answer was ready but nobody was listening.
CLIENT_CLOSED_REQUEST = 499
# Fixed, so that the model list is the same on every run.
MODEL_CREATED = 1_700_000_000

router = APIRouter(prefix="/v1", tags=["openai"])


@router.get("/models", dependencies=[Depends(require_api_key)])
async def list_models() -> dict[str, object]:
    model = {"id": MODEL_ID, "object": "model", "created": MODEL_CREATED, "owned_by": "briefing"}
    return {"object": "list", "data": [model]}


@router.post("/chat/completions", response_model=None)
async def create_chat_completion(
    request: Request, faults: FaultsDep, request_log: RequestLogDep, api_key: ApiKeyDep
) -> ChatCompletion | Response:
    body = request_body.parse_json(await request.body())
    record = _open_record(request_log, request, body)
    try:
        chat, task = _checked(request, body, api_key)
        fault = faults.take()
        completion = await _generate(chat, task, fault)
        cut_after_words = fault.words if fault is not None and fault.mode == "cut" else None
        if chat.stream:
            return StreamedCompletion(
                completion,
                include_usage=chat.include_usage,
                tokens_per_second=lambda: faults.tokens_per_second,
                cut_after_words=cut_after_words,
                on_end=_closing_streamed(request_log, record, completion.usage.prompt_tokens),
            )
        if faults.tokens_per_second > 0:
            # Pretend to generate the answer at the configured pace, as a real model would.
            await asyncio.sleep(completion.usage.completion_tokens / faults.tokens_per_second)
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
        completed=not gone and cut_after_words is None,
    )
    return completion if cut_after_words is None else CutJsonCompletion(completion)


def _open_record(request_log: RequestLog, request: Request, body: object) -> RequestRecord:
    title, articles = request_body.articles(body)
    return request_log.open(
        fingerprint=request_body.fingerprint(body),
        title=title,
        articles=articles,
        run=request.headers.get(RUN_HEADER),
        streamed=request_body.asks_for_stream(body),
    )


def _checked(
    request: Request, body: object, api_key: str | None
) -> tuple[ChatCompletionRequest, SummaryTask]:
    check_authorization(request.headers.get("authorization"), api_key)
    chat = request_body.validate(body)
    models = request.app.state.models
    if models is not None and chat.model not in models:
        raise model_not_found(chat.model)
    try:
        return chat, read_task(chat.messages)
    except PromptError as error:
        raise invalid_request(str(error), param="messages") from error


async def _generate(
    chat: ChatCompletionRequest, task: SummaryTask, fault: Fault | None
) -> ChatCompletion:
    await _apply_fault(fault)
    # Summarising a long text is CPU work; a thread keeps other requests flowing meanwhile.
    summary = await asyncio.to_thread(
        summarize, task.source_text, task.sentence_count, task.topic_words
    )
    return _completion(chat, summary)


async def _apply_fault(fault: Fault | None) -> None:
    if fault is None:
        return
    if fault.mode == "rate_limit":
        raise rate_limited(fault.seconds)
    if fault.mode == "error":
        raise server_error()
    if fault.mode == "hang":
        await asyncio.sleep(fault.seconds)


def _closing_streamed(
    request_log: RequestLog, record: RequestRecord, prompt_tokens: int
) -> OnStreamEnd:
    """Closes a streamed call's record when its stream ends, with the tokens that went out."""

    def close(outcome: StreamEnd, sent_tokens: int) -> None:
        gone = outcome == StreamEnd.CLIENT_GONE
        request_log.close(
            record,
            CLIENT_CLOSED_REQUEST if gone else status.HTTP_200_OK,
            prompt_tokens=prompt_tokens,
            completion_tokens=sent_tokens,
            completed=outcome == StreamEnd.DONE,
        )

    return close


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
