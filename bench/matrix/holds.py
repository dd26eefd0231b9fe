"""The faults that hold a cell's moment open long enough to see and kill.

A moment that would pass too fast to see (an activity started against a server that answers in
a millisecond) is held open from the outside, as the rest of the project injects faults: the
newsroom answers late (its `timeout` fault) or trickles a document out (its `slow` fault), the
LLM answers late (its `hang` fault) or writes slowly (its `slow` pace). All answer in full once
the time is up, so the content is the same.
"""

import httpx

from bench.matrix.cells import PLAIN, Boundary, Cell

# Long enough to see and kill, short against every heartbeat timeout (3 s).
HOLD_SECONDS = 1.5
# A summary of about 80 tokens then streams for 4 s: its live text, heartbeated at most once a
# second (worker/main.py), shows words well before the answer ends.
STREAM_TOKENS_PER_SECOND = 20
# A feed or page trickled out over this long: the download is seen begun, then killed mid-way.
# The activity heartbeats all the while (activities/heartbeats.py): no timeout meets it.
DOWNLOAD_SECONDS = 3.0


class Holds:
    """The faults that hold a cell's moment open, armed before its briefing starts."""

    def __init__(self, newsroom: httpx.AsyncClient, llm: httpx.AsyncClient) -> None:
        self._newsroom = newsroom
        self._llm = llm

    async def arm(self, cell: Cell) -> None:
        activity = cell.activity_id or ""
        if cell.part == PLAIN or cell.boundary == Boundary.SUMMARY_STREAM:
            # Paced, every call lasts seconds: a stream is seen mid-way, and a plain call is
            # seen in flight (a count of held calls cannot tell it from the durable side's).
            await self._pace_llm()
        elif cell.boundary == Boundary.SUMMARY_CALL:
            await self._hold_llm(count=1)  # one call in flight, the others answered at once
        elif cell.boundary == Boundary.LEAD_CALL:
            await self._hold_llm(count=None)
        elif cell.boundary == Boundary.STARTED:
            if activity.startswith(("summarize-", "compose")):
                await self._hold_llm(count=None)
            else:
                await self._hold_newsroom(activity, "timeout", HOLD_SECONDS)
        elif cell.boundary == Boundary.DOWNLOAD:
            await self._hold_newsroom(activity, "slow", DOWNLOAD_SECONDS)

    async def _hold_newsroom(self, activity_id: str, mode: str, seconds: float) -> None:
        """Every outlet's feeds (for a fetch) or pages and PDFs (for a read)."""
        target = "feed" if activity_id.startswith("fetch-") else "pages"
        fault = {"feed": "*", "mode": mode, "target": target, "seconds": seconds}
        (await self._newsroom.post("/_admin/faults", json=fault)).raise_for_status()

    async def _pace_llm(self) -> None:
        pace = {"mode": "slow", "tokens_per_second": STREAM_TOKENS_PER_SECOND}
        (await self._llm.post("/_admin/faults", json=pace)).raise_for_status()

    async def _hold_llm(self, *, count: int | None) -> None:
        fault = {"mode": "hang", "seconds": HOLD_SECONDS, "count": count}
        (await self._llm.post("/_admin/faults", json=fault)).raise_for_status()

    async def release(self) -> None:
        """Every hold off: the attempts after the kill run at full speed. The LLM may be the
        part just killed (a new one has no faults), so its answer is not required."""
        (await self._newsroom.delete("/_admin/faults")).raise_for_status()
        try:
            await self._llm.delete("/_admin/faults")
        except httpx.TransportError:
            pass
