"""Everything a story page shows around the story, as data: menus, banners, boxes, comments.

Real pages bury the story in this; an article reader must leave all of it out.
`clutter_sentences` lists every piece one story's page shows, so tests can prove that none of it
reaches a summary. All the text is our own.
"""

import zlib
from dataclasses import dataclass

from demo.newsroom.catalogue import Catalogue, Story
from demo.newsroom.outlets import OUTLETS_BY_SLUG, Outlet

MENU = ("Home", "World", "Business", "Science", "Tech", "Culture", "Sport", "Opinion", "Podcasts")
ACCOUNT_LINKS = ("Sign in", "Subscribe")
COOKIE_BANNER = (
    "We use cookies to remember your settings and to understand how our pages are read.",
    "You can change your choices at any time from the privacy page at the foot of every page.",
)
COOKIE_BUTTONS = ("Accept all", "Reject non-essential", "Manage choices")
SHARE_HEADING = "Share this story"
SHARE_LABELS = ("Share on Facebook", "Share on X", "Share by email", "Copy link")
RELATED_HEADING = "Related stories"
NEWSLETTER = (
    "Get the morning briefing",
    "The day's most important stories, sent to your inbox before breakfast every weekday.",
    "Your email address",
    "Sign up",
    "You can unsubscribe at any time, and we never share your address with anyone.",
)
AD_LABEL = "Advertisement"
COMMENTS_HEADING = "Join the conversation"
COMMENT_ACTIONS = ("Reply", "Report")
FOOTER_LINKS = ("About us", "Contact", "Privacy policy", "Cookie settings", "Terms of use")
RELATED_COUNT = 4


@dataclass(frozen=True)
class ReaderComment:
    author: str
    text: str


# Written as a summariser would love them: complete, confident sentences about "the story".
COMMENT_POOL: tuple[ReaderComment, ...] = (
    ReaderComment(
        "quayside_marge",
        "This is the most important decision made in this city for a decade, "
        "and nobody asked the people who actually live here.",
    ),
    ReaderComment(
        "B. Okonjo",
        "I read the whole report last night and the numbers in it simply do not add up.",
    ),
    ReaderComment(
        "tidewatcher",
        "My grandfather worked on the docks for forty years and he would have said exactly the "
        "same thing about all of this.",
    ),
    ReaderComment(
        "Priya N.",
        "The same plan was announced three years ago and nothing whatsoever happened then either.",
    ),
    ReaderComment(
        "oldsaltmere",
        "Good news at last, although I will believe it when I see it with my own eyes.",
    ),
    ReaderComment(
        "Dai Pritchard",
        "Everyone at the market this morning was talking about this story and nobody was happy.",
    ),
    ReaderComment(
        "northshore_nic",
        "The real question is who pays for all of it once the cameras have gone home.",
    ),
    ReaderComment(
        "Helen F.",
        "Excellent reporting as always, but the headline undersells how serious this really is.",
    ),
    ReaderComment(
        "gullwing",
        "Experts have warned about this for years and every one of those warnings was ignored.",
    ),
    ReaderComment(
        "K. Marsh",
        "We were promised the same thing before the last election and it came to nothing at all.",
    ),
)

PAYWALL_BOX = (
    "Subscribe to continue reading",
    "Unlimited access to every story for £1 a week for the first three months, "
    "then £14.99 a month.",
    "Cancel at any time.",
    "Subscribe now",
    "Already a subscriber? Sign in",
)


def comments_for(story: Story) -> tuple[ReaderComment, ...]:
    """Two to four comments, the same ones on every visit to the same story."""
    seed = zlib.crc32(story.slug.encode())
    count = 2 + seed % 3
    start = seed % len(COMMENT_POOL)
    return tuple(COMMENT_POOL[(start + offset) % len(COMMENT_POOL)] for offset in range(count))


def related_stories(story: Story, catalogue: Catalogue) -> list[Story]:
    """The outlet's newest other stories, as a site's "related" box picks them."""
    others = [other for other in catalogue.for_outlet(story.outlet) if other.slug != story.slug]
    return others[:RELATED_COUNT]


def footer_notice(outlet: Outlet) -> str:
    return f"© {outlet.name}. All rights reserved. Our stories are fiction written for a demo."


def clutter_sentences(story: Story, catalogue: Catalogue) -> tuple[str, ...]:
    """Every text a page of `story` shows that is not the story itself."""
    outlet = OUTLETS_BY_SLUG[story.outlet]
    comments = comments_for(story)
    paywall = PAYWALL_BOX if outlet.access == "paywall" else ()
    return (
        outlet.name,
        outlet.tagline,
        *MENU,
        *ACCOUNT_LINKS,
        *COOKIE_BANNER,
        *COOKIE_BUTTONS,
        SHARE_HEADING,
        *SHARE_LABELS,
        RELATED_HEADING,
        *(other.title for other in related_stories(story, catalogue)),
        *NEWSLETTER,
        AD_LABEL,
        COMMENTS_HEADING,
        *COMMENT_ACTIONS,
        *(comment.author for comment in comments),
        *(comment.text for comment in comments),
        *paywall,
        *FOOTER_LINKS,
        footer_notice(outlet),
    )
