"""Starting briefings through the JSON API as a careful client does while the web keeps dying.

Every try of one briefing sends the same Idempotency-Key. A try that fails after the request
went out (the web died mid-answer, or the client gave up waiting) may or may not have started
the workflow: it is counted as ambiguous and retried with the same key, which must not start a
second workflow. Impatient starters give up on their first try at once, so every soak has
such starts and not only those that happen to meet a kill.
"""

import asyncio
import time
from dataclasses import dataclass, field

import httpx

RETRY_SECONDS = 0.5
# Long enough to send the request, far too short for the answer.
IMPATIENT_TIMEOUT = httpx.Timeout(5.0, read=0.001)


class StartRefused(RuntimeError):
    """The API refused a start for a reason retrying cannot fix (4xx)."""


@dataclass
class StartRecord:
    index: int
    key: str
    topic: str
    impatient: bool = False
    briefing_id: str | None = None
    tries: int = 0
    created_answers: int = 0  # 202: must be at most one per key
    ambiguous_tries: int = 0
    # 5xx answers: 503 while Temporal is down is expected, anything else is reported.
    unavailable_answers: int = 0
    other_server_errors: int = 0
    # Ids answered by the extra POST sent after success; each must equal briefing_id.
    replayed_ids: list[str] = field(default_factory=list)


async def start_briefing(
    api: httpx.AsyncClient,
    record: StartRecord,
    *,
    max_stories: int,
    deadline: float,
    sources: list[str] | None = None,
    review: bool = False,
) -> StartRecord:
    """Started with this key, retried until answered; `sources` None: the web's own feeds."""
    body: dict[str, object] = {"topic": record.topic, "max_stories": max_stories}
    if sources is not None:
        body["sources"] = sources
    if review:
        body["review"] = True
    while time.monotonic() < deadline:
        briefing_id = await _try_start(api, record, body)
        if briefing_id is not None:
            record.briefing_id = briefing_id
            break
        await asyncio.sleep(RETRY_SECONDS)
    if record.briefing_id is not None:
        # The key used once more on purpose: it must name the same briefing, not a new one.
        replay = None
        while replay is None and time.monotonic() < deadline:
            replay = await _try_start(api, record, body)
            if replay is None:
                await asyncio.sleep(RETRY_SECONDS)
        if replay is not None:
            record.replayed_ids.append(replay)
    return record


async def _try_start(api: httpx.AsyncClient, record: StartRecord, body: dict) -> str | None:
    impatient = record.impatient and record.tries == 0
    record.tries += 1
    try:
        response = await api.post(
            "/api/briefings",
            json=body,
            headers={"Idempotency-Key": record.key},
            timeout=IMPATIENT_TIMEOUT if impatient else httpx.USE_CLIENT_DEFAULT,
        )
    except httpx.ConnectError:
        return None  # nothing was sent: the web is down
    except httpx.TransportError:
        record.ambiguous_tries += 1
        return None
    if response.status_code >= 500:
        if response.status_code == 503:
            record.unavailable_answers += 1
        else:
            record.other_server_errors += 1
        return None
    if response.status_code not in (200, 202):
        raise StartRefused(f"{record.key}: HTTP {response.status_code} {response.text}")
    record.created_answers += response.status_code == 202
    return response.json()["id"]
