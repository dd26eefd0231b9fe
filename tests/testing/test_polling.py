"""The one polling helper: returns the first good value, or names what never happened."""

import asyncio
import itertools
from collections.abc import Callable

import pytest

from testing.polling import WaitTimedOut, wait_for, wait_for_async


def counter() -> Callable[[], int]:
    return itertools.count(1).__next__


def test_the_first_value_that_satisfies_the_condition_is_returned() -> None:
    assert wait_for(counter(), 5, "three", until=lambda n: n >= 3, interval=0) == 3


def test_a_time_out_names_what_was_awaited_and_the_last_value_seen() -> None:
    with pytest.raises(WaitTimedOut, match=r"the briefing finished: not within 0\.2s") as timed:
        wait_for(
            lambda: {"status": "running"},
            0.2,
            "the briefing finished",
            until=lambda body: body["status"] != "running",
            interval=0.05,
        )
    assert "{'status': 'running'}" in str(timed.value)
    assert timed.value.last == {"status": "running"}
    assert isinstance(timed.value, TimeoutError)


def test_ignored_errors_count_as_not_yet_and_others_propagate() -> None:
    answers: list[str | Exception] = [ConnectionError("starting"), ConnectionError("down"), "up"]
    remaining = iter(answers)

    def probe() -> str:
        answer = next(remaining)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert wait_for(probe, 5, "up", interval=0, ignoring=(ConnectionError,)) == "up"
    with pytest.raises(KeyError):
        wait_for(lambda: {"present": 1}["missing"], 5, "a key", ignoring=(ConnectionError,))


async def test_the_async_wait_takes_coroutine_and_plain_probes() -> None:
    count = counter()

    async def read() -> int:
        return count()

    assert await wait_for_async(read, 5, "two", until=lambda n: n >= 2, interval=0) == 2
    assert await wait_for_async(count, 5, "five", until=lambda n: n >= 5, interval=0) == 5


async def test_the_async_time_out_cuts_off_a_probe_that_hangs() -> None:
    async def hang() -> None:
        await asyncio.sleep(60)

    with pytest.raises(WaitTimedOut, match="an answer: not within 0.1s; last seen: None"):
        await wait_for_async(hang, 0.1, "an answer")


async def test_a_probes_own_time_out_is_not_taken_for_the_waits() -> None:
    async def impatient() -> None:
        async with asyncio.timeout(0):
            await asyncio.sleep(1)

    with pytest.raises(TimeoutError) as timed:
        await wait_for_async(impatient, 5, "never")
    assert not isinstance(timed.value, WaitTimedOut)
