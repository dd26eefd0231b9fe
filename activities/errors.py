"""Typed failure kinds raised by activities, shared with the workflow's retry policies."""

from enum import StrEnum


class FeedError(StrEnum):
    TOO_LARGE = "FeedTooLarge"
    MALFORMED = "FeedMalformed"
    REJECTED = "FeedRejected"  # 4xx other than 408/429: retrying will not help
    UNAVAILABLE = "FeedUnavailable"
    TIMEOUT = "FeedTimeout"
    REFUSED = "FeedRefused"  # the SSRF guard: a private address or a scheme other than http(s)
    TOO_SLOW = "FeedTooSlow"  # the whole download outlasted its deadline: a body dripping forever
    PARSING_TOO_SLOW = "FeedParsingTooSlow"  # the parser was killed at its time limit
    UNSAFE_XML = "FeedUnsafeXml"  # XML entity declarations: expansion bombs, external entities
    PARSER_CRASHED = "FeedParserCrashed"  # the parsing child died without an answer
    # Stacked (`gzip, gzip`) or unknown Content-Encoding: we decode one layer of what we offer.
    UNSUPPORTED_ENCODING = "FeedUnsupportedEncoding"


class LLMError(StrEnum):
    AUTHENTICATION = "LLMAuthenticationFailed"
    REJECTED = "LLMRequestRejected"
    RATE_LIMITED = "LLMRateLimited"
    SERVER = "LLMServerError"
    TIMEOUT = "LLMTimeout"
    UNREACHABLE = "LLMUnreachable"
    EMPTY = "LLMEmptyResponse"
    BROKEN_OFF = "LLMAnswerBrokeOff"  # the stream ended mid-answer: retried, from the start


FEED_NON_RETRYABLE = [
    FeedError.TOO_LARGE,
    FeedError.MALFORMED,
    FeedError.REJECTED,
    FeedError.REFUSED,
    FeedError.TOO_SLOW,
    FeedError.PARSING_TOO_SLOW,
    FeedError.UNSAFE_XML,
    FeedError.UNSUPPORTED_ENCODING,
]
# A story's page is downloaded and extracted as a feed is, and fails with the same kinds.
ARTICLE_NON_RETRYABLE = FEED_NON_RETRYABLE
LLM_NON_RETRYABLE = [LLMError.AUTHENTICATION, LLMError.REJECTED]


class PlainRunError(StrEnum):
    UNREACHABLE = "PlainAgentUnreachable"  # retried: the process may be on its way back
    BUSY = "PlainAgentBusy"  # 429 or 5xx: it may take the run in a moment
    REFUSED = "PlainRunRefused"  # the plain agent said no (4xx): asking again will not help


PLAIN_NON_RETRYABLE = [PlainRunError.REFUSED]
