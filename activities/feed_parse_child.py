"""Parsing a feed in a child process that the kernel stops when it uses too much CPU or memory.

feedparser's author e-mail regex backtracks quadratically on crafted input (16 KB: 1 s; 2 MiB:
hours), and a thread cannot be stopped, so every parse runs in a fresh interpreter
(`python -m activities.feed_parse_child`) that shares nothing with the worker. Its limits are
kernel resource limits, set once its imports are done: CPU seconds (SIGXCPU), so a busy machine
slows a parse down without failing it, and address space. A wall-clock limit is the backstop.
The price is the child's start-up: about 0.3 s of CPU a feed.

Protocol: a JSON header line and the feed bytes on stdin; one JSON outcome on stdout.
"""

import asyncio
import json
import math
import resource
import signal
import sys

from temporalio.exceptions import ApplicationError

from activities.errors import FeedError
from activities.feed_limits import FeedLimits, size_text
from activities.feed_parsing import parse_feed
from activities.models import FetchFeedResult

CRASH_DETAIL_CHARS = 300


async def parse_feed_in_child(url: str, body: bytes, limits: FeedLimits) -> FetchFeedResult:
    header = {
        "url": url,
        "cpu_seconds": limits.parse_cpu_seconds,
        "memory_bytes": limits.parse_memory_bytes,
    }
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        __name__,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(limits.parse_wall_seconds):
            stdout, stderr = await child.communicate(json.dumps(header).encode() + b"\n" + body)
    except TimeoutError as error:
        # Not the feed's fault: the CPU limit did not trip, the machine is too busy. Retry.
        raise ApplicationError(
            f"parsing {url} did not finish within {limits.parse_wall_seconds:g} s",
            type=FeedError.TIMEOUT,
        ) from error
    finally:
        # Timed out, or cancelled with the activity: a parser must not outlive its attempt.
        if child.returncode is None:
            child.kill()
            await child.wait()
    if child.returncode == -signal.SIGXCPU:
        raise ApplicationError(
            f"feed refused: parsing {url} took longer than {limits.parse_cpu_seconds} s",
            type=FeedError.PARSING_TOO_SLOW,
            non_retryable=True,
        )
    return _result_or_raise(url, stdout, stderr)


def _result_or_raise(url: str, stdout: bytes, stderr: bytes) -> FetchFeedResult:
    try:
        outcome = json.loads(stdout)
    except ValueError as error:
        # Killed from outside (the OOM killer, a signal): another attempt may well succeed.
        detail = stderr.decode(errors="replace").strip()[-CRASH_DETAIL_CHARS:]
        raise ApplicationError(
            f"parsing {url} stopped without an answer: {detail or 'no output'}",
            type=FeedError.PARSER_CRASHED,
        ) from error
    if "result" in outcome:
        return FetchFeedResult.model_validate(outcome["result"])
    failure = outcome["failure"]
    raise ApplicationError(
        failure["message"], type=failure["type"], non_retryable=failure["non_retryable"]
    )


def _parse_outcome(url: str, body: bytes, memory_bytes: int) -> dict:
    try:
        return {"result": parse_feed(url, body).model_dump(mode="json")}
    except ApplicationError as error:
        kind = error.type or FeedError.MALFORMED
        return _failure(error.message, kind, non_retryable=error.non_retryable)
    except MemoryError:
        message = f"feed refused: parsing {url} needed more than {size_text(memory_bytes)}"
        return _failure(message, FeedError.TOO_LARGE, non_retryable=True)
    except Exception as error:  # whatever the parser trips over, this feed's bytes caused it
        message = f"{url} could not be parsed: {type(error).__name__}: {error}"
        return _failure(message, FeedError.MALFORMED, non_retryable=True)


def _failure(message: str, kind: str, *, non_retryable: bool) -> dict:
    return {"failure": {"message": message, "type": str(kind), "non_retryable": non_retryable}}


def _limit_resources(cpu_seconds: int, memory_bytes: int) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # Counted from now, not from start-up; the limit also ends a child orphaned by a dead worker.
    cpu_limit = math.ceil(usage.ru_utime + usage.ru_stime) + cpu_seconds
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_limit, cpu_limit + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU would dump a core otherwise


def _main() -> None:
    header = json.loads(sys.stdin.buffer.readline())
    _limit_resources(header["cpu_seconds"], header["memory_bytes"])
    outcome = _parse_outcome(header["url"], sys.stdin.buffer.read(), header["memory_bytes"])
    sys.stdout.write(json.dumps(outcome))


if __name__ == "__main__":
    _main()
