import httpx
import openai
import pytest
from openai import AsyncOpenAI

from demo.offline_llm.sentences import normalise_whitespace, split_sentences
from tests.demo.offline_llm.stories import BUDGET_STORY, BUDGET_TITLE, chat_messages, story_prompt

MODEL = "offline-extractive"


async def _summarise(llm: AsyncOpenAI, *, topic: str, sentences: int = 3) -> str:
    prompt = story_prompt(BUDGET_STORY, title=BUDGET_TITLE, topic=topic, sentences=sentences)
    completion = await llm.chat.completions.create(model=MODEL, messages=chat_messages(prompt))
    content = completion.choices[0].message.content
    assert content is not None
    return content


@pytest.mark.parametrize("limit", [1, 2, 3, 5])
async def test_the_summary_is_at_most_n_verbatim_story_sentences_in_source_order(
    llm: AsyncOpenAI, limit: int
) -> None:
    summary = await _summarise(llm, topic="local politics", sentences=limit)

    story_sentences = split_sentences(BUDGET_STORY)
    chosen = split_sentences(summary)
    assert 1 <= len(chosen) <= limit
    assert all(sentence in normalise_whitespace(BUDGET_STORY) for sentence in chosen)
    positions = [story_sentences.index(sentence) for sentence in chosen]
    assert positions == sorted(positions)


async def test_the_summary_prefers_sentences_that_mention_the_topic(llm: AsyncOpenAI) -> None:
    summary = await _summarise(llm, topic="renewable energy", sentences=1)

    assert "renewable energy" in summary


async def test_a_different_topic_selects_different_sentences(llm: AsyncOpenAI) -> None:
    energy = await _summarise(llm, topic="renewable energy", sentences=1)
    transport = await _summarise(llm, topic="public transport", sentences=1)

    assert energy != transport
    assert "public transport" in transport


async def test_a_message_without_an_article_is_summarised_whole(llm: AsyncOpenAI) -> None:
    text = "Wind farms produced a record share of power. Prices fell. Grid operators were relieved."
    completion = await llm.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": text}]
    )

    content = completion.choices[0].message.content
    assert content and set(split_sentences(content)) <= set(split_sentences(text))


async def test_the_reply_has_the_openai_completion_shape(llm: AsyncOpenAI) -> None:
    prompt = story_prompt(BUDGET_STORY, title=BUDGET_TITLE, topic="energy")
    completion = await llm.chat.completions.create(
        model="any-model-name", messages=chat_messages(prompt)
    )

    assert completion.id.startswith("chatcmpl-")
    assert completion.object == "chat.completion"
    assert completion.model == "any-model-name"
    assert completion.system_fingerprint == MODEL
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].finish_reason == "stop"


async def test_usage_is_reported_and_adds_up(llm: AsyncOpenAI) -> None:
    prompt = story_prompt(BUDGET_STORY, title=BUDGET_TITLE, topic="energy")
    completion = await llm.chat.completions.create(model=MODEL, messages=chat_messages(prompt))

    usage = completion.usage
    assert usage is not None
    assert usage.completion_tokens > 0
    assert usage.prompt_tokens > usage.completion_tokens
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


async def test_an_invalid_request_is_a_bad_request(llm: AsyncOpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        await llm.chat.completions.create(model=MODEL, messages=[])

    assert raised.value.param == "messages"


async def test_a_request_without_a_user_message_is_a_bad_request(llm: AsyncOpenAI) -> None:
    with pytest.raises(openai.BadRequestError):
        await llm.chat.completions.create(
            model=MODEL, messages=[{"role": "system", "content": "Be brief."}]
        )


async def test_the_model_list_names_the_offline_model(llm: AsyncOpenAI) -> None:
    models = await llm.models.list()

    assert [model.id async for model in models] == [MODEL]


async def test_the_health_check_names_the_model(base_url: str) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{base_url}/healthz")

    assert response.json() == {"status": "ok", "model": MODEL}
