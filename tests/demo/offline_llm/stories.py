"""Sample stories and prompts in the shape our summarise activities send."""

from openai.types.chat import ChatCompletionMessageParam

BUDGET_STORY = """The city council approved its annual budget on Tuesday after a long debate.
The budget sets aside 40 million pounds for a tidal barrier on the river estuary.
Engineers say the tidal barrier will generate renewable energy and protect 12,000 homes from
flooding.
Council members also agreed to expand public transport with new bus routes to three suburbs.
The new bus routes will run every ten minutes and cut commuting times for thousands of residents.
Mr. Patel, the council leader, said the budget was "the most ambitious in a decade."
Critics warned that council tax will rise by 4.5 percent to pay for the plans.
The first construction contracts are expected to be signed in the spring."""

BUDGET_TITLE = "Council backs tidal barrier & new buses"

EDITOR_INSTRUCTIONS = "You are a careful news editor. Never invent facts."


def story_prompt(text: str, *, title: str, topic: str, sentences: int = 3) -> str:
    return (
        f"Topic of the briefing: {topic}\n"
        f"Write a summary of the story below in at most {sentences} sentences.\n\n"
        f'<article title="{title.replace("&", "&amp;")}">\n{text}\n</article>'
    )


def chat_messages(user_prompt: str) -> list[ChatCompletionMessageParam]:
    return [
        {"role": "system", "content": EDITOR_INSTRUCTIONS},
        {"role": "user", "content": user_prompt},
    ]
