"""The briefing's custom search attributes: an operator filters runs by topic and outcome in the
Temporal UI, or finds the most expensive (docs/operations.md has the saved queries).

The workflow keeps them current from its progress; the worker registers them on the namespace
at start (worker/search_attributes.py), as `briefing server` and the compose job do.
"""

from dataclasses import dataclass
from typing import Any, TypeVar

from temporalio.common import SearchAttributeKey, SearchAttributeUpdate

from workflows.models import BriefingProgress, BriefingStatus, StepKind, StepState

# Briefings started before this existed carry none: their histories replay without upserts.
SEARCH_ATTRIBUTES_PATCH = "search-attributes"

BRIEFING_TOPIC = SearchAttributeKey.for_keyword("BriefingTopic")
BRIEFING_STORIES = SearchAttributeKey.for_int("BriefingStories")
BRIEFING_OUTCOME = SearchAttributeKey.for_keyword("BriefingOutcome")
BRIEFING_TOKENS = SearchAttributeKey.for_int("BriefingTokens")

# What `briefing server`, the compose job and the worker register.
BRIEFING_SEARCH_ATTRIBUTES: list[SearchAttributeKey[Any]] = [
    BRIEFING_TOPIC,
    BRIEFING_STORIES,
    BRIEFING_OUTCOME,
    BRIEFING_TOKENS,
]

# The outcome while the run waits on a person; while it works, it has none.
AWAITING_REVIEW = "awaiting_review"

T = TypeVar("T", str, int)


@dataclass(frozen=True)
class Indexed:
    """What the run's search attributes say; None is unset."""

    topic: str | None = None
    stories: int | None = None
    outcome: str | None = None
    tokens: int | None = None

    @classmethod
    def of(cls, progress: BriefingProgress) -> "Indexed":
        return cls(
            topic=progress.topic,
            stories=sum(
                step.kind == StepKind.SUMMARIZE and step.state == StepState.DONE
                for step in progress.steps
            ),
            outcome=outcome(progress),
            tokens=sum(step.tokens for step in progress.steps),
        )

    def changes_to(self, now: "Indexed") -> list[SearchAttributeUpdate]:
        """The upserts that bring these to `now`: none when nothing changed, so the history
        gains an event only when an operator would see a difference."""
        updates: list[SearchAttributeUpdate] = []
        _change(updates, BRIEFING_TOPIC, self.topic, now.topic)
        _change(updates, BRIEFING_STORIES, self.stories, now.stories)
        _change(updates, BRIEFING_OUTCOME, self.outcome, now.outcome)
        _change(updates, BRIEFING_TOKENS, self.tokens, now.tokens)
        return updates


def outcome(progress: BriefingProgress) -> str | None:
    if progress.status != BriefingStatus.RUNNING:
        return progress.status.value
    waiting = any(
        step.kind == StepKind.REVIEW and step.state == StepState.RUNNING for step in progress.steps
    )
    return AWAITING_REVIEW if waiting else None


def _change(
    updates: list[SearchAttributeUpdate],
    key: SearchAttributeKey[T],
    before: T | None,
    now: T | None,
) -> None:
    if before == now:
        return
    updates.append(key.value_unset() if now is None else key.value_set(now))
