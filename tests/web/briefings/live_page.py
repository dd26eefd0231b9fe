"""A live page as htmx's SSE extension leaves it: each event's HTML replaces the content of the
element whose `sse-swap` lists the event's name. Lets HTTP tests check what a viewer ends up
seeing without a browser."""

import re
from html.parser import HTMLParser

from testing.sse_client import Frame

# Elements without an end tag: they never open a level.
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _SwapTarget(HTMLParser):
    """Finds where the content of the first element swapped by `event` starts and ends."""

    def __init__(self, page: str, event: str) -> None:
        super().__init__(convert_charrefs=False)
        self.event = event
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", page)]
        self.depth = 0
        self.content: tuple[int, int] | None = None
        self._start: int | None = None
        self.feed(page)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID or self.content is not None:
            return
        if self._start is not None:
            self.depth += 1
            return
        swaps = (dict(attrs).get("sse-swap") or "").split(",")
        if self.event in swaps:
            self._start = self._offset() + len(self.get_starttag_text() or "")
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or self._start is None or self.content is not None:
            return
        self.depth -= 1
        if self.depth == 0:
            self.content = (self._start, self._offset())


def swapped(page: str, frames: list[Frame]) -> str:
    """The page after every frame was swapped in, in order; frames nobody swaps are skipped."""
    for frame in frames:
        content = _SwapTarget(page, frame.event).content
        if content is not None:
            page = page[: content[0]] + frame.data + page[content[1] :]
    return page
