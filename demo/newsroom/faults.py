"""The chaos controls: faults presenters inject into feeds or story pages, held until they clear."""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from demo.newsroom.outlets import OUTLETS_BY_SLUG

ALL_FEEDS = "*"
DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_OVERSIZE_BYTES = 6_000_000
# As long as a page takes over a poor mobile connection: long enough to act mid-download.
DEFAULT_SLOW_SECONDS = 10.0


class FaultMode(StrEnum):
    ERROR = "error"
    TIMEOUT = "timeout"
    MALFORMED = "malformed"
    EMPTY = "empty"
    OVERSIZE = "oversize"
    SLOW = "slow"  # the normal document, trickling out over `seconds`


class FaultTarget(StrEnum):
    FEED = "feed"
    PAGES = "pages"  # the outlet's story pages and PDFs, each request of any story counted


class Fault(BaseModel):
    """A fault on one outlet's feed or pages (`*`: every outlet's); `count` requests, or until
    reset if null."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    feed: str
    mode: FaultMode
    target: FaultTarget = FaultTarget.FEED
    count: int | None = Field(default=None, ge=1)
    seconds: float | None = Field(default=None, gt=0, le=600)
    bytes: int | None = Field(default=None, ge=1, le=1_000_000_000)

    @field_validator("feed")
    @classmethod
    def _known_feed(cls, feed: str) -> str:
        if feed != ALL_FEEDS and feed not in OUTLETS_BY_SLUG:
            raise ValueError(f"unknown feed {feed!r}; use an outlet slug or {ALL_FEEDS!r}")
        return feed

    def with_defaults(self) -> "Fault":
        if self.mode is FaultMode.TIMEOUT and self.seconds is None:
            return self.model_copy(update={"seconds": DEFAULT_TIMEOUT_SECONDS})
        if self.mode is FaultMode.OVERSIZE and self.bytes is None:
            return self.model_copy(update={"bytes": DEFAULT_OVERSIZE_BYTES})
        if self.mode is FaultMode.SLOW and self.seconds is None:
            return self.model_copy(update={"seconds": DEFAULT_SLOW_SECONDS})
        return self


class FaultTable:
    """At most one fault per outlet and target; an outlet's own fault takes precedence over `*`."""

    def __init__(self) -> None:
        self._faults: dict[tuple[FaultTarget, str], Fault] = {}

    def add(self, fault: Fault) -> Fault:
        stored = fault.with_defaults()
        self._faults[stored.target, stored.feed] = stored
        return stored

    def active(self) -> list[Fault]:
        return list(self._faults.values())

    def take(self, feed: str, target: FaultTarget = FaultTarget.FEED) -> Fault | None:
        """The fault to apply to one request of `feed`'s `target`, spending one of its uses."""
        key = (target, feed) if (target, feed) in self._faults else (target, ALL_FEEDS)
        fault = self._faults.get(key)
        if fault is None or fault.count is None:
            return fault
        if fault.count == 1:
            del self._faults[key]
        else:
            self._faults[key] = fault.model_copy(update={"count": fault.count - 1})
        return fault

    def reset(self, feed: str | None = None) -> None:
        """Every fault, or every fault of one outlet (or of `*`), on its feed and pages alike."""
        for target, outlet in list(self._faults):
            if feed is None or outlet == feed:
                del self._faults[target, outlet]
