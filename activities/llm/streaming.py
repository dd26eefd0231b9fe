"""One streamed chat completion read to its end: the deltas joined into the answer, with a live
view of the text on the way for whoever wants to watch it being written.

A stream that breaks mid-answer (the connection reset or closed without `[DONE]`, an error event
in the stream, or an end without any `finish_reason`) is a retryable `LLMError.BROKEN_OFF` that
says how many words had arrived; the words themselves are not kept: the next attempt asks again.
The client's own retries (the plain agent's) cover a request that fails before its stream
begins, never one that breaks off mid-way, so the plain agent sees these as failures.
"""

from collections.abc import Callable
from dataclasses import dataclass

import openai
from openai import AsyncStream
from openai.types import CompletionUsage
from openai.types.chat import ChatCompletionChunk
from temporalio.exceptions import ApplicationError

from activities.errors import LLMError

# Called with the whole text so far after each delta (the latest call supersedes the others, so
# a slow consumer may keep only the last). Synchronous and quick, as the stream waits for it:
# sending the text on (a signal, a publish) belongs in the consumer's own task, not in here.
OnDelta = Callable[[str], None]


@dataclass(frozen=True)
class StreamedAnswer:
    text: str
    model: str | None
    # None when the server ignored `stream_options.include_usage`; OpenAI sends it when asked.
    usage: CompletionUsage | None


async def read_answer(
    stream: AsyncStream[ChatCompletionChunk], on_delta: OnDelta | None = None
) -> StreamedAnswer:
    """Read `stream` to its end, closing it whatever happens (a cancelled activity included)."""
    text = ""
    model: str | None = None
    usage: CompletionUsage | None = None
    finished = False
    async with stream:
        try:
            async for chunk in stream:
                model = chunk.model or model
                usage = chunk.usage or usage
                for choice in chunk.choices:
                    # We ask for one choice; the first is the answer, as unstreamed.
                    if choice.index != 0:
                        continue
                    if choice.delta.content:
                        text += choice.delta.content
                        if on_delta is not None:
                            on_delta(text)
                    finished = finished or choice.finish_reason is not None
        except openai.APITimeoutError as error:
            raise ApplicationError(
                f"LLM answer stalled after {_words(text)}: timed out", type=LLMError.TIMEOUT
            ) from error
        except openai.APIError as error:
            # A reset or unfinished body arrives as APIConnectionError, an error event as APIError.
            raise _broke_off(text) from error
    if not finished:
        raise _broke_off(text)
    return StreamedAnswer(text=text, model=model, usage=usage)


def _broke_off(text: str) -> ApplicationError:
    return ApplicationError(
        f"the LLM's answer broke off after {_words(text)}", type=LLMError.BROKEN_OFF
    )


def _words(text: str) -> str:
    count = len(text.split())
    return f"{count} word" if count == 1 else f"{count} words"
