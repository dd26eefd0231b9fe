"""Approximate token counts for the `usage` block of a completion.

The offline model has no tokenizer, so counts imitate a BPE vocabulary such as cl100k: every word
is one token plus one more per further eight characters (long or rare words split into pieces),
every punctuation mark is one token, and each chat message costs a fixed framing overhead. Counts
are close enough to real ones for pacing and dashboards, not for billing.
"""

import re
from collections.abc import Iterable

_PIECE = re.compile(r"\w+|[^\w\s]")
CHARACTERS_PER_EXTRA_TOKEN = 8
# Role markers and separators that wrap each message, plus the priming of the reply.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_REPLY = 3


def count_tokens(text: str) -> int:
    """Approximate number of tokens in `text`."""
    return sum(1 + (len(piece) - 1) // CHARACTERS_PER_EXTRA_TOKEN for piece in _PIECE.findall(text))


def count_prompt_tokens(message_texts: Iterable[str]) -> int:
    """Approximate prompt tokens of a chat request whose messages have the given texts."""
    return TOKENS_PER_REPLY + sum(TOKENS_PER_MESSAGE + count_tokens(text) for text in message_texts)
