"""One chat completion through the official openai client, with Temporal owning retries.

The answer is streamed (`stream=True`, usage in a last chunk) so that it can be watched as it is
written (`on_delta`, see streaming.py); the activity's result is still the whole text.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum

import openai
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletionMessageParam
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.errors import LLMError
from activities.heartbeats import heartbeating
from activities.llm.live_text import LiveWriting
from activities.llm.streaming import OnDelta, StreamedAnswer, read_answer
from activities.metrics import counted_llm_call
from activities.models import TokenUsage
from core.keep_alive import CLIENT_KEEP_ALIVE_SECONDS

DEFAULT_RETRY_AFTER = timedelta(seconds=5)
MAX_RETRY_AFTER = timedelta(minutes=10)
_RETRYABLE_CLIENT_STATUS = {408, 409}
# Whose bill a call is on, `durable:<briefing id>` or `plain:<run id>`: any proxy in front of
# the LLM (our offline one does) can attribute each request to an engine and a run.
RUN_HEADER = "X-Briefing-Run"
_OPENAI_DEFAULTS = openai.DEFAULT_CONNECTION_LIMITS  # of the httpx the openai client ships
_OPENAI_LIMITS = type(_OPENAI_DEFAULTS)(
    max_connections=_OPENAI_DEFAULTS.max_connections,
    max_keepalive_connections=_OPENAI_DEFAULTS.max_keepalive_connections,
    keepalive_expiry=CLIENT_KEEP_ALIVE_SECONDS,
)


class Engine(StrEnum):
    """What runs the briefing: Temporal, or the plain asyncio agent beside it."""

    DURABLE = "durable"
    PLAIN = "plain"


@dataclass(frozen=True)
class Completion:
    text: str
    model: str
    usage: TokenUsage


def build_openai_client(
    *, api_key: str, base_url: str | None, timeout: float, engine: Engine = Engine.DURABLE
) -> AsyncOpenAI:
    # Temporal owns retries, so each attempt is visible in the workflow history; the plain
    # agent keeps the client's own, as a typical agent does (a 429 or two does not kill it).
    retries = 0 if engine == Engine.DURABLE else openai.DEFAULT_MAX_RETRIES
    return AsyncOpenAI(
        api_key=api_key,
        base_url=base_url,
        timeout=timeout,
        max_retries=retries,
        # The openai client's own limits (it ships its own httpx), idle connections kept less.
        http_client=openai.DefaultAsyncHttpxClient(limits=_OPENAI_LIMITS),
    )


def run_header(engine: Engine, run_id: str) -> str:
    """The X-Briefing-Run of a run's calls: `durable:<briefing id>`, `plain:<run id>`."""
    return f"{engine}:{run_id}"


def _current_run(engine: Engine) -> str:
    # The plain agent names its run as a workflow id would (plain_agent/agent.py).
    return run_header(engine, activity.info().workflow_id or "standalone")


async def complete(
    client: AsyncOpenAI,
    *,
    model: str,
    messages: list[ChatCompletionMessageParam],
    engine: Engine = Engine.DURABLE,
    on_delta: OnDelta | None = None,
) -> Completion:
    """The whole answer, streamed; the text so far is heartbeated as it grows (live_text.py),
    and `on_delta` gets it too.

    Heartbeats every second from the request to the last chunk, the wait for the first included,
    so cancellation arrives mid-answer too (and closes the stream). Usage is the server's own;
    a server that ignores `include_usage` counts 0 tokens, as an unstreamed answer without
    usage always has: an estimate would pass for the LLM's bill in the ledgers."""
    with counted_llm_call(model) as call:
        completion = await _complete(client, model, messages, engine, on_delta)
        call.usage = completion.usage
    return completion


async def _complete(
    client: AsyncOpenAI,
    model: str,
    messages: list[ChatCompletionMessageParam],
    engine: Engine,
    on_delta: OnDelta | None,
) -> Completion:
    writing = LiveWriting()

    def delta(text: str) -> None:
        writing.on_delta(text)
        if on_delta is not None:
            on_delta(text)

    try:
        answer = await heartbeating(
            _stream_answer(client, model, messages, engine, delta), writing.heartbeat_details
        )
    except openai.APIStatusError as error:
        raise _status_failure(client, error) from error
    except openai.APITimeoutError as error:
        raise ApplicationError("LLM request timed out", type=LLMError.TIMEOUT) from error
    except openai.APIConnectionError as error:
        raise ApplicationError(
            f"LLM endpoint {client.base_url} unreachable", type=LLMError.UNREACHABLE
        ) from error
    text = answer.text.strip()
    if not text:
        raise ApplicationError("LLM returned an empty completion", type=LLMError.EMPTY)
    usage = answer.usage
    return Completion(
        text=text,
        model=answer.model or model,
        usage=TokenUsage(
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
        ),
    )


async def _stream_answer(
    client: AsyncOpenAI,
    model: str,
    messages: list[ChatCompletionMessageParam],
    engine: Engine,
    on_delta: OnDelta,
) -> StreamedAnswer:
    # Errors before the stream begins (a status, a refused connection) are raised here as the
    # openai client's own; read_answer turns those of a stream broken mid-way into ours.
    stream = await client.chat.completions.create(
        model=model,
        messages=messages,
        stream=True,
        stream_options={"include_usage": True},
        extra_headers={RUN_HEADER: _current_run(engine)},
    )
    return await read_answer(stream, on_delta)


def _status_failure(client: AsyncOpenAI, error: openai.APIStatusError) -> ApplicationError:
    status = error.status_code
    if isinstance(error, openai.RateLimitError):
        delay = _retry_after(error)
        return ApplicationError(
            f"LLM rate limited (HTTP 429); next attempt in {delay.total_seconds():g}s",
            type=LLMError.RATE_LIMITED,
            next_retry_delay=delay,
        )
    if isinstance(error, openai.AuthenticationError):
        return ApplicationError(
            f"LLM endpoint {client.base_url} rejected the API key (HTTP 401): check OPENAI_API_KEY",
            type=LLMError.AUTHENTICATION,
            non_retryable=True,
        )
    if status >= 500 or status in _RETRYABLE_CLIENT_STATUS:
        return ApplicationError(f"LLM server error (HTTP {status})", type=LLMError.SERVER)
    return ApplicationError(
        f"LLM refused the request (HTTP {status}): {error.message}",
        type=LLMError.REJECTED,
        non_retryable=True,
    )


def _retry_after(error: openai.APIStatusError) -> timedelta:
    header = error.response.headers.get("retry-after", "").strip()
    delay = DEFAULT_RETRY_AFTER
    if header.replace(".", "", 1).isdigit():
        delay = timedelta(seconds=float(header))
    elif header:
        try:
            delay = parsedate_to_datetime(header) - datetime.now(UTC)
        except (TypeError, ValueError):
            delay = DEFAULT_RETRY_AFTER
    return max(timedelta(seconds=0.1), min(delay, MAX_RETRY_AFTER))
