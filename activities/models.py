"""Inputs and outputs of every activity: one model in, one model out.

Payload budget: every activity input and result stays under 128 KiB so a briefing's
history stays small (see docs/payloads.md). The caps below enforce it by construction.
"""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

PAYLOAD_BUDGET_BYTES = 128 * 1024
EXCERPT_MAX_CHARS = 3000
ENTRIES_PER_FEED_MAX = 30
# Non-Latin text takes up to 3 bytes a character, so the entry cap alone cannot keep a feed's
# result within budget: entries past this many bytes are dropped, oldest first.
FEED_RESULT_MAX_BYTES = 100 * 1024
SUMMARY_MAX_CHARS = 1200
# An article's text as the summary reads it: a long read is cut at a sentence, well within budget.
ARTICLE_TEXT_MAX_CHARS = 12_000


class FeedEntry(BaseModel):
    title: str
    link: str
    published: datetime | None = None
    source_name: str
    source_url: str
    excerpt: str = Field(max_length=EXCERPT_MAX_CHARS)
    categories: list[str] = Field(default_factory=list)


class FetchFeedInput(BaseModel):
    url: str


class FetchFeedResult(BaseModel):
    url: str
    source_name: str
    entries: list[FeedEntry] = Field(max_length=ENTRIES_PER_FEED_MAX)
    attempt: int = 1


class Story(BaseModel):
    """A selected story: one event, possibly reported by several sources."""

    id: str
    title: str
    excerpt: str = Field(max_length=EXCERPT_MAX_CHARS)
    links: list[str]
    source_names: list[str]
    published: datetime | None = None
    categories: list[str] = Field(default_factory=list)


class TextSource(StrEnum):
    """Which text a story's summary was written from."""

    ARTICLE = "article"  # the main text of the story's page
    FEED = "feed"  # the feed's own description (all there was before articles were read)

    @property
    def phrase(self) -> str:
        """As the briefing says it: "summarised from the article"."""
        return "from the article" if self is TextSource.ARTICLE else "from the feed's description"


class ReadArticleInput(BaseModel):
    url: str
    # How much text the feed already gave: an extraction with less than this is not used.
    feed_chars: int = 0


class ArticleRead(BaseModel):
    """What reading a story's page gave: its text, or why the feed's text is used instead."""

    url: str
    source: TextSource
    text: str = Field(default="", max_length=ARTICLE_TEXT_MAX_CHARS)  # empty for FEED
    reason: str | None = None  # for FEED: "the link is a PDF, not a web page", ...
    attempt: int = 1


class SummarizeInput(BaseModel):
    topic: str
    story: Story
    model: str
    # The article's text when it was read; otherwise the summary is written from the excerpt.
    article_text: str = Field(default="", max_length=ARTICLE_TEXT_MAX_CHARS)

    @property
    def text(self) -> str:
        """What the summary is written from."""
        return self.article_text or self.story.excerpt


class TokenUsage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: "TokenUsage") -> "TokenUsage":
        return TokenUsage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class StorySummary(BaseModel):
    story_id: str
    summary: str = Field(max_length=SUMMARY_MAX_CHARS)
    model: str
    usage: TokenUsage
    attempt: int = 1


class SummarizedStory(BaseModel):
    story: Story
    summary: StorySummary
    text_source: TextSource = TextSource.FEED


class ComposeInput(BaseModel):
    topic: str
    model: str
    stories: list[SummarizedStory]
    failed_sources: list[str] = Field(default_factory=list)
    generated_at: datetime
    editor_note: str | None = None


class BriefingStory(BaseModel):
    title: str
    summary: str
    links: list[str]
    source_names: list[str]
    model: str
    text_source: TextSource = TextSource.FEED


class BriefingSection(BaseModel):
    title: str
    stories: list[BriefingStory]


class Briefing(BaseModel):
    topic: str
    title: str
    lead: str
    sections: list[BriefingSection]
    markdown: str
    models: list[str]
    offline_extractive: bool
    generated_at: datetime
    usage: TokenUsage
    compose_usage: TokenUsage = Field(default_factory=TokenUsage)
    attempt: int = 1
    editor_note: str | None = None


# The signal carrying an AttemptReport: sent by the worker's interceptor, handled by the workflow.
ATTEMPT_REPORT_SIGNAL = "report_attempt"


class AttemptReport(BaseModel):
    """Sent to the workflow when an attempt fails and will be retried, or a retry starts."""

    activity_id: str
    attempt: int
    last_error: str | None = None
