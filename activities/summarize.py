"""The summarize step: one story summarised by the LLM."""

from openai import AsyncOpenAI
from temporalio import activity

from activities.llm.client import Engine, complete
from activities.llm.output import clean_summary
from activities.llm.prompts import story_summary_messages
from activities.models import StorySummary, SummarizeInput


class SummarizeActivities:
    """Holds the shared LLM client, built once per worker (or per plain agent)."""

    def __init__(self, client: AsyncOpenAI, engine: Engine = Engine.DURABLE) -> None:
        self._client = client
        self._engine = engine

    @activity.defn
    async def summarize_story(self, request: SummarizeInput) -> StorySummary:
        story = request.story
        completion = await complete(
            self._client,
            engine=self._engine,
            model=request.model,
            messages=story_summary_messages(
                topic=request.topic, title=story.title, text=request.text
            ),
        )
        return StorySummary(
            story_id=story.id,
            summary=clean_summary(completion.text),
            model=completion.model,
            usage=completion.usage,
            attempt=activity.info().attempt,
        )
