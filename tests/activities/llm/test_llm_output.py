"""The LLM's text as it may enter a briefing: one paragraph of plain prose, no markup, no URL."""

import pytest
from temporalio.exceptions import ApplicationError

from activities.llm.output import (
    LEAD_MAX_CHARS,
    LLMOutputError,
    clean_lead,
    clean_summary,
    plain_text,
)
from activities.models import SUMMARY_MAX_CHARS


def test_markdown_structure_is_reduced_to_its_sentences() -> None:
    answer = (
        "## Summary\n\n- The council met on Tuesday.\n2. It approved the barrier.\n"
        "> Critics objected.\n\n---\n```\nrm -rf /\n```\n**Work** starts in `spring`."
    )
    assert plain_text(answer) == (
        "The council met on Tuesday. It approved the barrier. Critics objected. rm -rf / "
        "Work starts in spring."
    )


def test_links_and_images_keep_their_words_but_lose_their_targets() -> None:
    answer = "Read [the report](http://evil.example/r) ![chart](data:image/png;base64,AAAA) now."
    assert plain_text(answer) == "Read the report chart now."


def test_html_goes_with_scripts_and_tags_written_as_entities() -> None:
    answer = (
        "<h1>Pwned</h1><p>Rates <b>rose</b>.</p><script>alert(1)</script>"
        "&lt;img src=x onerror=alert(2)&gt; Markets calmed."
    )
    assert plain_text(answer) == "Pwned Rates rose. Markets calmed."


def test_every_url_goes_whatever_its_scheme_and_sentences_keep_their_stops() -> None:
    answer = (
        "See https://news.example/a. Or javascript:alert(1) and www.evil.example, "
        "then mailto:x@evil.example or ftp://files.example/x."
    )
    assert plain_text(answer) == "See. Or and, then or."


def test_words_that_only_look_like_schemes_stay() -> None:
    answer = "The data: 5 percent. Note: rates rose at 10:30."
    assert plain_text(answer) == answer


def test_the_answer_becomes_one_paragraph_without_control_characters() -> None:
    assert plain_text("First line.\n\nSecond\tline.\x1b[2J\r\nThird.") == (
        "First line. Second line.[2J Third."
    )


def test_summaries_and_leads_are_cut_at_a_word_to_their_limits() -> None:
    long_answer = "The council met again today. " * 200
    assert len(clean_summary(long_answer)) <= SUMMARY_MAX_CHARS
    assert len(clean_lead(long_answer)) <= LEAD_MAX_CHARS
    assert clean_summary(long_answer).endswith("…")


@pytest.mark.parametrize(
    "answer",
    ["# Pwned", "[click](http://evil.example/)", "http://evil.example/ www.evil.example", "OK."],
)
def test_an_answer_with_no_prose_left_is_refused_without_retrying(answer: str) -> None:
    with pytest.raises(ApplicationError) as refused:
        clean_summary(answer)
    assert refused.value.type == LLMOutputError.UNUSABLE
    assert refused.value.non_retryable


def test_prose_in_any_script_is_accepted() -> None:
    assert clean_summary("東京の記者が長い記事を書いた。") == "東京の記者が長い記事を書いた。"
