"""Feed bodies in a Content-Encoding, hostile and honest: compression bombs in one layer or
stacked, codings we do not decode, and a small feed in each coding we offer or broken in one.
Served by the hostile feed server (hostile_servers.py)."""

import gzip
import struct
import zlib
from collections.abc import Iterable
from functools import cache

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

BOMB_DECODED_BYTES = 10 * 1024 * 1024
# Gzipped twice this is 2.5 KB on the wire, and httpx used to decode it in one call.
LAYERED_BOMB_DECODED_BYTES = 1024 * 1024 * 1024
RSS = "application/rss+xml"
ENCODED_TITLE = "An encoded story"
ENCODED_FEED = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Encoded News'
    f"</title><link>http://hostile.test/</link><item><title>{ENCODED_TITLE}</title>"
    "<link>http://hostile.test/story</link></item></channel></rss>"
).encode()
# Each form: its Content-Encoding and how it codes the feed.
ENCODED_FORMS = {
    "gzip": ("gzip", gzip.compress),
    "zlib-deflate": ("deflate", zlib.compress),
    "raw-deflate": ("deflate", lambda body: zlib.compress(body, wbits=-zlib.MAX_WBITS)),
    "truncated-gzip": ("gzip", lambda body: gzip.compress(body)[:-12]),
    "not-gzip": ("gzip", lambda body: body),
    "gzip-with-long-comment": ("gzip", lambda body: _gzip_with_comment(body, 3 * 1024 * 1024)),
}


def _gzip_with_comment(body: bytes, comment_bytes: int) -> bytes:
    # RFC 1952: FLG.FCOMMENT, then a zero-terminated comment the decoder reads and drops.
    header = b"\x1f\x8b\x08\x10" + bytes(4) + b"\x00\xff" + b"c" * comment_bytes + b"\x00"
    trailer = struct.pack("<II", zlib.crc32(body), len(body))
    return header + zlib.compress(body, wbits=-zlib.MAX_WBITS) + trailer


def _gzip(chunks: Iterable[bytes]) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return b"".join([*(compressor.compress(chunk) for chunk in chunks), compressor.flush()])


@cache
def gzip_layers(layers: int) -> bytes:
    """1 GiB of zeros gzipped `layers` times (1 MB, 2.5 KB, 233 B), once per process."""
    if layers > 1:
        return _gzip([gzip_layers(layers - 1)])
    return _gzipped_zeros(LAYERED_BOMB_DECODED_BYTES)


def _gzipped_zeros(size: int) -> bytes:
    """`size` zeros as one gzip member, from one MiB compressed once and its deflate blocks
    repeated: after a full flush a block refers to nothing before it (RFC 1951), so the same
    bytes stand for every MiB. Compressing all of it took 5.4 s of CPU per test process; this
    takes the CRC's 0.3 s."""
    zeros = bytes(1024 * 1024)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    blocks = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // len(zeros)):
        crc = zlib.crc32(zeros, crc)
    final_block = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
    header = b"\x1f\x8b\x08\x00" + bytes(4) + b"\x00\xff"
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return header + blocks * (size // len(zeros)) + final_block + trailer


def _gzip_bomb(_request: Request) -> Response:
    body = gzip.compress(b"\0" * BOMB_DECODED_BYTES)
    return Response(body, media_type=RSS, headers={"Content-Encoding": "gzip"})


def _layered_bomb(request: Request) -> Response:
    layers = request.path_params["layers"]
    headers = {"Content-Encoding": ", ".join(["gzip"] * layers)}
    return Response(gzip_layers(layers), media_type=RSS, headers=headers)


def _gzip_twice_in_two_header_lines(_request: Request) -> Response:
    response = Response(gzip_layers(2), media_type=RSS)
    response.raw_headers += [(b"content-encoding", b"gzip")] * 2
    return response


def _encoded(request: Request) -> Response:
    coding, encode = ENCODED_FORMS[request.path_params["form"]]
    headers = {"Content-Encoding": coding}
    return Response(encode(ENCODED_FEED), media_type=RSS, headers=headers)


def _unknown_encoding(_request: Request) -> Response:
    return Response(b"<rss/>", media_type=RSS, headers={"Content-Encoding": "xz"})


ENCODED_BODY_ROUTES = [
    Route("/gzip-bomb.xml", _gzip_bomb),
    Route("/gzip-{layers:int}-layers-bomb.xml", _layered_bomb),
    Route("/gzip-in-two-header-lines.xml", _gzip_twice_in_two_header_lines),
    Route("/encoded/{form}.xml", _encoded),
    Route("/unknown-encoding.xml", _unknown_encoding),
]
