"""Many SSE viewers in one process, on raw sockets.

Plain asyncio streams cost far less CPU per client than a full HTTP client, so a thousand of
them leave the shared cores to the web process being measured. Each frame is stamped with the
wall clock the moment its bytes arrive, and parsed only after the run.
"""

import asyncio
import time
from dataclasses import dataclass, field
from datetime import datetime

from workflows.models import ProgressEvent, StepState

READ_SIZE = 65536
ENDED_STEP = (StepState.DONE, StepState.FAILED, StepState.CANCELLED)


@dataclass
class Viewer:
    host: str
    port: int
    path: str
    frames: list[tuple[float, bytes]] = field(default_factory=list)  # (arrived at, data)
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
