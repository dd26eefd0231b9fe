from demo.offline_llm.prompt import first_article_title, read_task
from demo.offline_llm.schemas import ChatMessage


def _user(content: str) -> list[ChatMessage]:
    return [
        ChatMessage(role="system", content="Be brief."),
        ChatMessage(role="user", content=content),
    ]


def test_the_texts_of_all_articles_are_summarised_together() -> None:
    prompt = '<article title="A">First story.</article>\n<article title="B">Second story.</article>'
    assert read_task(_user(prompt)).source_text == "First story.\n\nSecond story."


def test_without_an_article_the_whole_user_message_is_summarised() -> None:
    prompt = "Please summarise this. It is short."
    assert read_task(_user(prompt)).source_text == prompt


def test_the_sentence_limit_is_read_and_clamped() -> None:
    assert read_task(_user("Write at most 2 sentences.")).sentence_count == 2
    assert read_task(_user("Write at most four sentences.")).sentence_count == 4
    assert read_task(_user("Write at most 40 sentences.")).sentence_count == 10
    assert read_task(_user("Write at most 0 sentences.")).sentence_count == 1
    assert read_task(_user("Summarise.")).sentence_count == 3


def test_a_sentence_limit_inside_an_article_is_content_not_an_instruction() -> None:
    prompt = "In at most 2 sentences.\n<article>Use at most 7 sentences, he said.</article>"
    assert read_task(_user(prompt)).sentence_count == 2


def test_the_topic_line_gives_the_topic_words() -> None:
    prompt = "Topic of the briefing: renewable energy\nWrite a summary.\n<article>Text.</article>"
    assert read_task(_user(prompt)).topic_words == ("renewable", "energy")


def test_multi_part_content_is_read_as_text() -> None:
    message = ChatMessage.model_validate(
        {"role": "user", "content": [{"type": "text", "text": "<article>Hello there.</article>"}]}
    )
    assert read_task([message]).source_text == "Hello there."


def test_the_first_article_title_is_unescaped() -> None:
    text = '<article title="Rates &amp; bonds">x</article><article title="Other">y</article>'
    assert first_article_title(text) == "Rates & bonds"
