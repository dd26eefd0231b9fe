"""Read a chat request as a summarisation task: what to summarise, how briefly, about what.

The contract with our activities (activities/llm/prompts.py): the last user message may carry a line
"Topic of the briefing: X", the phrase "at most N sentences", and one or more
`<article title="...">text</article>` elements whose text is HTML-escaped, so a story cannot close
its article early. The articles' texts are unescaped and summarised together; without any
article the whole message is. Instructions are read outside the articles only, so a story that
itself says "at most 5 sentences" does not change the summary's length.
"""

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from demo.offline_llm.schemas import ChatMessage

DEFAULT_SENTENCES = 3
MIN_SENTENCES = 1
MAX_SENTENCES = 10

_ARTICLE = re.compile(r"<article\b([^>]*)>(.*?)</article\s*>", re.DOTALL | re.IGNORECASE)
_TITLE_ATTRIBUTE = re.compile(r"""\btitle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_NUMBER_WORDS = "one two three four five six seven eight nine ten".split()
_SENTENCE_LIMIT = re.compile(
    r"\bat most (\d+|" + "|".join(_NUMBER_WORDS) + r") sentences?\b", re.IGNORECASE
)
_TOPIC_LINE = re.compile(r"^\s*Topic of the briefing:\s*(.*?)\s*$", re.IGNORECASE | re.MULTILINE)


class PromptError(ValueError):
    """The request holds nothing this model can summarise."""


@dataclass(frozen=True)
class SummaryTask:
    source_text: str
    sentence_count: int
    topic_words: tuple[str, ...]


def read_task(messages: Sequence[ChatMessage]) -> SummaryTask:
    """Turn the request's messages into the text to summarise and its instructions."""
    prompt = last_user_text(messages)
    articles = [html.unescape(match.group(2)).strip() for match in _ARTICLE.finditer(prompt)]
    instructions = html.unescape(_ARTICLE.sub(" ", prompt))
    # A blank line between articles keeps one story's last sentence apart from the next's first.
    source = "\n\n".join(articles) if articles else prompt
    return SummaryTask(
        source_text=source,
        sentence_count=_sentence_count(instructions),
        topic_words=_topic_words(instructions),
    )


def last_user_text(messages: Sequence[ChatMessage]) -> str:
    for message in reversed(messages):
        if message.role == "user":
            return message.text()
    raise PromptError("The request has no user message to summarise.")


def first_article_title(text: str) -> str | None:
    """The title attribute of the first <article> element in `text`, if there is one."""
    for match in _ARTICLE.finditer(text):
        title = _TITLE_ATTRIBUTE.search(match.group(1))
        if title:
            return html.unescape(title.group(1) if title.group(1) is not None else title.group(2))
    return None


def article_count(text: str) -> int:
    return sum(1 for _ in _ARTICLE.finditer(text))


def _sentence_count(instructions: str) -> int:
    match = _SENTENCE_LIMIT.search(instructions)
    if match is None:
        return DEFAULT_SENTENCES
    number = match.group(1).lower()
    count = int(number) if number.isdigit() else _NUMBER_WORDS.index(number) + 1
    return max(MIN_SENTENCES, min(MAX_SENTENCES, count))


def _topic_words(instructions: str) -> tuple[str, ...]:
    match = _TOPIC_LINE.search(instructions)
    return tuple(match.group(1).split()) if match else ()
