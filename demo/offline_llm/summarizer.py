"""Extractive summarisation: pick the source's most representative sentences, verbatim.

The score of a sentence is the sum of the document frequencies (normalised by the most frequent
term) of its distinct content terms, divided by the square root of their number, so that a
sentence full of the article's recurring terms wins without plain length winning. Content terms
are lower-cased words that are not stopwords, with plural and possessive endings stripped.
Three adjustments follow: sentences containing the briefing's topic words gain up to
`TOPIC_WEIGHT` (the share of topic words they mention); early sentences gain a small lead bonus
(news puts the point first); very short or very long sentences are damped. The best sentences are
taken greedily, skipping any that mostly repeat one already taken, and returned in source order.
Ties go to the earlier sentence, so the result is deterministic.
"""

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from demo.offline_llm.sentences import split_sentences
from demo.offline_llm.stopwords import STOPWORDS

TOPIC_WEIGHT = 1.5
LEAD_BONUS = 0.2
SHORT_SENTENCE_WORDS = 5
LONG_SENTENCE_WORDS = 50
SHORT_SENTENCE_FACTOR = 0.5
LONG_SENTENCE_FACTOR = 0.7
# Two sentences sharing more than this share of their terms say the same thing.
REDUNDANCY_OVERLAP = 0.6

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")


@dataclass(frozen=True)
class _Sentence:
    index: int
    text: str
    terms: frozenset[str]
    term_counts: Counter[str]
    word_count: int


def summarize(text: str, sentence_count: int, topic_words: Iterable[str] = ()) -> str:
    """Return at most `sentence_count` sentences of `text`, in source order, joined by spaces."""
    sentences = [_analyse(index, sentence) for index, sentence in enumerate(split_sentences(text))]
    if not sentences or sentence_count < 1:
        return ""
    frequency: Counter[str] = Counter()
    for sentence in sentences:
        frequency.update(sentence.term_counts)
    topic = frozenset(term for word in topic_words for term in content_terms(word))
    scores = {s.index: _score(s, frequency, topic) for s in sentences}
    ranked = sorted(sentences, key=lambda s: (-scores[s.index], s.index))
    chosen = _select_distinct(ranked, sentence_count)
    return " ".join(s.text for s in sorted(chosen, key=lambda s: s.index))


def content_terms(text: str) -> list[str]:
    """The words of `text` that carry meaning, normalised so that variants compare equal."""
    terms = []
    for word in _WORD.findall(text):
        lowered = word.lower().replace("’", "'")
        if lowered in STOPWORDS:
            continue
        term = _stem(lowered)
        if len(term) > 1 or term.isdigit():
            terms.append(term)
    return terms


def _stem(word: str) -> str:
    # Just enough folding for "energy"/"energies" and "wind"/"winds" to count as one term.
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _analyse(index: int, text: str) -> _Sentence:
    terms = content_terms(text)
    return _Sentence(
        index=index,
        text=text,
        terms=frozenset(terms),
        term_counts=Counter(terms),
        word_count=len(_WORD.findall(text)),
    )


def _score(sentence: _Sentence, frequency: Counter[str], topic: frozenset[str]) -> float:
    if not sentence.terms:
        return 0.0
    top = max(frequency.values())
    relevance = sum(frequency[term] / top for term in sentence.terms)
    relevance /= math.sqrt(len(sentence.terms))
    topical = TOPIC_WEIGHT * len(sentence.terms & topic) / len(topic) if topic else 0.0
    lead = LEAD_BONUS / (1 + sentence.index)
    return (relevance + topical + lead) * _length_factor(sentence.word_count)


def _length_factor(word_count: int) -> float:
    if word_count < SHORT_SENTENCE_WORDS:
        return SHORT_SENTENCE_FACTOR
    if word_count > LONG_SENTENCE_WORDS:
        return LONG_SENTENCE_FACTOR
    return 1.0


def _select_distinct(ranked: list[_Sentence], limit: int) -> list[_Sentence]:
    chosen: list[_Sentence] = []
    for candidate in ranked:
        if len(chosen) == limit:
            break
        if not any(_repeats(candidate, taken) for taken in chosen):
            chosen.append(candidate)
    return chosen


def _repeats(candidate: _Sentence, taken: _Sentence) -> bool:
    if candidate.text == taken.text:
        return True
    union = candidate.terms | taken.terms
    if not union:
        return False
    return len(candidate.terms & taken.terms) / len(union) > REDUNDANCY_OVERLAP
