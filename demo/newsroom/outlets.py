"""The demo newsroom's outlets: who publishes what, and in which feed format."""

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Outlet:
    slug: str
    name: str
    feed_format: Literal["rss", "atom"]
    tagline: str


OUTLETS: tuple[Outlet, ...] = (
    Outlet("harbour-herald", "The Harbour Herald", "rss", "News from the waterfront city"),
    Outlet("circuit-daily", "Circuit Daily", "atom", "Technology, plainly told"),
    Outlet("lab-notes", "Lab Notes Weekly", "rss", "Science from bench to field"),
    Outlet("the-ledger", "The Ledger", "atom", "Markets, money and work"),
    Outlet("final-whistle", "Final Whistle", "rss", "Sport without the shouting"),
    Outlet("stage-and-page", "Stage & Page", "atom", "Culture, reviewed"),
)

OUTLETS_BY_SLUG = {outlet.slug: outlet for outlet in OUTLETS}


def feed_path(outlet: Outlet) -> str:
    return f"/feeds/{outlet.slug}.xml"
