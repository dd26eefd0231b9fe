"""How close an extracted text is to the true one, as article-extraction benchmarks score it.

Both texts become bags of word tokens (lower-cased, punctuation dropped); the overlap is their
multiset intersection, so a sentence extracted twice counts once. Precision is the share of
extracted tokens that are true, recall the share of true tokens that were extracted.
"""

import re
from collections import Counter
from dataclasses import dataclass

# Letters and digits of any script: French accents stay inside their words.
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Overlap:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def word_tokens(text: str) -> Counter[str]:
    return Counter(_WORD.findall(text.lower()))


def token_overlap(extracted: str, true_text: str) -> Overlap:
    found, wanted = word_tokens(extracted), word_tokens(true_text)
    shared = sum((found & wanted).values())
    found_total, wanted_total = sum(found.values()), sum(wanted.values())
    # Nothing extracted from nothing is perfect; nothing extracted from something recalls 0.
    precision = shared / found_total if found_total else float(not wanted_total)
    recall = shared / wanted_total if wanted_total else 1.0
    return Overlap(precision, recall)
