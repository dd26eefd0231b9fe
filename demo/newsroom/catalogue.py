"""The newsroom's stories: loaded from JSON content files, validated, dated against a clock."""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from demo.newsroom.outlets import OUTLETS_BY_SLUG

CONTENT_DIR = Path(__file__).parent / "content"

Section = Literal["world", "tech", "science", "business", "sport", "culture"]
SECTIONS: tuple[Section, ...] = ("world", "tech", "science", "business", "sport", "culture")

# Characters XML 1.0 cannot carry at all; one of them would make every feed unparseable.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    if _XML_ILLEGAL.search(text):
        raise ValueError("contains a control character XML cannot carry")
    return text


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_xml_safe)
]


class StoryRecord(BaseModel):
    """One story exactly as a content file holds it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    outlet: str
    section: Section
    title: Text
    dek: Text
    author: Text
    published_hours_ago: float = Field(ge=0)
    tags: tuple[Text, ...] = ()
    body: tuple[Text, ...] = Field(min_length=1)
    # Where the feed links: the story's web page, or (for a research report) its PDF.
    link: Literal["page", "pdf"] = "page"


class Story(StoryRecord):
    """A story as the newsroom publishes it, with a concrete publication time."""

    published: datetime


class CatalogueError(ValueError):
    """A content file is unreadable or breaks the story schema."""

    def __init__(self, file: Path, slug: str | None, problem: str) -> None:
        self.file = file
        self.slug = slug
        where = f"{file.name}, story {slug!r}" if slug else file.name
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Catalogue:
    stories: tuple[Story, ...]

    def by_slug(self, slug: str) -> Story | None:
        return next((story for story in self.stories if story.slug == slug), None)

    def for_outlet(self, outlet_slug: str) -> list[Story]:
        """The outlet's stories, newest first."""
        own = [story for story in self.stories if story.outlet == outlet_slug]
        return sorted(own, key=lambda story: story.published, reverse=True)


def load_catalogue(content_dir: Path | None = None, now: datetime | None = None) -> Catalogue:
    """Read every `*.json` in `content_dir` (the packaged content by default)."""
    directory = content_dir if content_dir is not None else CONTENT_DIR
    reference = (now or datetime.now(UTC)).astimezone(UTC)
    records = _validated_records(sorted(directory.glob("*.json")))
    stories = (
        Story(**record.model_dump(), published=_published_at(record, reference))
        for record in records
    )
    return Catalogue(tuple(stories))


def _validated_records(files: Iterable[Path]) -> list[StoryRecord]:
    records: list[StoryRecord] = []
    seen: dict[str, Path] = {}
    for file in files:
        for record in _read_file(file):
            if record.outlet not in OUTLETS_BY_SLUG:
                raise CatalogueError(file, record.slug, f"unknown outlet {record.outlet!r}")
            if record.slug in seen:
                problem = f"duplicate slug, first used in {seen[record.slug].name}"
                raise CatalogueError(file, record.slug, problem)
            seen[record.slug] = file
            records.append(record)
    return records


def _read_file(file: Path) -> list[StoryRecord]:
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CatalogueError(file, None, f"unreadable JSON ({error})") from error
    if not isinstance(raw, list):
        raise CatalogueError(file, None, "expected a JSON array of stories")
    records = []
    for index, item in enumerate(raw):
        try:
            records.append(StoryRecord.model_validate(item))
        except ValidationError as error:
            slug = item.get("slug") if isinstance(item, dict) else None
            label = slug if isinstance(slug, str) and slug else f"#{index}"
            raise CatalogueError(file, label, _describe(error)) from error
    return records


def _describe(error: ValidationError) -> str:
    problems = []
    for detail in error.errors():
        location = ".".join(str(part) for part in detail["loc"]) or "story"
        problems.append(f"{location}: {detail['msg']}")
    return "; ".join(problems)


def _published_at(record: StoryRecord, now: datetime) -> datetime:
    exact = now - timedelta(hours=record.published_hours_ago)
    return (exact + timedelta(seconds=30)).replace(second=0, microsecond=0)
