"""Faults that presenters inject into the offline model, held in memory until reset.

One counted fault is armed at a time (arming another replaces it): `rate_limit` answers 429 with
a Retry-After header, `error` answers 500, `hang` sleeps before answering normally (a stream:
before its first chunk), `cut` closes the connection after the answer's first `words` words (a
non-streamed answer: halfway through its JSON), without `[DONE]`. Each applies
to the next `count` chat completions, or to all of them until reset when `count` is None. `slow`
is separate: it changes the pacing of generation until reset, whatever fault is armed. All
access happens on the server's event loop, so no locking is needed."""

from dataclasses import dataclass
from typing import Literal

CountedMode = Literal["rate_limit", "error", "hang", "cut"]
FaultMode = Literal["rate_limit", "error", "hang", "cut", "slow"]

DEFAULT_RETRY_AFTER_SECONDS = 1.0
# Longer than any sensible client timeout, so a hang is seen as one.
DEFAULT_HANG_SECONDS = 120.0
# Enough words for a watcher to see the summary begin before it breaks off.
DEFAULT_CUT_WORDS = 5
# A hang or a Retry-After longer than this shows nothing more on stage; unbounded, one request
# could park a connection (and its task) for ever, or send Retry-After: inf.
FAULT_SECONDS_MAX = 600.0


class FaultConfigError(ValueError):
    """A fault was requested without the settings it needs."""


@dataclass(frozen=True)
class Fault:
    mode: CountedMode
    seconds: float
    # For cut: the words sent before the connection is closed.
    words: int = DEFAULT_CUT_WORDS


class FaultState:
    def __init__(self, default_tokens_per_second: float = 0.0) -> None:
        self._default_tokens_per_second = default_tokens_per_second
        self._tokens_per_second = default_tokens_per_second
        self._armed: Fault | None = None
        self._remaining: int | None = None

    @property
    def tokens_per_second(self) -> float:
        """Current generation pace; 0 means answer at once."""
        return self._tokens_per_second

    def inject(
        self,
        mode: FaultMode,
        *,
        count: int | None = None,
        seconds: float | None = None,
        tokens_per_second: float | None = None,
        words: int | None = None,
    ) -> None:
        if mode == "slow":
            if tokens_per_second is None or tokens_per_second <= 0:
                raise FaultConfigError("The slow fault needs tokens_per_second above 0.")
            self._tokens_per_second = tokens_per_second
            return
        if count is not None and count < 1:
            raise FaultConfigError("count must be at least 1, or null for until reset.")
        if seconds is not None and not 0 <= seconds <= FAULT_SECONDS_MAX:
            raise FaultConfigError(f"seconds must be between 0 and {FAULT_SECONDS_MAX:g}.")
        if words is not None and words < 0:
            raise FaultConfigError("words must be 0 or more.")
        default = DEFAULT_HANG_SECONDS if mode == "hang" else DEFAULT_RETRY_AFTER_SECONDS
        self._armed = Fault(
            mode=mode,
            seconds=default if seconds is None else seconds,
            words=DEFAULT_CUT_WORDS if words is None else words,
        )
        self._remaining = count

    def take(self) -> Fault | None:
        """The fault to apply to the request now arriving, using up one of its count."""
        fault = self._armed
        if fault is None or self._remaining is None:
            return fault
        self._remaining -= 1
        if self._remaining == 0:
            self._armed = None
            self._remaining = None
        return fault

    def reset(self) -> None:
        self._armed = None
        self._remaining = None
        self._tokens_per_second = self._default_tokens_per_second

    def snapshot(self) -> dict[str, object]:
        return {
            "mode": self._armed.mode if self._armed else None,
            "remaining": self._remaining,
            "seconds": self._armed.seconds if self._armed else None,
            "words": self._armed.words if self._armed and self._armed.mode == "cut" else None,
            "tokens_per_second": self._tokens_per_second,
            "default_tokens_per_second": self._default_tokens_per_second,
        }
