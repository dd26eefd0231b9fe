"""Undoing a response's Content-Encoding ourselves, one step at a time, never past a byte budget.

httpx decodes each network chunk whole, and every stacked coding in turn (`gzip, gzip`), before
the caller can count a byte: 2 KB on the wire became 1 GiB in one call. Here each step is told
how many decoded bytes it may produce, and a body may carry one coding only. Brotli and zstd are
not offered: neither package is a dependency, so `br` and `zstd` are refused like any unknown.
"""

import zlib
from collections.abc import Callable
from typing import Protocol

# Only what we decode: a server honouring it never sends anything we would refuse.
ACCEPT_ENCODING = "gzip, deflate"
_SHOWN_CODINGS_CHARS = 60


class EncodingRefused(Exception):
    """A Content-Encoding we will not decode: stacked codings, or one we do not know."""


class MalformedEncoding(Exception):
    """A body that is not valid data of its declared coding, or ends inside it."""


class BodyDecoder(Protocol):
    @property
    def finished(self) -> bool:
        """The coded stream has ended: whatever follows it is not part of the body."""

    def decode(self, data: bytes, max_length: int) -> bytes:
        """The next decoded bytes, at most max_length of them; input left over is kept."""

    def check_complete(self) -> None:
        """Raise MalformedEncoding if the body ended before its coded stream did."""


class IdentityDecoder:
    finished = False

    def decode(self, data: bytes, max_length: int) -> bytes:
        return data[:max_length]

    def check_complete(self) -> None:
        pass


class ZlibDecoder:
    """gzip (wbits 16 + 15), zlib-wrapped deflate (15) or raw deflate (-15)."""

    def __init__(self, wbits: int) -> None:
        self._inflater = zlib.decompressobj(wbits)

    @property
    def finished(self) -> bool:
        return self._inflater.eof

    def decode(self, data: bytes, max_length: int) -> bytes:
        # What max_length held back last step comes first: nothing is lost, nothing expands
        # beyond the budget.
        pending = self._inflater.unconsumed_tail + data
        try:
            return self._inflater.decompress(pending, max_length)
        except zlib.error as error:
            raise MalformedEncoding(str(error)) from error

    def check_complete(self) -> None:
        if not self._inflater.eof:
            raise MalformedEncoding("the body ends inside its compressed stream")


class DeflateDecoder:
    """`deflate` means zlib-wrapped, but some servers send raw deflate; browsers read both,
    telling them apart by the two-byte zlib header."""

    def __init__(self) -> None:
        self._head = b""
        self._decoder: ZlibDecoder | None = None

    @property
    def finished(self) -> bool:
        return self._decoder is not None and self._decoder.finished

    def decode(self, data: bytes, max_length: int) -> bytes:
        if self._decoder is None:
            self._head += data
            if len(self._head) < 2:
                return b""
            data, self._head = self._head, b""
            wrapped = _is_zlib_header(data[0], data[1])
            self._decoder = ZlibDecoder(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        return self._decoder.decode(data, max_length)

    def check_complete(self) -> None:
        if self._decoder is None:
            raise MalformedEncoding("the body ends before its deflate stream begins")
        self._decoder.check_complete()


def _is_zlib_header(method_byte: int, flags_byte: int) -> bool:
    # RFC 1950: method 8 (deflate), a window of at most 32 KiB, and a header check multiple of 31.
    return (
        method_byte & 0x0F == 8
        and method_byte >> 4 <= 7
        and (method_byte << 8 | flags_byte) % 31 == 0
    )


_DECODERS: dict[str, Callable[[], BodyDecoder]] = {
    "gzip": lambda: ZlibDecoder(16 + zlib.MAX_WBITS),
    "x-gzip": lambda: ZlibDecoder(16 + zlib.MAX_WBITS),  # RFC 9110 8.4.1.3: same as gzip
    "deflate": DeflateDecoder,
}


def decoder_for(content_encoding: str) -> BodyDecoder:
    """The decoder of a Content-Encoding header value (several header lines arrive joined)."""
    codings = [part.strip().lower() for part in content_encoding.split(",")]
    # identity is no coding at all: "gzip, identity" is one layer.
    codings = [coding for coding in codings if coding and coding != "identity"]
    if len(codings) > 1:
        raise EncodingRefused(f"uses stacked Content-Encoding {_shown(codings)}")
    if not codings:
        return IdentityDecoder()
    factory = _DECODERS.get(codings[0])
    if factory is None:
        raise EncodingRefused(f"uses an unsupported Content-Encoding: {_shown(codings)}")
    return factory()


def _shown(codings: list[str]) -> str:
    # A header may hold thousands of codings: the reason names the first few.
    text = ", ".join(codings)
    return text if len(text) <= _SHOWN_CODINGS_CHARS else text[:_SHOWN_CODINGS_CHARS] + "…"
