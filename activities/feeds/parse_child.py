"""A parsing child's program (`python -m activities.feeds.parse_child`); the worker's handle on
one is child_process.py. It parses feeds and extracts pages' text (child_jobs.py), whichever its
request asks for.

feedparser's author e-mail regex backtracks quadratically on crafted input (16 KB: 1 s; 2 MiB:
hours) and a thread cannot be stopped, so feeds are parsed in a child process under kernel limits
set once its imports are done: address space, and CPU seconds (SIGXCPU), so a busy machine slows
a parse down without failing it. A child serves many parses, sparing its 0.3 s of start-up CPU,
so before each one it moves its soft CPU limit to "used so far plus one parse's allowance".

It imports only what its jobs need (no asyncio, httpx or temporalio): it starts in 0.3 s of CPU
rather than 0.5. The frames it reads and writes are in child_frames.py.
"""

import json
import math
import os
import resource
import sys
from typing import BinaryIO

from activities.feeds.child_frames import FRAME_LENGTH, STARTED, frame
from activities.feeds.child_jobs import ChildJob, job_outcome


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
