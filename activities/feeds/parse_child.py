"""A parsing child (`python -m activities.feeds.parse_child`), and the worker's handle on one.
It parses feeds and extracts pages' text (child_jobs.py), whichever its request asks for.

feedparser's author e-mail regex backtracks quadratically on crafted input (16 KB: 1 s; 2 MiB:
hours) and a thread cannot be stopped, so feeds are parsed in a child process under kernel limits
set once its imports are done: address space, and CPU seconds (SIGXCPU), so a busy machine slows
a parse down without failing it. A child serves many parses, sparing its 0.3 s of start-up CPU,
so before each one it moves its soft CPU limit to "used so far plus one parse's allowance".

Protocol, in length-prefixed frames: the worker sends a JSON header (the job and the URL) and the
bytes; the child answers STARTED once the job's CPU limit is set, then one JSON outcome. It exits
at EOF.
"""

import asyncio
import json
import math
import os
import resource
import struct
import sys
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

from activities.feeds.child_jobs import ChildJob, job_outcome
from activities.feeds.limits import ParserChildLimits

FRAME_LENGTH = struct.Struct(">I")
# Told apart from any JSON outcome: a death before it cannot be the new parse's doing.
STARTED = b"started"
CRASH_DETAIL_CHARS = 300
# The folder that holds this package: run from there, `-m` imports the worker's own copy of it
# with no PYTHONPATH, so the child needs no environment at all.
PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def frame(payload: bytes) -> bytes:
    return FRAME_LENGTH.pack(len(payload)) + payload


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
                *(sys.executable, "-m", __name__),
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


def _read_frame(stream: BinaryIO) -> bytes | None:
    """The next frame's payload, or None once the worker has closed our stdin."""
    prefix = stream.read(FRAME_LENGTH.size)
    if len(prefix) < FRAME_LENGTH.size:
        return None
    (length,) = FRAME_LENGTH.unpack(prefix)
    payload = stream.read(length)
    return payload if len(payload) == length else None


def _cpu_seconds_used() -> int:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return math.ceil(usage.ru_utime + usage.ru_stime)


def _limit_lifetime(cpu_seconds: int, memory_bytes: int, parses_max: int) -> None:
    # Every soft limit set later stays below this hard one (which would mean SIGKILL, not
    # SIGXCPU): two allowances a parse, for the parse and for its answer, each rounded up.
    lifetime_cpu = _cpu_seconds_used() + (2 * parses_max + 1) * (cpu_seconds + 1) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (lifetime_cpu, lifetime_cpu))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU would dump a core otherwise


def _allow_cpu_from_now(cpu_seconds: int) -> None:
    """Counted from now: earlier parses must not eat into this one's allowance."""
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(
        resource.RLIMIT_CPU, (min(_cpu_seconds_used() + cpu_seconds, hard - 1), hard)
    )


def _serve_one(requests: BinaryIO, answers: BinaryIO, cpu_seconds: int, memory_bytes: int) -> bool:
    """One job; False once the worker has closed our stdin."""
    header, body = _read_frame(requests), _read_frame(requests)
    if header is None or body is None:
        return False
    _allow_cpu_from_now(cpu_seconds)
    answers.write(frame(STARTED))
    answers.flush()
    request = json.loads(header)
    outcome = job_outcome(ChildJob(request["job"]), request["url"], body, memory_bytes)
    _allow_cpu_from_now(cpu_seconds)  # so sending this answer is never charged to the next parse
    answers.write(frame(json.dumps(outcome).encode()))
    answers.flush()
    return True


def _main() -> None:
    cpu_seconds, memory_bytes, parses_max = (int(argument) for argument in sys.argv[1:4])
    # Frames get their own copy of stdout; a stray print() goes to stderr, not into a frame.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    _limit_lifetime(cpu_seconds, memory_bytes, parses_max)
    for _ in range(parses_max):
        if not _serve_one(sys.stdin.buffer, answers, cpu_seconds, memory_bytes):
            break


if __name__ == "__main__":
    _main()
