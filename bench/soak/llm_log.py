"""The offline LLM's request log, read every few seconds so nothing is lost to its capacity."""

import asyncio
from dataclasses import dataclass
from datetime import datetime

import httpx

POLL_SECONDS = 2.0


@dataclass(frozen=True)
class LlmRequest:
    seq: int
    received_at: datetime
    fingerprint: str | None
    status: int | None


class RequestLogReader:
    def __init__(self, llm: httpx.AsyncClient) -> None:
        self._llm = llm
        self.requests: dict[int, LlmRequest] = {}

    async def follow(self) -> None:
        while True:
            await self.read()
            await asyncio.sleep(POLL_SECONDS)

    async def read(self) -> None:
        response = await self._llm.get("/_admin/requests")
        response.raise_for_status()
        for entry in response.json():
            # A later read may complete a record that was in flight: keep the newest.
            self.requests[entry["seq"]] = LlmRequest(
                seq=entry["seq"],
                received_at=datetime.fromisoformat(entry["received_at"]),
                fingerprint=entry["fingerprint"],
                status=entry["status"],
            )
