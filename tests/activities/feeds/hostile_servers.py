"""Tiny feed servers that misbehave on purpose: bombs, entity attacks, drips and redirects
(the compression bombs and other coded bodies are in encoded_bodies.py).

`/canary` counts the requests it gets: a feed that names it in an external entity or DTD must
never make it count.
"""

import asyncio

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.activities.feeds.encoded_bodies import ENCODED_BODY_ROUTES

HUGE_FEED_BYTES = 20 * 1024 * 1024
DRIP_INTERVAL_SECONDS = 0.5
# feedparser's author e-mail regex is quadratic in this: 16 KB takes ~1 s, this ~2 minutes.
BACKTRACKING_AUTHOR = "a@" + "a." * 100_000 + "!"
METADATA_URL = "http://169.254.169.254/latest/meta-data/"
RSS = "application/rss+xml"


def rss(items: str, prolog: str = "", title: str = "Hostile News") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}<rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://hostile.test/</link>{items}</channel></rss>"
    )


def item(title: str, link: str = "http://hostile.test/story", extra: str = "") -> str:
    return f"<item><title>{title}</title><link>{link}</link>{extra}</item>"


def _billion_laughs() -> str:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    return rss(item("&lol9;"), prolog=f"<!DOCTYPE rss [{''.join(levels)}]>")


def _quadratic_blowup() -> str:
    # Each entity declaration stays "safe" to feedparser: one plain string, no nesting.
    prolog = f'<!DOCTYPE rss [\n<!ENTITY a "{"A" * 50_000}">\n]>\n'
    return rss(item("&a;" * 10_000), prolog=prolog)


def _external_entity(system_id: str) -> str:
    return rss(item("&leak;"), prolog=f'<!DOCTYPE rss [<!ENTITY leak SYSTEM "{system_id}">]>')


def _script_feed() -> str:
    escaped = (
        "Hello &lt;script&gt;alert(1)&lt;/script&gt;"
        '&lt;a href="javascript:alert(2)"&gt;click&lt;/a&gt; world'
    )
    body = (
        '<description><![CDATA[<p>Body <script>alert(3)</script><a href="javascript:alert(4)">'
        "link</a> <img src=x onerror=alert(5)></p>]]></description>"
    )
    return rss(
        item(escaped, "http://hostile.test/1", body)
        + item("<![CDATA[Second <script>alert(6)</script> <b>bold</b>]]>", "http://hostile.test/2")
        + item("Click me", "javascript:alert(document.cookie)")
    )


LINK_TWICE = "http://hostile.test/same"


def _canary_url(request: Request) -> str:
    return str(request.url_for("canary"))


FEEDS = {
    "billion-laughs.xml": lambda _request: _billion_laughs().encode(),
    "billion-laughs-utf16.xml": lambda _request: (
        _billion_laughs().replace("utf-8", "utf-16").encode("utf-16")
    ),
    "quadratic-blowup.xml": lambda _request: _quadratic_blowup().encode(),
    "external-entity-file.xml": lambda _request: _external_entity("file:///etc/passwd").encode(),
    "external-entity-http.xml": lambda request: _external_entity(_canary_url(request)).encode(),
    "external-dtd.xml": lambda request: rss(
        item("A plain story"), prolog=f'<!DOCTYPE rss SYSTEM "{_canary_url(request)}">'
    ).encode(),
    "backtracking-author.xml": lambda _request: rss(
        item("Slow", extra=f"<author>{BACKTRACKING_AUTHOR}</author>")
    ).encode(),
    "script-and-javascript.xml": lambda _request: _script_feed().encode(),
    "accept-encoding.xml": lambda request: rss(
        item(request.headers.get("accept-encoding", "none"))
    ).encode(),
    # One link under two unlike titles: two stories with one id, unless selection keeps one.
    "one-link-twice.xml": lambda _request: rss(
        item("Tidal barrier approved", LINK_TWICE, "<description>The council agreed.</description>")
        + item("Volcano erupts", LINK_TWICE, "<description>Ash fell on the lagoon.</description>")
    ).encode(),
}


def _feed(request: Request) -> Response:
    return Response(FEEDS[request.path_params["name"]](request), media_type=RSS)


async def _huge_chunks():
    chunk = b"<!-- padding -->" * 4096
    for _ in range(HUGE_FEED_BYTES // len(chunk)):
        yield chunk


async def _huge_declared(_request: Request) -> Response:
    headers = {"Content-Length": str(HUGE_FEED_BYTES)}
    return StreamingResponse(_huge_chunks(), media_type=RSS, headers=headers)


async def _huge_chunked(_request: Request) -> Response:
    return StreamingResponse(_huge_chunks(), media_type=RSS)  # no length: chunked


async def _drip():
    yield rss("").encode()[:60]
    while True:  # never ends: only the client's deadline stops it
        await asyncio.sleep(DRIP_INTERVAL_SECONDS)
        yield b" "


async def _slow_drip(_request: Request) -> Response:
    return StreamingResponse(_drip(), media_type=RSS)


def _redirect(request: Request) -> Response:
    return RedirectResponse(request.query_params["to"], status_code=302)


def _to_metadata(_request: Request) -> Response:
    return RedirectResponse(METADATA_URL, status_code=302)


def _path_as_body(request: Request) -> Response:
    return Response(request.query_params["path"].encode(), media_type=RSS)


def _host_echo(request: Request) -> Response:
    return Response(request.headers["host"], media_type="text/plain")


def _canary(request: Request) -> Response:
    request.app.state.canary_hits += 1
    return PlainTextResponse("root:x:0:0:canary")


def _canary_hits(request: Request) -> Response:
    return PlainTextResponse(str(request.app.state.canary_hits))


def create_hostile_app() -> Starlette:
    app = Starlette(
        routes=[
            Route("/feeds/{name}", _feed),
            *ENCODED_BODY_ROUTES,
            Route("/huge-declared.xml", _huge_declared),
            Route("/huge-chunked.xml", _huge_chunked),
            Route("/slow-drip.xml", _slow_drip),
            Route("/redirect", _redirect),
            Route("/to-metadata.xml", _to_metadata),
            Route("/path-as-body.xml", _path_as_body),
            Route("/host", _host_echo),
            Route("/canary", _canary, name="canary"),
            Route("/canary-hits", _canary_hits),
        ]
    )
    app.state.canary_hits = 0
    return app
