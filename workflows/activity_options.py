"""Timeouts and retry policies of every activity call, named once."""

from collections.abc import Iterable
from datetime import timedelta
from enum import StrEnum

from temporalio.common import RetryPolicy
from temporalio.workflow import ActivityCancellationType

from activities.errors import FEED_NON_RETRYABLE, LLM_NON_RETRYABLE, PLAIN_NON_RETRYABLE


def _doubling_retry(
    *, maximum_interval: timedelta, maximum_attempts: int, non_retryable: Iterable[StrEnum]
) -> RetryPolicy:
    """A first retry after one second, each wait twice the last up to a cap."""
    return RetryPolicy(
        initial_interval=timedelta(seconds=1),
        backoff_coefficient=2.0,
        maximum_interval=maximum_interval,
        maximum_attempts=maximum_attempts,
        non_retryable_error_types=[str(kind) for kind in non_retryable],
    )


# Every activity heartbeats each second (activities/heartbeats.py) and the worker sends each beat
# at once, so a killed worker's activities are retried this long after the kill. Measured under
# load, no kills (bench/heartbeat_false_alarms.py, docs/benchmarks.md): 3 s lost no attempt in
# 320 activities with 4 and 8 CPU hogs; 2 s lost none with 4 hogs but 12.5 % with 8.
HEARTBEAT = timedelta(seconds=3)

# A feed is small and capped; three tries over ~15 s, then the source is marked failed.
FETCH_START_TO_CLOSE = timedelta(seconds=45)
FETCH_HEARTBEAT = HEARTBEAT
FETCH_RETRY = _doubling_retry(
    maximum_interval=timedelta(seconds=10), maximum_attempts=3, non_retryable=FEED_NON_RETRYABLE
)

# A story's page: its download (the same deadline as a feed's) and its extraction in a child;
# retried by the feeds' rules. A read that keeps failing leaves the story its feed text.
READ_START_TO_CLOSE = timedelta(seconds=60)
READ_HEARTBEAT = HEARTBEAT
READ_RETRY = FETCH_RETRY
READ_CONCURRENCY = 6

# A killed worker's LLM call is retried on another (or the restarted) worker after LLM_HEARTBEAT.
# Crashes and 429s share one attempt count: 12 rides out a dense chaos soak (8 once dropped a
# story there), and a dead endpoint is given up on (or the fallback model tried) after about
# 3.5 minutes of backoff.
LLM_START_TO_CLOSE = timedelta(seconds=150)
LLM_HEARTBEAT = HEARTBEAT
LLM_RETRY = _doubling_retry(
    maximum_interval=timedelta(seconds=30), maximum_attempts=12, non_retryable=LLM_NON_RETRYABLE
)

SUMMARY_CONCURRENCY = 4
# Feeds a briefing downloads at once: its six default sources together, as before, but a
# briefing of 20 slow sources holds no more than six of the worker's feed fetch slots.
FETCH_CONCURRENCY = 6

# On cancel, wait for activities to acknowledge (through their heartbeats) before the run ends,
# so "cancelled" on the page means the LLM calls really stopped.
CANCELLATION = ActivityCancellationType.WAIT_CANCELLATION_COMPLETED

# The comparison's plain side. Starting a run is retried until the plain process answers (it
# may be coming back from the very kill being shown); watching lasts as long as the run, and its
# heartbeat lets a watcher killed with the worker be replaced within seconds.
PLAIN_START_TO_CLOSE = timedelta(seconds=10)
PLAIN_START_SCHEDULE_TO_CLOSE = timedelta(minutes=3)
PLAIN_START_RETRY = _doubling_retry(
    maximum_interval=timedelta(seconds=2), maximum_attempts=0, non_retryable=PLAIN_NON_RETRYABLE
)
PLAIN_WATCH_START_TO_CLOSE = timedelta(hours=1)
PLAIN_WATCH_HEARTBEAT = timedelta(seconds=3)
PLAIN_WATCH_RETRY = _doubling_retry(
    maximum_interval=timedelta(seconds=2), maximum_attempts=20, non_retryable=()
)
LLM_LOG_START_TO_CLOSE = timedelta(seconds=15)
LLM_LOG_RETRY = _doubling_retry(
    maximum_interval=timedelta(seconds=5), maximum_attempts=3, non_retryable=()
)
