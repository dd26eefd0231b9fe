"""Downloading a feed or a story's page over HTTP with timeouts, a size cap and the SSRF guard on
every hop: one download for both, told apart only by what its messages call it and by which
Content-Types it reads the body of."""

import asyncio
import contextlib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import httpx
from temporalio.exceptions import ApplicationError

from activities.errors import FeedError
from activities.feeds.address_guard import AddressGuard, CheckedTarget
from activities.feeds.capped_body import read_capped_body
from activities.feeds.content_decoding import ACCEPT_ENCODING
from activities.feeds.host_slots import HostSlots
from activities.feeds.limits import DEFAULT_FEED_LIMITS, DownloadLimits, FeedLimits

FEED_MAX_REDIRECTS = 5
USER_AGENT = "briefing/0.1 (+https://github.com/; durable news briefings)"
_RETRYABLE_STATUS = {408, 425, 429}


@dataclass(frozen=True)
class DownloadKind:
    subject: str  # in messages: "feed refused: …", "page refused: …"
    # Given the response's Content-Type ("" if none), whether its body is worth reading.
    reads_body_of: Callable[[str], bool]


FEED_DOWNLOAD = DownloadKind("feed", reads_body_of=lambda _content_type: True)


@dataclass(frozen=True)
class Downloaded:
    body: bytes
    content_type: str  # the response's header as sent, "" when it sent none
    final_url: str  # after redirects
    body_read: bool = True  # False: its Content-Type was turned down before a byte of the body


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
    return (await download(url, guard, limits, hosts)).body


async def download(
    url: str,
    guard: AddressGuard,
    limits: DownloadLimits = DEFAULT_FEED_LIMITS,
    hosts: HostSlots | None = None,
    kind: DownloadKind = FEED_DOWNLOAD,
) -> Downloaded:
    # httpx's timeouts are per connect and per read: a byte every few seconds resets them, so
    # only a deadline over the whole download stops a body that drips forever. The wait for a
    # slot at the URL's host counts too: a host whose downloads drip fails its queue in time.
    deadline = asyncio.timeout(limits.total_seconds)
    waiting_for_host = True
    try:
        async with deadline, hosts.hold(url) if hosts else contextlib.nullcontext():
            waiting_for_host = False
            return await _download(url, guard, limits, kind)
    except TimeoutError as error:
        if not deadline.expired():
            raise
        raise _too_slow(url, limits, kind, waiting_for_host) from error


def _too_slow(
    url: str, limits: DownloadLimits, kind: DownloadKind, waiting_for_host: bool
) -> ApplicationError:
    # A download this slow is broken or hostile; retrying would hold a worker slot just as long.
    if waiting_for_host:
        what = f"waited {limits.total_seconds:g} s for its host, whose other downloads are slow"
    else:
        what = f"took longer than {limits.total_seconds:g} s in total"
    return ApplicationError(
        f"{kind.subject} refused: {url} {what}", type=FeedError.TOO_SLOW, non_retryable=True
    )


async def _download(
    url: str, guard: AddressGuard, limits: DownloadLimits, kind: DownloadKind
) -> Downloaded:
    try:
        async with httpx.AsyncClient(
            timeout=limits.timeout,
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
            verify=_tls_context(),
        ) as client:
            return await _follow_checked(client, guard, httpx.URL(url), limits.max_bytes, kind)
    except httpx.TimeoutException as error:
        raise ApplicationError(
            f"{url} timed out ({type(error).__name__})", type=FeedError.TIMEOUT
        ) from error
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        raise ApplicationError(
            f"{url} is not a valid {kind.subject} URL: {error}",
            type=FeedError.REJECTED,
            non_retryable=True,
        ) from error
    except httpx.TransportError as error:
        raise ApplicationError(
            f"{url} unreachable: {error or type(error).__name__}", type=FeedError.UNAVAILABLE
        ) from error


async def _follow_checked(
    client: httpx.AsyncClient,
    guard: AddressGuard,
    url: httpx.URL,
    max_bytes: int,
    kind: DownloadKind,
) -> Downloaded:
    """Follow redirects by hand, so every hop passes the guard and goes to the checked address."""
    for _hop in range(FEED_MAX_REDIRECTS + 1):
        target = await guard.check(url, kind.subject)
        async with client.stream("GET", target.pinned_url, **_pinned(target)) as response:
            if response.is_redirect:
                url = url.join(response.headers["location"])
                continue
            _raise_for_status(url, response.status_code)
            content_type = response.headers.get("content-type", "")
            if not kind.reads_body_of(content_type):
                # Leaving the block closes the connection: the body is never downloaded.
                return Downloaded(b"", content_type, str(url), body_read=False)
            body = await read_capped_body(url, response, max_bytes, kind.subject)
            return Downloaded(body, content_type, str(url))
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
