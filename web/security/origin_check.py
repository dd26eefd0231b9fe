"""Refuses state-changing requests that another site's page made a browser send.

Browsers say where a request comes from: `Sec-Fetch-Site` (anything but `same-origin`, or
`none` for what the user did themselves, is another page's doing: `same-site` too, as a sibling
subdomain or another port of localhost may be hostile) and, on every POST, `Origin`. Either naming
another origin is 403 before any route or form parsing. The Host header `Origin` is compared with
was vetted by core/host_check.py, further out.

The JSON API takes no cookies, but a cross-site form can still POST to it (a body-less cancel
needs nothing else), so its POSTs must also be `application/json`, a type no form can send
without a CORS preflight, unless the browser proved the request same-origin. Non-browser
clients send no Origin: they send the content type (curl: `-H 'Content-Type: application/json'`).
"""

from http import HTTPStatus

import httpx
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from web.api_paths import is_api_path
from web.error_pages import refusal
from web.security.csrf import SAFE_METHODS

OWN_SITE = frozenset({"same-origin", "none"})
JSON_TYPE = "application/json"
_DEFAULT_PORTS = {"http": 80, "https": 443}
CROSS_SITE = (
    "This request came from another site's page, so it was refused and nothing was changed. "
    "Use this site's own pages, or call the API from outside a browser."
)
NOT_JSON = (
    "The JSON API takes only Content-Type: application/json on requests that change something, "
    "even those without a body, so that another site's form cannot send them."
)


class OriginCheckMiddleware:
    """403 for a cross-site state change; 415 for an API state change that is not JSON."""

    def __init__(self, app: ASGIApp, *, public_origin: str | None = None) -> None:
        self.app = app
        # Behind a proxy that rewrites Host, the browser's origin is the configured public URL.
        self.public_origin = _origin_key(public_origin) if public_origin else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if headers.get("sec-fetch-site", "none") not in OWN_SITE or (
            origin is not None and not self._is_own_origin(origin, headers.get("host", ""))
        ):
            await _refuse(scope, receive, send, HTTPStatus.FORBIDDEN, CROSS_SITE)
            return
        if is_api_path(scope["path"]) and origin is None and not _is_json(headers):
            await _refuse(scope, receive, send, HTTPStatus.UNSUPPORTED_MEDIA_TYPE, NOT_JSON)
            return
        await self.app(scope, receive, send)

    def _is_own_origin(self, origin: str, host: str) -> bool:
        key = _origin_key(origin)
        if key is None:
            return False  # `null` (sandboxed frames, file pages) or garbled
        own = _origin_key(f"{key[0]}://{host}")
        return key == own or key == self.public_origin


def _origin_key(origin: str) -> tuple[str, str, int] | None:
    """`http://Example.org` → ("http", "example.org", 80); None when it names no origin."""
    try:
        url = httpx.URL(origin)
        port = url.port or _DEFAULT_PORTS.get(url.scheme)
    except (httpx.InvalidURL, ValueError):
        return None
    if not url.host or port is None:
        return None
    return url.scheme, url.host.rstrip("."), port


def _is_json(headers: Headers) -> bool:
    media_type = headers.get("content-type", "").partition(";")[0]
    return media_type.strip().lower() == JSON_TYPE


async def _refuse(scope: Scope, receive: Receive, send: Send, code: int, message: str) -> None:
    response = refusal(Request(scope, receive), code, message, title="Request refused")
    await response(scope, receive, send)
