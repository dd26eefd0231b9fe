"""Token-to-screen lag from the deliveries of an LLM step's text: each delivery is the text so
far, stamped with when its newest word reached the worker (`written_at`) and when it arrived.

A delivery carries the words since the last one. Their own moments are unknown, so each is put
evenly between the newest words of the two deliveries (the LLM writes at a steady pace): that
is the **per word** estimate, bounded below by the **newest word**'s lag and above by the
**bound** (arrival minus the previous delivery's newest word: every new word came after it).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

# (arrived at, written at, words so far), both as Unix seconds, in order of arrival.
Delivery = tuple[float, float, int]


@dataclass
class WordLags:
    per_word: list[float] = field(default_factory=list)
    newest: list[float] = field(default_factory=list)
    bound: list[float] = field(default_factory=list)

    @classmethod
    def of(cls, attempts: Iterable[list[Delivery]]) -> "WordLags":
        """The lags of every attempt's deliveries."""
        lags = cls()
        for deliveries in attempts:
            lags.add(deliveries)
        return lags

    def add(self, deliveries: list[Delivery]) -> None:
        """The deliveries of one attempt of one step."""
        previous_at, previous_words = None, 0
        for arrived, written, words in deliveries:
            new = words - previous_words
            if new <= 0:
                continue  # the same text again (re-sent after a progress event)
            self.newest.append(arrived - written)
            if previous_at is not None:
                self.bound.append(arrived - previous_at)
                pace = (written - previous_at) / new
                self.per_word += [arrived - (previous_at + pace * (k + 1)) for k in range(new)]
            previous_at, previous_words = written, words
