"""The log of chat completions received, so tests and presenters can count and inspect calls.

A record is written when a request arrives and completed when it is answered, so a request that
hangs or is being paced (or is still streaming) shows with status None. Status 499 means the
client went away before the answer was ready or, streamed, before its end. `completed` says
whether the whole answer reached the client: a stream cut mid-answer keeps the 200 it was sent
with, `completed: false`, and the tokens of the words that went out (as a provider bills them).
The fingerprint is the SHA-256 of the request's `messages` as canonical JSON (sorted keys, no
spaces, UTF-8), so a retried call shows the same fingerprint as the first try.
`run` is the caller's X-Briefing-Run header (`durable:<briefing id>`, `plain:<run id>`): whose
bill a call is on, so a comparison's two ledgers come from what was actually received.
"""

import hashlib
import json
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

# Old records are dropped past this, so a long demo cannot grow memory without bound.
DEFAULT_CAPACITY = 1000
RUN_HEADER = "X-Briefing-Run"
RUN_MAX_CHARS = 200


@dataclass
class RequestRecord:
    seq: int
    received_at: str
    fingerprint: str | None
    title: str | None
    # How many <article> elements: 1 for a story summary, several for a lead paragraph.
    articles: int = 0
    run: str | None = None
    streamed: bool = False
    status: int | None = None
    # None while in flight; then True only when the whole answer reached the client.
    completed: bool | None = None
    duration_ms: float | None = None
    # Tokens of the answer, as its `usage` block bills them; None when nothing was generated.
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    started: float = field(default_factory=time.monotonic, repr=False)

    def as_dict(self) -> dict[str, object]:
        record = asdict(self)
        del record["started"]
        return record


class RequestLog:
    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._records: deque[RequestRecord] = deque(maxlen=capacity)
        # Sequence numbers keep counting across clears, so each names one request for good.
        self._last_seq = 0

    def open(
        self,
        *,
        fingerprint: str | None,
        title: str | None,
        articles: int = 0,
        run: str | None = None,
        streamed: bool = False,
    ) -> RequestRecord:
        self._last_seq += 1
        record = RequestRecord(
            seq=self._last_seq,
            received_at=datetime.now(UTC).isoformat(timespec="milliseconds"),
            fingerprint=fingerprint,
            title=title,
            articles=articles,
            run=run[:RUN_MAX_CHARS] if run else None,
            streamed=streamed,
        )
        self._records.append(record)
        return record

    def close(
        self,
        record: RequestRecord,
        status: int,
        *,
        prompt_tokens: int | None = None,
        completion_tokens: int | None = None,
        completed: bool = False,
    ) -> None:
        record.status = status
        record.completed = completed
        record.prompt_tokens = prompt_tokens
        record.completion_tokens = completion_tokens
        record.duration_ms = round((time.monotonic() - record.started) * 1000, 1)

    def entries(self, run: str | None = None) -> list[dict[str, object]]:
        """Every record, or only those on `run`'s bill."""
        return [record.as_dict() for record in self._records if run is None or record.run == run]

    def clear(self) -> None:
        self._records.clear()


def fingerprint_messages(messages: object) -> str:
    """SHA-256 hex digest of `messages` as canonical JSON."""
    canonical = json.dumps(messages, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
