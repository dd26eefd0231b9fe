"""The prompts we send to the LLM. The offline extractive model reads the same format."""

from html import escape

EDITOR_SYSTEM_PROMPT = (
    "You are a careful news editor writing a briefing. Summarise faithfully and plainly, "
    "in your own words, using only facts from the text you are given. Never invent facts."
)
SUMMARY_SENTENCES = 3
LEAD_SENTENCES = 3


def story_summary_messages(*, topic: str, title: str, text: str) -> list[dict]:
    return _messages(
        topic=topic,
        instruction=f"Write a summary of the story below in at most {SUMMARY_SENTENCES} sentences.",
        articles=[(title, text)],
    )


def lead_paragraph_messages(
    *, topic: str, summaries: list[tuple[str, str]], editor_note: str | None = None
) -> list[dict]:
    instruction = (
        f"Write a lead paragraph of at most {LEAD_SENTENCES} sentences that introduces "
        "the briefing made of the stories below."
    )
    if editor_note:
        instruction += f"\nEditor's note, to follow: {editor_note}"
    return _messages(topic=topic, instruction=instruction, articles=summaries)


def _messages(*, topic: str, instruction: str, articles: list[tuple[str, str]]) -> list[dict]:
    blocks = "\n\n".join(
        f'<article title="{escape(title, quote=True)}">\n{text}\n</article>'
        for title, text in articles
    )
    user = f"Topic of the briefing: {topic}\n{instruction}\n\n{blocks}"
    return [
        {"role": "system", "content": EDITOR_SYSTEM_PROMPT},
        {"role": "user", "content": user},
    ]
