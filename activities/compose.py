"""The compose step: the lead paragraph and the finished briefing."""

from openai import AsyncOpenAI
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.briefing_layout import group_into_sections
from activities.feeds.text import truncate_text
from activities.llm.client import Engine, complete
from activities.llm.output import LEAD_MAX_CHARS, LLMOutputError, clean_lead, plain_text
from activities.llm.prompts import lead_paragraph_messages
from activities.markdown import render_markdown
from activities.models import Briefing, ComposeInput, SummarizedStory, TokenUsage

OFFLINE_MODEL_PREFIX = "offline-extractive"


class ComposeActivities:
    def __init__(self, client: AsyncOpenAI, engine: Engine = Engine.DURABLE) -> None:
        self._client = client
        self._engine = engine

    @activity.defn
    async def compose_briefing(self, request: ComposeInput) -> Briefing:
        stories = [_with_plain_summary(item) for item in request.stories]
        lead = await complete(
            self._client,
            engine=self._engine,
            model=request.model,
            messages=lead_paragraph_messages(
                topic=request.topic,
                summaries=[(item.story.title, item.summary.summary) for item in stories],
                editor_note=request.editor_note,
            ),
        )
        lead_text = _usable_lead(lead.text, request.topic, stories)
        sections = group_into_sections(stories)
        models = sorted({item.summary.model for item in request.stories} | {lead.model})
        offline = any(model.startswith(OFFLINE_MODEL_PREFIX) for model in models)
        title = f"Briefing: {request.topic} — {request.generated_at:%d %B %Y, %H:%M} UTC"
        usage = sum((item.summary.usage for item in request.stories), TokenUsage()) + lead.usage
        return Briefing(
            topic=request.topic,
            title=title,
            lead=lead_text,
            sections=sections,
            markdown=render_markdown(
                title=title,
                lead=lead_text,
                sections=sections,
                models=models,
                offline_extractive=offline,
                failed_sources=request.failed_sources,
                editor_note=request.editor_note,
            ),
            models=models,
            offline_extractive=offline,
            generated_at=request.generated_at,
            usage=usage,
            compose_usage=lead.usage,
            attempt=activity.info().attempt,
            editor_note=request.editor_note,
        )


def _with_plain_summary(item: SummarizedStory) -> SummarizedStory:
    # Summaries are checked when written (summarize.py); again here for briefings that were
    # already running when that check came in: theirs wait in their histories as written.
    summary = item.summary.model_copy(update={"summary": plain_text(item.summary.summary)})
    return item.model_copy(update={"summary": summary})


def _usable_lead(answer: str, topic: str, stories: list[SummarizedStory]) -> str:
    """The LLM's lead, or, when nothing usable is left of it, one written from the titles:
    a briefing whose summaries are all good is not lost to its introduction."""
    try:
        return clean_lead(answer)
    except ApplicationError as error:
        if error.type != LLMOutputError.UNUSABLE:
            raise
        activity.logger.warning("lead paragraph replaced: %s", error.message)
    titles = "; ".join(item.story.title for item in stories)
    count = f"{len(stories)} {'story' if len(stories) == 1 else 'stories'}"
    lead = f"This briefing on {topic} brings together {count}: {titles}."
    return truncate_text(lead, LEAD_MAX_CHARS)
