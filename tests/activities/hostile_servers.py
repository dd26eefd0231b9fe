"""Tiny feed servers that misbehave on purpose: a gzip bomb, an odd encoding, a redirect."""

import gzip

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

BOMB_DECODED_BYTES = 10 * 1024 * 1024
METADATA_URL = "http://169.254.169.254/latest/meta-data/"


def _gzip_bomb(_request: Request) -> Response:
    body = gzip.compress(b"\0" * BOMB_DECODED_BYTES)
    return Response(body, media_type="application/rss+xml", headers={"Content-Encoding": "gzip"})


def _unknown_encoding(_request: Request) -> Response:
    return Response(b"<rss/>", media_type="application/rss+xml", headers={"Content-Encoding": "xz"})


def _to_metadata(_request: Request) -> Response:
    return RedirectResponse(METADATA_URL, status_code=302)


def _host_echo(request: Request) -> Response:
    return Response(request.headers["host"], media_type="text/plain")


def create_hostile_app() -> Starlette:
    return Starlette(
        routes=[
            Route("/gzip-bomb.xml", _gzip_bomb),
            Route("/unknown-encoding.xml", _unknown_encoding),
            Route("/to-metadata.xml", _to_metadata),
            Route("/host", _host_echo),
        ]
    )
