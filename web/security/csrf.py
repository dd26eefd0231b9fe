"""CSRF protection for page forms: a per-browser signed cookie and expiring tokens bound to it.

The cookie (SameSite=Strict, HttpOnly; `__Host-` prefixed and Secure over HTTPS) holds a random
client id and its HMAC under the secret key, so a cookie planted by another site or subdomain is
refused. Every page carries a token (a meta tag, a hidden form field, htmx's X-CSRF-Token
header): the time it was issued and an HMAC of it with the client id. A state-changing request
must send a token issued to this browser's cookie less than TOKEN_MAX_AGE ago; a token copied
from another browser, or from a page left open too long, is refused. The JSON API takes no
cookies, so it is exempt; web/security/origin_check.py keeps other sites' forms off it.
"""

import base64
import hashlib
import hmac
import logging
import os
import secrets
import time
from typing import TypeGuard

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.settings import Settings
from web.api_paths import is_api_path
from web.error_pages import refusal_page
from web.security.form_body import BodyTooLarge, form_field, read_body, replay

COOKIE_NAME = "briefing_csrf"
# Over HTTPS: the browser keeps a __Host- cookie only if it is Secure, for Path=/ and no Domain,
# so no subdomain or plain-HTTP page can set or shadow it.
SECURE_COOKIE_NAME = f"__Host-{COOKIE_NAME}"
# Long enough for a working day with a page open; a leaked token is useless the day after.
TOKEN_MAX_AGE_SECONDS = 12 * 3600
# Replicas' clocks may disagree a little: a token "from the future" within this is accepted.
CLOCK_SKEW_SECONDS = 60
HEADER_NAME = "X-CSRF-Token"
FORM_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SECRET_KEY_VARIABLE = "BRIEFING_SECRET_KEY"

log = logging.getLogger(__name__)


class CsrfSigner:
    def __init__(self, key: bytes, *, max_age: float = TOKEN_MAX_AGE_SECONDS) -> None:
        self._key = key
        self._max_age = max_age

    def new_cookie(self) -> str:
        client_id = secrets.token_urlsafe(24)
        return f"{client_id}.{self._signature('cookie', client_id)}"

    def is_our_cookie(self, cookie: str | None) -> TypeGuard[str]:
        client_id, _, signature = (cookie or "").partition(".")
        return bool(client_id) and hmac.compare_digest(
            signature, self._signature("cookie", client_id)
        )

    def token_for(self, cookie: str, now: float | None = None) -> str:
        issued = str(int(time.time() if now is None else now))
        return f"{issued}.{self._signature('token', cookie, issued)}"

    def is_valid_token(self, cookie: str, token: str | None, now: float | None = None) -> bool:
        """Issued to this cookie, by a process holding our key, and not expired."""
        issued, _, signature = (token or "").partition(".")
        if not issued.isdigit():
            return False
        age = (time.time() if now is None else now) - int(issued)
        fresh = -CLOCK_SKEW_SECONDS <= age <= self._max_age
        return fresh and hmac.compare_digest(signature, self._signature("token", cookie, issued))

    def _signature(self, purpose: str, *parts: str) -> str:
        # The purpose keeps a cookie's signature from ever passing as a token's, or back.
        message = "\n".join((purpose, *parts)).encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signing_key(settings: Settings) -> bytes:
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    log.warning(
        "BRIEFING_SECRET_KEY is not set: CSRF tokens are signed with a random key of this process."
        " Open forms stop working when it restarts, and several web replicas need one shared key."
    )
    return secrets.token_bytes(32)


def share_a_random_key(settings: Settings) -> None:
    """Without BRIEFING_SECRET_KEY, several web processes would each sign with a key of their own
    and refuse the others' tokens: this parent makes one, only for its children's environment."""
    if settings.secret_key is not None:
        return
    log.warning(
        "BRIEFING_SECRET_KEY is not set: CSRF tokens are signed with a random key of this run,"
        " shared by its processes. Open forms stop working when it restarts, and web replicas"
        " on other machines need one shared key."
    )
    os.environ[SECRET_KEY_VARIABLE] = secrets.token_urlsafe(32)


class CsrfMiddleware:
    """Issues the token (request.state.csrf_token) and checks it on state-changing page requests."""

    def __init__(self, app: ASGIApp, signer: CsrfSigner, *, public_https: bool = False) -> None:
        self.app = app
        self.signer = signer
        # Behind a TLS-terminating proxy the request arrives as http: the public URL says https.
        self.public_https = public_https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = self.public_https or scope.get("scheme") == "https"
        name = SECURE_COOKIE_NAME if secure else COOKIE_NAME
        received = Request(scope).cookies.get(name)
        if self.signer.is_our_cookie(received):
            cookie, cookie_is_ours = received, True
        else:
            cookie, cookie_is_ours = self.signer.new_cookie(), False
        scope.setdefault("state", {})["csrf_token"] = self.signer.token_for(cookie)
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
            if not (cookie_is_ours and self.signer.is_valid_token(cookie, submitted)):
                await _refuse(scope, receive, send, 403, EXPIRED_FORM)
                return
        if not cookie_is_ours:
            send = _setting_cookie(send, name, cookie, secure=secure)
        await self.app(scope, receive, send)


EXPIRED_FORM = (
    "This form has expired or did not come from this site, so nothing was started. "
    "Reload the page and submit it again."
)


def _setting_cookie(send: Send, name: str, value: str, *, secure: bool) -> Send:
    cookie = f"{name}={value}; Path=/; HttpOnly; SameSite=Strict"
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
