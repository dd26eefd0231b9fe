"""Faults injected in the outside world: our offline LLM and demo newsroom misbehave on request.

Nothing here touches activity code; the activities meet these faults exactly as they would meet
a rate-limited API or a broken feed in production.
"""

from typing import Literal

import httpx
from pydantic import BaseModel, Field

from core.settings import Settings
from demo.offline_llm.faults import FAULT_SECONDS_MAX

LlmFaultMode = Literal["rate_limit", "error", "hang", "slow", "cut"]
FeedFaultMode = Literal["error", "timeout", "malformed", "empty", "oversize", "slow"]


class LlmFault(BaseModel):
    mode: LlmFaultMode
    count: int | None = Field(None, ge=1, le=100)
    seconds: float | None = Field(None, gt=0, le=FAULT_SECONDS_MAX)
    tokens_per_second: float | None = Field(None, gt=0, le=10_000)
    # For cut: the words of an answer sent before its connection is closed.
    words: int | None = Field(None, ge=0, le=1000)


class FeedFault(BaseModel):
    feed: str = Field(min_length=1, max_length=100)
    mode: FeedFaultMode
    count: int | None = Field(None, ge=1, le=100)
    seconds: float | None = Field(None, gt=0, le=600)


class FaultTargetMissing(LookupError):
    """The endpoint to misbehave is not ours (e.g. a real OpenAI key is set)."""


class FaultControls:
    def __init__(self, http: httpx.AsyncClient, settings: Settings) -> None:
        self._http = http
        self.llm_admin = f"{settings.offline_llm_url}/_admin" if settings.offline_llm_url else None
        self.newsroom_admin = f"{settings.default_newsroom_url}/_admin"

    async def break_llm(self, fault: LlmFault) -> dict:
        return await self._post(self._llm(), fault.model_dump(exclude_none=True))

    async def reset_llm(self) -> None:
        (await self._http.delete(f"{self._llm()}/faults")).raise_for_status()

    async def break_feed(self, fault: FeedFault) -> dict:
        return await self._post(self.newsroom_admin, fault.model_dump(exclude_none=True))

    async def reset_feeds(self) -> None:
        (await self._http.delete(f"{self.newsroom_admin}/faults")).raise_for_status()

    async def llm_requests(self) -> list[dict]:
        response = await self._http.get(f"{self._llm()}/requests")
        response.raise_for_status()
        return response.json()

    def _llm(self) -> str:
        if self.llm_admin is None:
            raise FaultTargetMissing("the LLM is an external API: only our offline LLM breaks")
        return self.llm_admin

    async def _post(self, admin: str, body: dict) -> dict:
        response = await self._http.post(f"{admin}/faults", json=body)
        response.raise_for_status()
        return response.json()
