"""CSRF protection for page forms: a signed double-submit token.

The token is a random nonce and its HMAC under the secret key. It lives in a cookie
(SameSite=Strict, HttpOnly) and in every page (a meta tag, a hidden form field, htmx's
X-CSRF-Token header). A state-changing request must send back the cookie's token, and the cookie
must carry our signature, so a token planted by another site or subdomain is refused. The JSON
API takes no cookies, so it is exempt; app/origin_check.py keeps other sites' forms off it.
"""

import base64
import hashlib
import hmac
import logging
import secrets

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.paths import is_api_path
from app.error_pages import refusal_page
from app.form_body import BodyTooLarge, form_field, read_body, replay
from app.settings import Settings

COOKIE_NAME = "briefing_csrf"
HEADER_NAME = "X-CSRF-Token"
FORM_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

log = logging.getLogger(__name__)


class CsrfSigner:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def new_token(self) -> str:
        nonce = secrets.token_urlsafe(24)
        return f"{nonce}.{self._signature(nonce)}"

    def is_valid(self, token: str | None) -> bool:
        nonce, _, signature = (token or "").partition(".")
        return bool(nonce) and hmac.compare_digest(signature, self._signature(nonce))

    def _signature(self, nonce: str) -> str:
        digest = hmac.new(self._key, nonce.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signing_key(settings: Settings) -> bytes:
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    log.warning(
        "BRIEFING_SECRET_KEY is not set: CSRF tokens are signed with a random key of this process."
        " Open forms stop working when it restarts, and several web replicas need one shared key."
    )
    return secrets.token_bytes(32)


class CsrfMiddleware:
    """Issues the token (request.state.csrf_token) and checks it on state-changing page requests."""

    def __init__(self, app: ASGIApp, signer: CsrfSigner) -> None:
        self.app = app
        self.signer = signer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie = Request(scope).cookies.get(COOKIE_NAME)
        cookie_is_ours = self.signer.is_valid(cookie)
        token = cookie if cookie_is_ours else self.signer.new_token()
        scope.setdefault("state", {})["csrf_token"] = token
        if scope["method"] not in SAFE_METHODS and not is_api_path(scope["path"]):
            headers = Headers(scope=scope)
            submitted = headers.get(HEADER_NAME)
            if submitted is None:
                try:
                    messages = await read_body(receive)
                except BodyTooLarge:
                    await _refuse(scope, receive, send, 413, "This form is too large to accept.")
                    return
                receive = replay(messages, then=receive)
                submitted = await form_field(scope, messages, FORM_FIELD)
            if not (cookie_is_ours and submitted and hmac.compare_digest(cookie, submitted)):
                await _refuse(scope, receive, send, 403, EXPIRED_FORM)
                return
        if not cookie_is_ours:
            send = _setting_cookie(send, token, secure=scope.get("scheme") == "https")
        await self.app(scope, receive, send)


EXPIRED_FORM = (
    "This form has expired or did not come from this site, so nothing was started. "
    "Reload the page and submit it again."
)


def _setting_cookie(send: Send, token: str, *, secure: bool) -> Send:
    cookie = f"{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Strict"
    if secure:
        cookie += "; Secure"

    async def send_with_cookie(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            # Only pages render the token, so only pages need the cookie.
            if headers.get("content-type", "").startswith("text/html"):
                headers.append("Set-Cookie", cookie)
        await send(message)

    return send_with_cookie


async def _refuse(scope: Scope, receive: Receive, send: Send, code: int, message: str) -> None:
    response = refusal_page(Request(scope, receive), code, message, title="Form refused")
    await response(scope, receive, send)
