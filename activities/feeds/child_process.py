"""The worker's handle on one parsing child process (parse_child.py): start it with its
limits, send it a job, read its answer or learn how it died, retire or kill it."""

import asyncio
import json
import sys
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

from activities.feeds import parse_child
from activities.feeds.child_frames import FRAME_LENGTH, STARTED, frame
from activities.feeds.child_jobs import ChildJob
from activities.feeds.child_limits import ParserChildLimits

CRASH_DETAIL_CHARS = 300
# The folder that holds this package: run from there, `-m` imports the worker's own copy of it
# with no PYTHONPATH, so the child needs no environment at all.
PACKAGE_ROOT = Path(__file__).resolve().parents[2]


class ChildDied(Exception):
    def __init__(self, returncode: int, detail: str) -> None:
        super().__init__(detail)
        self.returncode, self.detail = returncode, detail


class DiedBeforeStarting(ChildDied):
    """Gone before it took the request: whatever killed the child, it was not this feed."""


class ParserChild:
    """The worker's end of one child's pipes."""

    def __init__(
        self, process: asyncio.subprocess.Process, limits: ParserChildLimits, stderr: BinaryIO
    ) -> None:
        self.process, self.limits, self.parses = process, limits, 0
        # Started with both as pipes (see start), so neither is None.
        assert process.stdin is not None and process.stdout is not None
        self._requests, self._answers = process.stdin, process.stdout
        self._stderr = stderr  # a file, not a pipe: nobody need read it for the child to go on

    @classmethod
    async def start(cls, limits: ParserChildLimits, parses_max: int) -> "ParserChild":
        stderr = tempfile.TemporaryFile()
        try:
            process = await asyncio.create_subprocess_exec(
                *(sys.executable, "-m", parse_child.__name__),
                *(str(limits.cpu_seconds), str(limits.memory_bytes), str(parses_max)),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=stderr,
                # It parses hostile bytes: none of the worker's keys or tokens may be there to read.
                env={},
                cwd=PACKAGE_ROOT,
            )
        except BaseException:  # cancelled, or no process to be had: the file has no owner
            stderr.close()
            raise
        return cls(process, limits, stderr)

    async def run(self, job: ChildJob, url: str, body: bytes) -> dict:
        """The child's JSON outcome, or ChildDied."""
        header = json.dumps({"job": job, "url": url}).encode()
        try:
            self._requests.writelines([frame(header), frame(body)])
            await self._requests.drain()
            started = await self._read_frame()
        except (ConnectionError, asyncio.IncompleteReadError) as error:
            raise DiedBeforeStarting(await self.process.wait(), self._stderr_tail()) from error
        self.parses += 1  # jobs of either kind
        try:
            if started != STARTED:
                raise ValueError("the child's answers are garbled")
            return json.loads(await self._read_frame())
        except (asyncio.IncompleteReadError, ValueError) as error:
            # Killed only if it still runs: a kill can race the reaping of its exit status.
            if not self._answers.at_eof():
                self._kill_now()
            raise ChildDied(await self.process.wait(), self._stderr_tail()) from error

    async def kill(self) -> None:
        """For a child busy with a parse that is over: timed out, cancelled or garbled."""
        self._kill_now()
        await self._reap()

    async def retire(self) -> None:
        """For a child between parses: EOF, not a kill, which could race the reaping of one that
        exited by itself after its last parse."""
        self._requests.close()
        await self._reap()

    async def _reap(self) -> None:
        try:
            await self.process.wait()
        finally:
            self._stderr.close()

    async def _read_frame(self) -> bytes:
        # A garbled length that promises more than comes is cut off by the wall-clock limit.
        (length,) = FRAME_LENGTH.unpack(await self._answers.readexactly(FRAME_LENGTH.size))
        return await self._answers.readexactly(length)

    def _stderr_tail(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace").strip()[-CRASH_DETAIL_CHARS:]

    def _kill_now(self) -> None:
        with suppress(ProcessLookupError):
            self.process.kill()
