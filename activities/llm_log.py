"""What the LLM itself received, per run: the truth of what was billed, for a comparison's ledger.

Our offline LLM logs every request with its X-Briefing-Run header (GET /_admin/requests?run=).
A comparison reads it for its runs when they end and keeps it, since that log lives in the LLM's
memory; another endpoint has no such log, and each engine's own count stands in.
"""

import httpx
from pydantic import BaseModel, Field
from temporalio import activity

REQUEST_TIMEOUT = httpx.Timeout(5.0)


class LlmCall(BaseModel):
    seq: int
    run: str
    fingerprint: str | None = None
    # <article> elements in the prompt: 1 for a story's summary, several for the lead.
    articles: int = 0
    # None while in flight; 499: the caller went away before the answer (billed all the same).
    status: int | None = None
    # False when the answer broke off (a stream cut mid-way) or its caller left: billed, not had.
    completed: bool | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None

    @property
    def tokens(self) -> int:
        return (self.prompt_tokens or 0) + (self.completion_tokens or 0)

    @property
    def answered(self) -> bool:
        return self.status in (200, 499)

    @property
    def delivered(self) -> bool:
        """The whole answer reached its caller (a record kept before `completed` was: if 200)."""
        return self.status == 200 and self.completed is not False


class LlmCallsInput(BaseModel):
    # X-Briefing-Run labels, `durable:<briefing id>` or `plain:<run id>`.
    runs: list[str] = Field(max_length=20)


class LlmCalls(BaseModel):
    # False when the LLM in use keeps no log we can read (any endpoint but our offline one).
    available: bool
    calls: list[LlmCall] = Field(default_factory=list)


async def read_llm_calls(
    http: httpx.AsyncClient, offline_llm_url: str | None, runs: list[str]
) -> LlmCalls:
    """On the caller's client: the web reads this twice a second for every open comparison."""
    if offline_llm_url is None:
        return LlmCalls(available=False)
    calls: list[LlmCall] = []
    for run in runs:
        response = await http.get(f"{offline_llm_url}/_admin/requests", params={"run": run})
        response.raise_for_status()
        calls += [LlmCall.model_validate(record) for record in response.json()]
    return LlmCalls(available=True, calls=sorted(calls, key=lambda call: call.seq))


class LlmLogActivities:
    def __init__(self, offline_llm_url: str | None) -> None:
        self._url = offline_llm_url

    @activity.defn
    async def read_llm_log(self, request: LlmCallsInput) -> LlmCalls:
        async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as http:
            return await read_llm_calls(http, self._url, request.runs)
