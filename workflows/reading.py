"""Which text each story is summarised from: its article when the page gave one, else the feed's.

Pure and deterministic, shared by the workflow and the plain agent. Selection picks a few spare
stories beyond those wanted; a story whose page gave no article is replaced by a spare whose page
did, so reading costs the stories wanted plus at most this small margin.
"""

import math
from dataclasses import dataclass

from activities.models import (
    ArticleRead,
    ReadArticleInput,
    Story,
    StorySummary,
    SummarizedStory,
    SummarizeInput,
    TextSource,
)

# One spare story for every four wanted: 2 for a briefing of 8, 7 for one of 25.
STORIES_PER_SPARE = 4


def spares_for(max_stories: int) -> int:
    return math.ceil(max_stories / STORIES_PER_SPARE)


@dataclass(frozen=True)
class StoryText:
    story: Story
    source: TextSource
    article_text: str = ""
    reason: str | None = None

    @property
    def has_text(self) -> bool:
        return self.source == TextSource.ARTICLE or bool(self.story.excerpt.strip())

    def summarize_input(self, topic: str, model: str) -> SummarizeInput:
        return SummarizeInput(
            topic=topic, story=self.story, model=model, article_text=self.article_text
        )

    def summarized(self, summary: StorySummary) -> SummarizedStory:
        """For compose: the summary, not the excerpt nor the article, so its input stays small."""
        return SummarizedStory(
            story=self.story.model_copy(update={"excerpt": ""}),
            summary=summary,
            text_source=self.source,
        )


def feed_text(story: Story, reason: str | None = None) -> StoryText:
    return StoryText(story, TextSource.FEED, reason=reason)


def read_input(story: Story) -> ReadArticleInput | None:
    """None when there is no page to read."""
    link = next((link for link in story.links if link), None)
    if link is None:
        return None
    return ReadArticleInput(url=link, feed_chars=len(story.excerpt))


def story_text(story: Story, read: ArticleRead) -> StoryText:
    if read.source == TextSource.ARTICLE:
        return StoryText(story, TextSource.ARTICLE, article_text=read.text)
    return feed_text(story, read.reason)


def read_detail(text: StoryText) -> str:
    if text.source == TextSource.ARTICLE:
        return f"read {len(text.article_text.split()):,} words from the article"
    kept = "the feed's description" if text.story.excerpt.strip() else "only the headline"
    return f"{kept} is used: {text.reason}" if text.reason else f"{kept} is used"


def spare_label(spare: Story, text: StoryText) -> str:
    return f"{spare.title} (a spare for “{text.story.title}”)"


def needs_a_spare(text: StoryText) -> bool:
    return text.source != TextSource.ARTICLE


def choose(wanted: list[StoryText], spares: list[StoryText]) -> list[StoryText]:
    """The stories to summarise, in rank order.

    `spares[i]` was read for the i-th story of `wanted` that needed one. It takes that story's
    place if its page gave an article, or if it has any text and that story has none. A story
    left with no text at all (a headline-only feed, an unreadable page) is dropped rather than
    summarised from its title.
    """
    replacements = iter(spares)
    chosen = []
    for text in wanted:
        if needs_a_spare(text):
            spare = next(replacements, None)
            if spare is not None and _better(spare, text):
                text = spare
        if text.has_text:
            chosen.append(text)
    return chosen


def _better(spare: StoryText, text: StoryText) -> bool:
    return spare.source == TextSource.ARTICLE or (spare.has_text and not text.has_text)
