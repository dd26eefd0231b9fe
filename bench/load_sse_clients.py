"""Many SSE viewers in one process, on raw sockets.

Plain asyncio streams cost far less CPU per client than a full HTTP client, so a thousand of
them leave the shared cores to the web process being measured. Each frame is stamped with the
wall clock the moment its bytes arrive, and parsed only after the run.
"""

import asyncio
import time
from dataclasses import dataclass, field
from datetime import datetime

from bench.word_lags import Delivery, WordLags
from workflows.models import ProgressEvent, StepState

READ_SIZE = 65536
ENDED_STEP = (StepState.DONE, StepState.FAILED, StepState.CANCELLED)


@dataclass
class Viewer:
    host: str
    port: int
    path: str
    frames: list[tuple[float, bytes]] = field(default_factory=list)  # (arrived at, data)
    # The deltas of each (step, attempt): only their stamps and word counts are kept.
    deltas: dict[tuple[bytes, int], list[Delivery]] = field(default_factory=dict)
    closed: bool = False  # the stream ended with its `close` event
    _reader: asyncio.StreamReader | None = None
    _writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        """Until the response headers: from then on the viewer is subscribed."""
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        # HTTP/1.0: the body runs until the connection closes, no chunked framing to undo.
        request = f"GET {self.path} HTTP/1.0\r\nHost: {self.host}\r\nAccept: text/event-stream\r\n"
        self._writer.write(request.encode() + b"\r\n")
        head = await self._reader.readuntil(b"\r\n\r\n")
        status = head.split(b" ", 2)[1]
        if status != b"200":
            raise ConnectionError(f"{self.path}: HTTP {status.decode()}")

    async def follow(self) -> None:
        """Read frames until `close` (or the server hangs up); keep the progress ones."""
        reader, writer = self._reader, self._writer
        if reader is None or writer is None:
            raise RuntimeError("follow() before connect()")
        buffer = b""
        try:
            while not self.closed:
                chunk = await reader.read(READ_SIZE)
                if not chunk:
                    return
                arrived_at = time.time()
                buffer = (buffer + chunk).replace(b"\r\n", b"\n")
                *complete, buffer = buffer.split(b"\n\n")
                for frame in complete:
                    self._keep(arrived_at, frame)
        finally:
            writer.close()

    def _keep(self, arrived_at: float, frame: bytes) -> None:
        lines = frame.split(b"\n")
        name = next((line[7:] for line in lines if line.startswith(b"event: ")), b"")
        if name == b"close":
            self.closed = True
        elif name == b"progress":
            data = b"\n".join(line[6:] for line in lines if line.startswith(b"data: "))
            self.frames.append((arrived_at, data))
        elif name == b"delta":
            data = b"\n".join(line[6:] for line in lines if line.startswith(b"data: "))
            if (delta := _delta_stamps(arrived_at, data)) is not None:
                key, delivery = delta
                self.deltas.setdefault(key, []).append(delivery)


def _delta_stamps(arrived_at: float, data: bytes) -> tuple[tuple[bytes, int], Delivery] | None:
    """A delta's step, attempt, words and written_at (web/live/events.py `Delta.json`), read
    by position rather than parsed, so a thousand viewers leave the CPU to the web. A key is
    found as `"key": `, which no JSON string can hold: its quotes are escaped."""
    step = data[10 : data.index(b'"', 10)]  # after '{"step": "'
    attempt_at = data.index(b'"attempt": ') + 11
    attempt = int(data[attempt_at : data.index(b",", attempt_at)])
    written_key = data.rindex(b'"written_at": ')  # `lost`, after it, has none
    words_at = data.rindex(b'"words": ', 0, written_key) + 9  # the key just before it
    words = int(data[words_at : data.index(b",", words_at)])
    written_at = written_key + 14
    if data[written_at : written_at + 4] == b"null":
        return None
    stamp = data[written_at + 1 : data.index(b'"', written_at + 1)].decode()
    return (step, attempt), (arrived_at, datetime.fromisoformat(stamp).timestamp(), words)


def word_lags(viewers: list[Viewer]) -> WordLags:
    """Token-to-screen lags (bench/word_lags.py) at every viewer."""
    return WordLags.of(deliveries for viewer in viewers for deliveries in viewer.deltas.values())


def published_at(event: ProgressEvent) -> datetime | None:
    """The workflow's clock at the change; events that only add a step carry none."""
    if event.step is None:
        return event.finished_at
    if event.step.state in ENDED_STEP:
        return event.step.finished_at
    if event.step.state == StepState.RUNNING:
        return event.step.started_at
    return None


def delivery_lags(viewers: list[Viewer]) -> tuple[list[float], list[float]]:
    """Seconds from the workflow's change to its arrival: at every viewer, and at the first
    viewer of its briefing (what Temporal and the web's one subscription take, before fan-out).
    """
    every: list[float] = []
    first: dict[tuple[str, int], float] = {}  # (stream path, event version): the earliest lag
    for viewer in viewers:
        for arrived_at, data in viewer.frames:
            event = ProgressEvent.model_validate_json(data)
            moment = published_at(event)
            if moment is not None:
                lag = arrived_at - moment.timestamp()
                every.append(lag)
                key = (viewer.path, event.version)
                first[key] = min(lag, first.get(key, lag))
    return every, list(first.values())


async def connect_all(viewers: list[Viewer], *, at_once: int) -> list[asyncio.Task]:
    """Connect every viewer, `at_once` at a time; each follows its stream as soon as it is in."""
    bound = asyncio.Semaphore(at_once)
    followers: list[asyncio.Task] = []

    async def connect(viewer: Viewer) -> None:
        async with bound:
            await viewer.connect()
        followers.append(asyncio.create_task(viewer.follow()))

    await asyncio.gather(*(connect(viewer) for viewer in viewers))
    return followers
