"""Downloading a feed over HTTP with timeouts and a size cap."""

import httpx
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.errors import FeedError

FEED_MAX_BYTES = 2 * 1024 * 1024
FEED_TIMEOUT = httpx.Timeout(connect=5.0, read=10.0, write=5.0, pool=5.0)
USER_AGENT = "briefing/0.1 (+https://github.com/; durable news briefings)"
_RETRYABLE_STATUS = {408, 425, 429}


async def download_feed(
    url: str, *, max_bytes: int = FEED_MAX_BYTES, timeout: httpx.Timeout = FEED_TIMEOUT
) -> bytes:
    try:
        async with (
            httpx.AsyncClient(
                timeout=timeout,
                follow_redirects=True,
                max_redirects=5,
                headers={"User-Agent": USER_AGENT},
            ) as client,
            client.stream("GET", url) as response,
        ):
            _raise_for_status(url, response.status_code)
            return await _read_capped(url, response, max_bytes)
    except httpx.TimeoutException as error:
        raise ApplicationError(
            f"{url} timed out ({type(error).__name__})", type=FeedError.TIMEOUT
        ) from error
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        raise ApplicationError(
            f"{url} is not a valid feed URL: {error}", type=FeedError.REJECTED, non_retryable=True
        ) from error
    except httpx.TooManyRedirects as error:
        raise ApplicationError(
            f"{url} redirects too often", type=FeedError.REJECTED, non_retryable=True
        ) from error
    except httpx.DecodingError as error:
        raise ApplicationError(
            f"{url} sent a body that cannot be decoded: {error}",
            type=FeedError.MALFORMED,
            non_retryable=True,
        ) from error
    except httpx.TransportError as error:
        raise ApplicationError(
            f"{url} unreachable: {error or type(error).__name__}", type=FeedError.UNAVAILABLE
        ) from error


def _raise_for_status(url: str, status: int) -> None:
    if status < 400:
        return
    if status >= 500 or status in _RETRYABLE_STATUS:
        raise ApplicationError(f"{url} answered HTTP {status}", type=FeedError.UNAVAILABLE)
    raise ApplicationError(
        f"{url} answered HTTP {status}", type=FeedError.REJECTED, non_retryable=True
    )


async def _read_capped(url: str, response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(url, max_bytes)
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise _too_large(url, max_bytes)
        activity.heartbeat(len(body))
    return bytes(body)


def _too_large(url: str, max_bytes: int) -> ApplicationError:
    return ApplicationError(
        f"{url} is larger than the {max_bytes // 1024} KiB feed size cap",
        type=FeedError.TOO_LARGE,
        non_retryable=True,
    )
