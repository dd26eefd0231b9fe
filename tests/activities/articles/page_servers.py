"""A newsroom's story pages, honest and hostile: cluttered articles, a paywalled stub, links that
are not web pages, a huge DOM, deep nesting, a 4 MiB script, a gzip bomb, a meta refresh and an
endless redirect chain. `/hits/{name}` says how often a counted route was asked for.

The canary is a server of its own: a page pointing at it must never make it count.
"""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.activities.feeds.encoded_bodies import gzip_layers

PAGES = Path(__file__).parent / "pages"
HTML = "text/html; charset=utf-8"
PARAGRAPH = (
    "<p>The council met on Tuesday and agreed to build a tidal barrier across the lagoon, "
    "at a cost of forty million.</p>"
)
HUGE_DOM_ELEMENTS = 200_000
NESTING_DEPTH = 100_000
SCRIPT_BYTES = 4 * 1024 * 1024
# The PDF's body stops after its first bytes: only a client that never reads it is not held up.
PDF_STALL_SECONDS = 3600
REDIRECT_LOOP = "/loop/{hop:int}"


def huge_dom() -> bytes:
    # 200,000 elements in 2.8 MB, within the 5 MiB cap: every one a node for trafilatura to prune.
    return f"<html><body><article>{PARAGRAPH * 5}{'<span>a</span>' * HUGE_DOM_ELEMENTS}".encode()


def deep_nesting() -> bytes:
    opened, closed = "<div>" * NESTING_DEPTH, "</div>" * NESTING_DEPTH
    return f"<html><body>{opened}{PARAGRAPH * 5}{closed}".encode()


def big_script() -> bytes:
    script = "var tracker = 1;" * (SCRIPT_BYTES // 16)
    return (
        f"<html><head><script>{script}</script></head>"
        f"<body><article><h1>Barrier approved</h1>{PARAGRAPH * 10}</article></body></html>"
    ).encode()


def meta_refresh(target: str) -> bytes:
    # Browsers follow both; we must follow neither.
    return (
        f'<html><head><meta http-equiv="refresh" content="0; url={target}"><title>Moved</title>'
        f'</head><body><p>Redirecting...</p><script>location.href = "{target}";</script>'
        "</body></html>"
    ).encode()


def _page_file(request: Request) -> Response:
    return Response((PAGES / f"{request.path_params['name']}.html").read_bytes(), media_type=HTML)


def nested_json_ld() -> bytes:
    # Structured data 100,000 arrays deep: a recursive reader of it runs out of stack.
    data = "[" * NESTING_DEPTH + "]" * NESTING_DEPTH
    script = f'<script type="application/ld+json">{data}</script>'
    return f"<html><head>{script}</head><body><article>{PARAGRAPH * 5}</article></body>".encode()


HOSTILE = {
    "huge-dom": huge_dom,
    "deep-nesting": deep_nesting,
    "big-script": big_script,
    "nested-json-ld": nested_json_ld,
}


def _hostile(request: Request) -> Response:
    return Response(HOSTILE[request.path_params["name"]](), media_type=HTML)


def _gzip_bomb(_request: Request) -> Response:
    # 1 GiB of zeros in 1 MB on the wire, as an HTML page.
    return Response(gzip_layers(1), media_type=HTML, headers={"Content-Encoding": "gzip"})


def _meta_refresh(request: Request) -> Response:
    return Response(meta_refresh(request.query_params["to"]), media_type=HTML)


def _redirect(request: Request) -> Response:
    return RedirectResponse(request.query_params["to"], status_code=302)


def _redirect_loop(request: Request) -> Response:
    _count(request, "loop")
    return RedirectResponse(f"/loop/{request.path_params['hop'] + 1}", status_code=302)


async def _pdf(_request: Request) -> Response:
    async def body() -> AsyncIterator[bytes]:
        yield b"%PDF-1.7 " + bytes(64 * 1024)
        await asyncio.sleep(PDF_STALL_SECONDS)  # a client reading on waits for its read timeout

    return StreamingResponse(body(), media_type="application/pdf")


NOT_PAGES = {
    "clip.mp4": ("video/mp4", b"\x00\x00\x00\x18ftypmp42"),
    "photo.png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "download.bin": ("application/octet-stream", b"\x00\x01\x02"),
}


def _not_a_page(request: Request) -> Response:
    media_type, body = NOT_PAGES[request.path_params["name"]]
    return Response(body, media_type=media_type)


def _untyped(request: Request) -> Response:
    bodies = {"html": (PAGES / "harbour-barrier.html").read_bytes(), "binary": b"\x00\x01PK\x03"}
    response = Response(bodies[request.path_params["name"]])
    del response.headers["content-type"]  # Starlette sends none without a media type; be sure
    return response


def _empty(_request: Request) -> Response:
    return Response(b"", media_type=HTML)


def _status(request: Request) -> Response:
    return PlainTextResponse("no page here", status_code=request.path_params["code"])


def _count(request: Request, name: str) -> None:
    hits = request.app.state.hits
    hits[name] = hits.get(name, 0) + 1


def _hits(request: Request) -> Response:
    return PlainTextResponse(str(request.app.state.hits.get(request.path_params["name"], 0)))


def create_page_app() -> Starlette:
    app = Starlette(
        routes=[
            Route("/pages/{name}.html", _page_file),
            Route("/hostile/gzip-bomb.html", _gzip_bomb),  # before the route it would match
            Route("/hostile/{name}.html", _hostile),
            Route("/meta-refresh.html", _meta_refresh),
            Route("/redirect", _redirect),
            Route(REDIRECT_LOOP, _redirect_loop),
            Route("/report.pdf", _pdf),
            Route("/files/{name}", _not_a_page),
            Route("/untyped/{name}", _untyped),
            Route("/empty.html", _empty),
            Route("/status/{code:int}", _status),
            Route("/hits/{name}", _hits),
        ]
    )
    app.state.hits = {}
    return app


def create_canary_app() -> Starlette:
    async def canary(request: Request) -> Response:
        _count(request, "canary")
        return Response(b"<html><body><p>The canary sang.</p></body></html>", media_type=HTML)

    app = Starlette(routes=[Route("/hits/{name}", _hits), Route("/{path:path}", canary)])
    app.state.hits = {}
    return app
