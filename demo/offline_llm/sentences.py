"""Split plain news text into sentences, verbatim apart from whitespace.

Blank lines are hard boundaries (a headline or a paragraph without a final stop is still a
sentence). Inside a paragraph a sentence ends at `.`, `!` or `?` (plus any closing quotes or
brackets) followed by whitespace and a character that can start a sentence, so decimals such as
3.5 and lower-case continuations ("p.m. yesterday") never split. Titles such as Mr.
or Dr. never end a sentence; acronyms (U.S.), initials (J.) and `etc.` end one only when the next
word is a common sentence opener such as "The" or "It", so "U.S. Army" stays whole while
"in the U.S. The" splits.
"""

import re

from demo.offline_llm.stopwords import STOPWORDS

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WHITESPACE = re.compile(r"\s+")
# Terminal punctuation, closing quotes/brackets, then the whitespace before the next sentence.
_CANDIDATE_END = re.compile(r"[.!?]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]*[A-Z0-9])")
_LAST_WORD = re.compile(r"(\S+)$")
_NEXT_WORD = re.compile(r"\s+[\"'“‘«(\[]*([A-Za-z]+)")

# Words after which a full stop is part of the word, never the end of a sentence.
_TITLES = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres
    supt insp messrs mme mlle jan feb mar apr jun jul aug sep sept oct nov dec no nos vs
    approx dept est fig inc ltd corp co bros
    """.split()
)
# Abbreviations that often do end a sentence; split only before a typical sentence opener.
_AMBIGUOUS = frozenset({"etc", "al", "pm", "am"})
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+$")


def split_sentences(text: str) -> list[str]:
    """Return the sentences of `text` in order, each with its whitespace collapsed."""
    sentences: list[str] = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        flat = _WHITESPACE.sub(" ", paragraph).strip()
        if flat:
            sentences.extend(_split_paragraph(flat))
    return sentences


def normalise_whitespace(text: str) -> str:
    """Collapse runs of whitespace to single spaces, the form sentences are returned in."""
    return _WHITESPACE.sub(" ", text).strip()


def _split_paragraph(paragraph: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _CANDIDATE_END.finditer(paragraph):
        if not _is_boundary(paragraph, match):
            continue
        sentence = paragraph[start : match.end()].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    rest = paragraph[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def _is_boundary(paragraph: str, match: re.Match[str]) -> bool:
    if match.group()[0] != ".":
        return True  # `!` and `?` always end a sentence when a capital follows.
    last = _LAST_WORD.search(paragraph, 0, match.start() + 1)
    word = last.group(1) if last else ""
    # Strip opening punctuation so that "(Dr." is recognised as a title.
    word = word.lstrip("\"'“‘«([")
    bare = word.rstrip(".").lower()
    if bare in _TITLES:
        return False
    if bare in _AMBIGUOUS or _ACRONYM.match(word):
        return _next_word_opens_sentence(paragraph, match.end())
    return True


def _next_word_opens_sentence(paragraph: str, position: int) -> bool:
    following = _NEXT_WORD.match(paragraph, position)
    if following is None:
        return True  # A digit or symbol follows; treat it as a fresh sentence.
    word = following.group(1)
    return word[0].isupper() and word.lower() in STOPWORDS
