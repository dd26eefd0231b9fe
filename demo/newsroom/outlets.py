"""The demo newsroom's outlets: who publishes what, in which feed format, and how their sites look.

Like real outlets, they differ: most feeds carry a headline and a standfirst, one a headline alone,
one the whole story; each site has its own page template, and one hides its stories behind a
paywall.
"""

from dataclasses import dataclass
from typing import Literal

# What a feed item carries besides its headline and link.
FeedText = Literal["headline", "dek", "full"]
# The page template: a semantic <article>, a CMS's nested divs, or <main> with <section>s.
PageLayout = Literal["article", "div-soup", "main-sections"]
# Whether a story page shows the whole story or a subscriber's teaser.
PageAccess = Literal["open", "paywall"]


@dataclass(frozen=True)
class Outlet:
    slug: str
    name: str
    feed_format: Literal["rss", "atom"]
    tagline: str
    feed_text: FeedText
    layout: PageLayout
    access: PageAccess = "open"


OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        "harbour-herald",
        "The Harbour Herald",
        "rss",
        "News from the waterfront city",
        feed_text="dek",
        layout="article",
    ),
    Outlet(
        "circuit-daily",
        "Circuit Daily",
        "atom",
        "Technology, plainly told",
        feed_text="headline",
        layout="div-soup",
    ),
    Outlet(
        "lab-notes",
        "Lab Notes Weekly",
        "rss",
        "Science from bench to field",
        feed_text="dek",
        layout="main-sections",
    ),
    Outlet(
        "the-ledger",
        "The Ledger",
        "atom",
        "Markets, money and work",
        feed_text="dek",
        layout="article",
        access="paywall",
    ),
    Outlet(
        "final-whistle",
        "Final Whistle",
        "rss",
        "Sport without the shouting",
        feed_text="full",
        layout="div-soup",
    ),
    Outlet(
        "stage-and-page",
        "Stage & Page",
        "atom",
        "Culture, reviewed",
        feed_text="dek",
        layout="main-sections",
    ),
)

OUTLETS_BY_SLUG = {outlet.slug: outlet for outlet in OUTLETS}


def feed_path(outlet: Outlet) -> str:
    return f"/feeds/{outlet.slug}.xml"
