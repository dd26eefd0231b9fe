"""What the activities count, on `activity.metric_meter()`: the worker's Runtime meter, which adds
namespace, task_queue and activity_type to every point (a no-op meter outside a worker, as in the
plain agent's ActivityEnvironment). Every attempt counts: a retried call is two calls.

Label values are bounded: models come from settings, reasons and outcomes from our error types.
"""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.models import TokenUsage

LLM_CALLS = "briefing_llm_calls_total"
LLM_TOKENS = "briefing_llm_tokens_total"
LLM_RETRIES = "briefing_llm_retries_total"
FEED_FAILURES = "briefing_feed_failures_total"
ARTICLE_READS = "briefing_article_reads_total"

OK = "ok"
CANCELLED = "cancelled"
# An exception that is none of our typed ApplicationErrors: a bug, not a kind of failure.
UNEXPECTED = "unexpected"
ARTICLE_READ_FAILED = "failed"


@dataclass
class LlmCall:
    """Filled in by the caller once the answer is in: the tokens it was billed."""

    usage: TokenUsage = field(default_factory=TokenUsage)


@contextmanager
def counted_llm_call(model: str) -> Iterator[LlmCall]:
    """One call to `model`: counted with its outcome (ok or the LLMError), its tokens, and as a
    retry when the activity's attempt is past the first."""
    meter = activity.metric_meter().with_additional_attributes({"model": model})
    if activity.info().attempt > 1:
        meter.create_counter(LLM_RETRIES, "LLM calls that are an activity's retry").add(1)
    call = LlmCall()
    outcome = UNEXPECTED
    try:
        yield call
        outcome = OK
    except ApplicationError as error:
        outcome = error.type or UNEXPECTED
        raise
    except asyncio.CancelledError:
        outcome = CANCELLED
        raise
    finally:
        meter.create_counter(LLM_CALLS, "LLM calls, by outcome").add(1, {"outcome": outcome})
        tokens = meter.create_counter(LLM_TOKENS, "LLM tokens billed, by kind", "tokens")
        tokens.add(call.usage.prompt_tokens, {"kind": "prompt"})
        tokens.add(call.usage.completion_tokens, {"kind": "completion"})


@contextmanager
def counted_feed_failures() -> Iterator[None]:
    """A feed download or parse that fails is counted by its reason (the FeedError)."""
    try:
        yield
    except ApplicationError as error:
        _count_feed_failure(error.type or UNEXPECTED)
        raise
    except Exception:
        _count_feed_failure(UNEXPECTED)
        raise


def _count_feed_failure(reason: str) -> None:
    failures = activity.metric_meter().create_counter(FEED_FAILURES, "feed fetches that failed")
    failures.add(1, {"reason": reason})


def count_article_read(outcome: str) -> None:
    """A story page read: its text taken (`article`), the feed's kept (`feed`), or `failed`."""
    reads = activity.metric_meter().create_counter(ARTICLE_READS, "story pages read, by outcome")
    reads.add(1, {"outcome": outcome})
