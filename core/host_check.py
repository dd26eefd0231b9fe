"""Which Host headers our HTTP servers answer: the defence against DNS rebinding.

A page on `attacker.test` whose name is later made to resolve to 127.0.0.1 talks to our servers
from the browser with the browser's cookies and, being "same origin" with itself, reads the
answers. Its requests still say `Host: attacker.test`, so every server we run answers only the
names it is really reached by: loopback, the configured host, and BRIEFING_ALLOWED_HOSTS.
Anything else gets 400 before any route runs.
"""

from collections.abc import Iterable

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
# Binding to every interface names no host that a browser would use.
_WILDCARD_BINDS = {"0.0.0.0", "::", ""}
REFUSAL = "unknown host: this server answers only the host names it is configured for"


def allowed_host_names(host: str = "", extra: Iterable[str] = ()) -> frozenset[str]:
    """Loopback, the bound host (unless a wildcard) and the extra names, without ports."""
    names = {*LOOPBACK_NAMES, *(_bare(name) for name in extra)}
    if _bare(host) not in _WILDCARD_BINDS:
        names.add(_bare(host))
    return frozenset(name for name in names if name)


def is_allowed_host(host_header: str | None, allowed: frozenset[str]) -> bool:
    """True when the Host header names one of `allowed` (any port): absent or garbled is not."""
    return host_header is not None and _bare(host_header) in allowed


def _bare(host: str) -> str:
    """`Example.org:8000` → `example.org`, `[::1]:8000` → `::1`, `::1` → `::1`."""
    host = host.strip().lower()
    if host.startswith("["):
        inside, bracket, _port = host[1:].partition("]")
        return inside if bracket else ""
    name, colon, port = host.rpartition(":")
    if colon and ":" not in name and (port.isdigit() or not port):
        host = name
    return host.rstrip(".")  # `example.org.` is the same name, fully qualified


class HostCheckMiddleware:
    """400 for an HTTP request whose Host is not one of `allowed` (we serve no WebSockets)."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if not is_allowed_host(_host_header(scope), self.allowed):
                response = PlainTextResponse(REFUSAL, status_code=400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _host_header(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"host":
            return value.decode("latin-1")
    return None
