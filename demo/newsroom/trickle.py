"""A body that arrives slowly, as over a poor mobile connection: the same bytes, spread in time."""

import asyncio
from collections.abc import AsyncIterator

# The first piece goes out at once; each later one after an equal share of the time.
PIECES = 10


def pieces_of(document: bytes, count: int = PIECES) -> list[bytes]:
    """`document` cut into `count` pieces of nearly equal size (fewer if it is tinier)."""
    count = max(1, min(count, len(document)))
    size, longer = divmod(len(document), count)
    pieces, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < longer else 0)
        pieces.append(document[start:end])
        start = end
    return pieces


async def trickled(document: bytes, seconds: float) -> AsyncIterator[bytes]:
    """`document` byte for byte: a first piece at once, the rest spread evenly over `seconds`."""
    first, *later = pieces_of(document)
    yield first
    for piece in later:
        await asyncio.sleep(seconds / len(later))
        yield piece
