"""Choosing the stories of a briefing: relevance, recency, near-duplicates merged.

Pure and deterministic, so the workflow can run it and replay it.
"""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from activities.models import FeedEntry, Story

DUPLICATE_TITLE_SIMILARITY = 0.5
UNKNOWN_DATE_RECENCY = 0.25
EXTRA_SOURCE_BONUS = 0.1
_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or over says the "
    "to up was were will with after before new about than this that their more".split()
)


@dataclass(frozen=True)
class Selection:
    stories: list[Story]
    candidates: int
    topic_matched: bool


def selection_detail(selection: Selection, topic: str, wanted: int) -> str:
    """What the select step says: how many of how many, the spares beyond the `wanted`, and a
    topic nobody covered."""
    chosen = min(len(selection.stories), wanted)
    detail = f"{chosen} of {selection.candidates} stories"
    if chosen < len(selection.stories):
        detail += f" (and {len(selection.stories) - chosen} spare)"
    if not selection.topic_matched:
        detail += f"; none mentioned “{topic}”, so these are the latest"
    return detail


@dataclass
class _Cluster:
    entries: list[FeedEntry]
    words: frozenset[str]
    score: float
    sources: set[str] = field(default_factory=set)


def terms(text: str) -> list[str]:
    return [_stem(word) for word in _WORD.findall(text.lower()) if word not in _STOPWORDS]


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def relevance(entry: FeedEntry, topic_terms: set[str]) -> float:
    if not topic_terms:
        return 0.0
    title = set(terms(entry.title))
    categories = set(terms(" ".join(entry.categories)))
    excerpt = terms(entry.excerpt)
    score = 0.0
    for term in topic_terms:
        score += 3.0 * (term in title) + 2.0 * (term in categories)
        hits = excerpt.count(term)
        score += (1.0 + 0.2 * min(hits - 1, 5)) if hits else 0.0
    return score / len(topic_terms)


def recency(entry: FeedEntry, now: datetime) -> float:
    if entry.published is None:
        return UNKNOWN_DATE_RECENCY
    age_hours = max((now - entry.published).total_seconds() / 3600, 0.0)
    return 1.0 / (1.0 + age_hours / 24.0)


def title_similarity(first: frozenset[str], second: frozenset[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def select_stories(
    entries: list[FeedEntry], *, topic: str, now: datetime, max_stories: int
) -> Selection:
    topic_terms = set(terms(topic))
    scored = [(relevance(entry, topic_terms), entry) for entry in entries]
    matched = [(score, entry) for score, entry in scored if score > 0]
    pool = matched or [(1.0, entry) for entry in entries]
    ranked = sorted(
        ((score * (0.6 + 0.4 * recency(entry, now)), entry) for score, entry in pool),
        key=lambda pair: (-pair[0], -_timestamp(pair[1]), pair[1].link),
    )
    clusters = _merge_near_duplicates(ranked)
    clusters.sort(key=lambda cluster: -cluster.score)
    stories = _one_per_id(_to_story(cluster) for cluster in clusters)
    return Selection(
        stories=stories[:max_stories],
        candidates=len(stories),
        topic_matched=bool(matched),
    )


def _one_per_id(stories: Iterable[Story]) -> list[Story]:
    """The best story of each id. An id names the story's summarize activity, and two activities
    with one id fail every workflow task: one link twice in a feed must not hang the briefing.
    (Runs that met such a pair never got past it, so keeping the first changes no history.)"""
    kept: dict[str, Story] = {}
    for story in stories:
        kept.setdefault(story.id, story)
    return list(kept.values())


def _merge_near_duplicates(ranked: list[tuple[float, FeedEntry]]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    for score, entry in ranked:
        words = frozenset(terms(entry.title))
        home = next(
            (
                cluster
                for cluster in clusters
                if entry.source_url not in cluster.sources
                and title_similarity(words, cluster.words) >= DUPLICATE_TITLE_SIMILARITY
            ),
            None,
        )
        if home is None:
            clusters.append(_Cluster([entry], words, score, {entry.source_url}))
        elif entry.link not in {member.link for member in home.entries}:
            home.entries.append(entry)
            home.sources.add(entry.source_url)
            home.score += EXTRA_SOURCE_BONUS * home.score
    return clusters


def _to_story(cluster: _Cluster) -> Story:
    primary = cluster.entries[0]
    return Story(
        id=hashlib.sha256(primary.link.encode()).hexdigest()[:12],
        title=primary.title,
        excerpt=primary.excerpt,
        links=[entry.link for entry in cluster.entries],
        source_names=[entry.source_name for entry in cluster.entries],
        published=primary.published,
        categories=primary.categories,
    )


def _timestamp(entry: FeedEntry) -> float:
    return entry.published.timestamp() if entry.published else 0.0
