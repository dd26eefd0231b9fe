"""The pool of parsing children: reused across parses, never reused after a bad one."""

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError

from activities.errors import FeedError
from activities.feeds.child_process import ParserChild
from activities.feeds.limits import FeedLimits
from activities.feeds.parser_pool import FeedParserPool
from testing.polling import wait_for_async
from tests.activities.feeds.hostile_servers import BACKTRACKING_AUTHOR, item, rss

FEED_URL = "http://pool.test/feed.xml"
ORDINARY_FEED = rss(item("A plain story")).encode()
BACKTRACKING_FEED = rss(item("Slow", extra=f"<author>{BACKTRACKING_AUTHOR}</author>")).encode()
# Enough to parse many ordinary feeds in one child, far too little for the backtracking one.
ONE_CPU_SECOND = FeedLimits(parse_cpu_seconds=1)
# The backtracking feed runs on until the test stops it.
UNHURRIED = FeedLimits(parse_cpu_seconds=120, parse_wall_seconds=240)
STARTED_WITHIN_SECONDS = 30
# Many stories, few of them kept: the child does most of the work, not the test.
LONG_FEED = rss("".join(item(f"Story {number}") for number in range(2000))).encode()
# Past ONE_CPU_SECOND counted once from start-up (rounded up, plus the start-up itself).
CPU_SECONDS_PAST_A_LIMIT_NEVER_MOVED = 3


@pytest.fixture
async def pool() -> AsyncIterator[FeedParserPool]:
    pool = FeedParserPool()
    yield pool
    await pool.close()


async def titles(pool: FeedParserPool, feed: bytes = ORDINARY_FEED) -> list[str]:
    result = await pool.parse(FEED_URL, feed, ONE_CPU_SECOND)
    return [entry.title for entry in result.entries]


def cpu_seconds_used_by(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    user_ticks, system_ticks = int(fields[11]), int(fields[12])
    return (user_ticks + system_ticks) / os.sysconf("SC_CLK_TCK")


async def test_one_child_parses_feed_after_feed(pool: FeedParserPool) -> None:
    for _ in range(3):
        assert await titles(pool) == ["A plain story"]

    assert pool.children_started == 1
    assert len(pool.idle_children) == 1


async def test_parses_in_one_child_add_up_past_the_cpu_limit_without_tripping_it(
    pool: FeedParserPool,
) -> None:
    child_cpu_seconds = 0.0
    while child_cpu_seconds <= CPU_SECONDS_PAST_A_LIMIT_NEVER_MOVED:
        await titles(pool, LONG_FEED)
        [child] = pool.idle_children
        child_cpu_seconds = cpu_seconds_used_by(child.process.pid)

    assert pool.children_started == 1


async def test_a_reused_child_still_refuses_the_backtracking_feed_at_its_own_cpu_limit(
    pool: FeedParserPool,
) -> None:
    await titles(pool)

    with pytest.raises(ApplicationError) as raised:
        await titles(pool, BACKTRACKING_FEED)

    assert raised.value.type == FeedError.PARSING_TOO_SLOW
    assert raised.value.non_retryable
    assert pool.children_started == 1


async def test_after_a_refusal_for_slowness_the_next_feed_parses_in_a_fresh_child(
    pool: FeedParserPool,
) -> None:
    with pytest.raises(ApplicationError):
        await titles(pool, BACKTRACKING_FEED)

    assert await titles(pool) == ["A plain story"]
    assert pool.children_started == 2


async def test_a_child_is_replaced_after_its_share_of_parses() -> None:
    pool = FeedParserPool(parses_per_child=2)
    try:
        for _ in range(3):
            await titles(pool)
    finally:
        await pool.close()

    assert pool.children_started == 2


async def test_concurrent_parses_each_get_a_child_and_only_a_few_wait_idle() -> None:
    pool = FeedParserPool(idle_children_max=1)
    try:
        feeds = [rss(item(f"Story {number}")).encode() for number in range(3)]
        results = await asyncio.gather(*(titles(pool, feed) for feed in feeds))
        idle = len(pool.idle_children)
    finally:
        await pool.close()

    assert results == [["Story 0"], ["Story 1"], ["Story 2"]]
    assert pool.children_started == 3
    assert idle == 1


async def test_a_child_that_died_while_idle_costs_the_next_feed_nothing(
    pool: FeedParserPool,
) -> None:
    await titles(pool)
    [child] = pool.idle_children
    os.kill(child.process.pid, signal.SIGKILL)
    await child.process.wait()

    assert await titles(pool) == ["A plain story"]
    assert pool.children_started == 2


async def backtracking_parse_in_a_used_child(
    pool: FeedParserPool,
) -> tuple[ParserChild, asyncio.Task]:
    """A parse of the backtracking feed, under way in a child that has parsed a feed before."""
    await pool.parse(FEED_URL, ORDINARY_FEED, UNHURRIED)
    [child] = pool.idle_children
    parsing = asyncio.create_task(pool.parse(FEED_URL, BACKTRACKING_FEED, UNHURRIED))
    # The child says when it starts on a feed: its second parse is the backtracking one.
    await wait_for_async(
        lambda: child.parses,
        STARTED_WITHIN_SECONDS,
        "the child started on the backtracking feed",
        until=lambda parses: parses >= 2,
        interval=0.01,
    )
    return child, parsing


async def test_a_parse_past_the_wall_clock_limit_is_a_retryable_timeout_and_its_child_killed(
    pool: FeedParserPool,
) -> None:
    await pool.parse(FEED_URL, ORDINARY_FEED, UNHURRIED)
    [child] = pool.idle_children
    impatient = replace(UNHURRIED, parse_wall_seconds=1)

    with pytest.raises(ApplicationError) as raised:
        await pool.parse(FEED_URL, BACKTRACKING_FEED, impatient)

    assert raised.value.type == FeedError.TIMEOUT
    assert not raised.value.non_retryable
    assert child.process.returncode == -signal.SIGKILL
    assert pool.idle_children == ()


async def test_a_child_killed_mid_parse_is_a_retryable_crash_of_that_parse_only(
    pool: FeedParserPool,
) -> None:
    child, parsing = await backtracking_parse_in_a_used_child(pool)
    os.kill(child.process.pid, signal.SIGKILL)

    with pytest.raises(ApplicationError) as raised:
        await parsing

    assert raised.value.type == FeedError.PARSER_CRASHED
    assert not raised.value.non_retryable
    assert pool.idle_children == ()
    assert await titles(pool) == ["A plain story"]


async def test_a_cancelled_parse_kills_its_child_and_the_child_is_never_reused(
    pool: FeedParserPool,
) -> None:
    child, parsing = await backtracking_parse_in_a_used_child(pool)

    parsing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await parsing

    assert child.process.returncode == -signal.SIGKILL
    assert pool.idle_children == ()


async def test_a_child_gets_none_of_the_workers_environment_and_still_parses(
    pool: FeedParserPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-worker-secret")
    monkeypatch.setenv("BRIEFING_CONTROL_TOKEN", "control-secret")
    assert await titles(pool) == ["A plain story"]
    (child,) = pool.idle_children
    assert Path(f"/proc/{child.process.pid}/environ").read_bytes() == b""
    # It runs this checkout's code: the same parser as the worker's, not another install's.
    assert Path(f"/proc/{child.process.pid}/cwd").resolve() == Path(__file__).parents[3]
