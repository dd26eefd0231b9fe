"""A response's body read within its size cap, decoded by us one budgeted step at a time.

A compression bomb costs the worker the cap, not its decoded size (content_decoding.py says how).
`subject` names what is read in a refusal: "feed refused: …", "page refused: …".
"""

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.errors import FeedError
from activities.feeds.child_limits import size_text
from activities.feeds.content_decoding import (
    BodyDecoder,
    EncodingRefused,
    MalformedEncoding,
    decoder_for,
)


async def read_capped_body(
    url: httpx.URL, response: httpx.Response, max_bytes: int, subject: str
) -> bytes:
    decoder = _decoder(url, response.headers.get("content-encoding", ""), subject)
    return await _read_capped(url, response, decoder, max_bytes, subject)


def _decoder(url: httpx.URL, content_encoding: str, subject: str) -> BodyDecoder:
    try:
        return decoder_for(content_encoding)
    except EncodingRefused as refused:
        raise _refused(url, str(refused), FeedError.UNSUPPORTED_ENCODING, subject) from refused


async def _read_capped(
    url: httpx.URL,
    response: httpx.Response,
    decoder: BodyDecoder,
    max_bytes: int,
    subject: str,
) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(url, max_bytes, subject)
    body = bytearray()
    received = 0
    with _malformed_body_refused(url, subject):
        # Raw bytes, decoded here: each step may produce one byte more than the cap allows and
        # no more, so a compression bomb costs the worker the cap, not its decoded size.
        async for chunk in response.aiter_raw():
            received += len(chunk)
            body += decoder.decode(chunk, max_bytes - len(body) + 1)
            # Coded bytes count too: empty deflate blocks or a long gzip comment decode to nothing.
            if len(body) > max_bytes or received > max_bytes:
                raise _too_large(url, max_bytes, subject)
            activity.heartbeat(len(body))
            if decoder.finished:
                break  # what follows the coded stream is not part of the body
        decoder.check_complete()
    return bytes(body)


@contextmanager
def _malformed_body_refused(url: httpx.URL, subject: str) -> Iterator[None]:
    try:
        yield
    except MalformedEncoding as error:
        reason = f"sent a body that cannot be decoded: {error}"
        raise _refused(url, reason, FeedError.MALFORMED, subject) from error


def _too_large(url: httpx.URL, max_bytes: int, subject: str) -> ApplicationError:
    reason = f"is larger than the {size_text(max_bytes)} size cap"
    return _refused(url, reason, FeedError.TOO_LARGE, subject)


def _refused(url: httpx.URL, reason: str, error_type: FeedError, subject: str) -> ApplicationError:
    # Refused for what the server sent: a retry would fetch the same body.
    message = f"{subject} refused: {url} {reason}"
    return ApplicationError(message, type=error_type, non_retryable=True)
