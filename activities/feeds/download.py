"""Downloading a feed over HTTP with timeouts, a size cap and the SSRF guard on every hop."""

import asyncio
import contextlib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import httpx
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.errors import FeedError
from activities.feeds.address_guard import AddressGuard, CheckedTarget
from activities.feeds.content_decoding import (
    ACCEPT_ENCODING,
    BodyDecoder,
    EncodingRefused,
    MalformedEncoding,
    decoder_for,
)
from activities.feeds.host_slots import HostSlots
from activities.feeds.limits import DEFAULT_FEED_LIMITS, FeedLimits, size_text

FEED_MAX_REDIRECTS = 5
USER_AGENT = "briefing/0.1 (+https://github.com/; durable news briefings)"
_RETRYABLE_STATUS = {408, 425, 429}


@cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle costs ~20 ms of CPU: once per worker, not once per feed.
    return httpx.create_ssl_context()


async def download_feed(
    url: str,
    guard: AddressGuard,
    limits: FeedLimits = DEFAULT_FEED_LIMITS,
    hosts: HostSlots | None = None,
) -> bytes:
    # httpx's timeouts are per connect and per read: a byte every few seconds resets them, so
    # only a deadline over the whole download stops a body that drips forever. The wait for a
    # slot at the feed's host counts too: a host whose downloads drip fails its queue in time.
    deadline = asyncio.timeout(limits.total_seconds)
    waiting_for_host = True
    try:
        async with deadline, hosts.hold(url) if hosts else contextlib.nullcontext():
            waiting_for_host = False
            return await _download(url, guard, limits)
    except TimeoutError as error:
        if not deadline.expired():
            raise
        raise _too_slow(url, limits, waiting_for_host) from error


def _too_slow(url: str, limits: FeedLimits, waiting_for_host: bool) -> ApplicationError:
    # A feed this slow is broken or hostile; retrying would hold a worker slot just as long.
    if waiting_for_host:
        what = f"waited {limits.total_seconds:g} s for its host, whose other downloads are slow"
    else:
        what = f"took longer than {limits.total_seconds:g} s in total"
    return ApplicationError(
        f"feed refused: {url} {what}", type=FeedError.TOO_SLOW, non_retryable=True
    )


async def _download(url: str, guard: AddressGuard, limits: FeedLimits) -> bytes:
    try:
        async with httpx.AsyncClient(
            timeout=limits.timeout,
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
            verify=_tls_context(),
        ) as client:
            return await _follow_checked(client, guard, httpx.URL(url), limits.max_bytes)
    except httpx.TimeoutException as error:
        raise ApplicationError(
            f"{url} timed out ({type(error).__name__})", type=FeedError.TIMEOUT
        ) from error
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        raise ApplicationError(
            f"{url} is not a valid feed URL: {error}", type=FeedError.REJECTED, non_retryable=True
        ) from error
    except httpx.TransportError as error:
        raise ApplicationError(
            f"{url} unreachable: {error or type(error).__name__}", type=FeedError.UNAVAILABLE
        ) from error


async def _follow_checked(
    client: httpx.AsyncClient, guard: AddressGuard, url: httpx.URL, max_bytes: int
) -> bytes:
    """Follow redirects by hand, so every hop passes the guard and goes to the checked address."""
    for _hop in range(FEED_MAX_REDIRECTS + 1):
        target = await guard.check(url)
        async with client.stream("GET", target.pinned_url, **_pinned(target)) as response:
            if response.is_redirect:
                url = url.join(response.headers["location"])
                continue
            _raise_for_status(url, response.status_code)
            decoder = _decoder(url, response.headers.get("content-encoding", ""))
            return await _read_capped(url, response, decoder, max_bytes)
    raise ApplicationError(
        f"{url} redirects too often", type=FeedError.REJECTED, non_retryable=True
    )


def _pinned(target: CheckedTarget) -> dict:
    extensions = {"sni_hostname": target.url.host} if target.url.scheme == "https" else {}
    return {"headers": {"Host": target.host_header}, "extensions": extensions}


def _raise_for_status(url: httpx.URL, status: int) -> None:
    if status < 400:
        return
    if status >= 500 or status in _RETRYABLE_STATUS:
        raise ApplicationError(f"{url} answered HTTP {status}", type=FeedError.UNAVAILABLE)
    raise ApplicationError(
        f"{url} answered HTTP {status}", type=FeedError.REJECTED, non_retryable=True
    )


def _decoder(url: httpx.URL, content_encoding: str) -> BodyDecoder:
    try:
        return decoder_for(content_encoding)
    except EncodingRefused as refused:
        raise _refused(url, str(refused), FeedError.UNSUPPORTED_ENCODING) from refused


async def _read_capped(
    url: httpx.URL, response: httpx.Response, decoder: BodyDecoder, max_bytes: int
) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(url, max_bytes)
    body = bytearray()
    received = 0
    with _malformed_body_refused(url):
        # Raw bytes, decoded here: each step may produce one byte more than the cap allows and
        # no more, so a compression bomb costs the worker the cap, not its decoded size.
        async for chunk in response.aiter_raw():
            received += len(chunk)
            body += decoder.decode(chunk, max_bytes - len(body) + 1)
            # Coded bytes count too: empty deflate blocks or a long gzip comment decode to nothing.
            if len(body) > max_bytes or received > max_bytes:
                raise _too_large(url, max_bytes)
            activity.heartbeat(len(body))
            if decoder.finished:
                break  # what follows the coded stream is not part of the body
        decoder.check_complete()
    return bytes(body)


@contextmanager
def _malformed_body_refused(url: httpx.URL) -> Iterator[None]:
    try:
        yield
    except MalformedEncoding as error:
        reason = f"sent a body that cannot be decoded: {error}"
        raise _refused(url, reason, FeedError.MALFORMED) from error


def _too_large(url: httpx.URL, max_bytes: int) -> ApplicationError:
    return _refused(url, f"is larger than the {size_text(max_bytes)} size cap", FeedError.TOO_LARGE)


def _refused(url: httpx.URL, reason: str, kind: FeedError) -> ApplicationError:
    # Refused for what the server sent: a retry would fetch the same body.
    return ApplicationError(f"feed refused: {url} {reason}", type=kind, non_retryable=True)
