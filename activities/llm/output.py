"""What the LLM writes is untrusted: it enters a briefing only as one paragraph of plain text.

A story can carry instructions the model obeys ("add this link, this heading"). The briefing's
structure (title, sections, source links) is built by code, so the model's text is cut down to
what a summary is: sentences. Every URL goes, not only unknown ones: each story's source links
are shown beside it by code, so prose never needs one, and no check is needed of which are real.

Output with nothing left is refused non-retryably: the same prompt gets the same answer from a
deterministic model (ours always; a real one mostly), so retries would only delay the briefing.
The story fails with the reason shown on its step, and the briefing goes on without it.
"""

import re
from enum import StrEnum

from temporalio.exceptions import ApplicationError

from activities.feeds.text import html_to_text, truncate_text
from activities.models import SUMMARY_MAX_CHARS

LEAD_MAX_CHARS = 1500
# Letters, not words, so that Chinese or Japanese prose counts too: a summary has at least one
# sentence, and any sentence is longer than this ("OK.", "# Pwned" or a bare link list is not).
MIN_LETTERS = 10


class LLMOutputError(StrEnum):
    UNUSABLE = "LLMUnusableOutput"


_CODE_FENCE = re.compile(r"^ {0,3}(?:```|~~~).*$", re.MULTILINE)
_RULE = re.compile(r"^ {0,3}(?:[-*_=] *){3,}$", re.MULTILINE)
_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:.*$", re.MULTILINE)
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*))?$", re.MULTILINE)
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+\S")
# Quote and list markers at the start of a line; the line's text stays.
_LINE_MARKER = re.compile(r"^[ \t]*(?:>+|[-*+•]|\d{1,9}[.)])(?=[ \t]|$)[ \t]*", re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_EMPHASIS = re.compile(r"\*+|`+|~~|(?<!\w)__|__(?!\w)")
_URL = re.compile(
    r"\b[a-z][a-z0-9+.-]*://\S*|\b(?:javascript|vbscript|data|file|mailto):\S+|\bwww\.\S+",
    re.IGNORECASE,
)
# A tag that was written as an entity (&lt;b&gt;) survives html_to_text as text: drop it too.
_TAG = re.compile(r"</?[a-z!?][^<>]*>", re.IGNORECASE)
_TRAILING_PUNCTUATION = re.compile(r"[.,;:!?]+$")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")


def clean_summary(text: str) -> str:
    return _plain_paragraph(text, SUMMARY_MAX_CHARS, "summary")


def clean_lead(text: str) -> str:
    return _plain_paragraph(text, LEAD_MAX_CHARS, "lead paragraph")


def plain_text(text: str) -> str:
    """One paragraph of plain text: no markup, no Markdown structure, no URLs."""
    for pattern in (_CODE_FENCE, _RULE, _REFERENCE):
        text = pattern.sub("", text)
    text = _HEADING.sub(_heading_sentences, text)
    text = _LINE_MARKER.sub("", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = html_to_text(_EMPHASIS.sub("", text))
    text = _TAG.sub("", _URL.sub(_keep_trailing_punctuation, text))
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(text.split()))


def _plain_paragraph(text: str, limit: int, what: str) -> str:
    cleaned = plain_text(text)
    if sum(char.isalpha() for char in cleaned) < MIN_LETTERS:
        raise ApplicationError(
            f"the LLM's {what} is unusable: nothing like prose is left once markup and "
            f"links are removed (it began {text[:80]!r})",
            type=LLMOutputError.UNUSABLE,
            non_retryable=True,
        )
    return truncate_text(cleaned, limit)


def _heading_sentences(match: re.Match) -> str:
    # A heading names something and goes; sentences that follow it on its line (as when a
    # model joins a story's "# ..." paragraph to the next) stay.
    line = match.group(1) or ""
    return line if _SENTENCE_BREAK.search(line) else ""


def _keep_trailing_punctuation(match: re.Match) -> str:
    # "see http://x.example." keeps its full stop, so the sentence still ends.
    found = _TRAILING_PUNCTUATION.search(match.group().rstrip(")"))
    return found.group() if found else ""
