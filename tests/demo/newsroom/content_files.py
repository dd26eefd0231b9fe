"""Tiny story content files for tests, in the schema of demo/newsroom/content/*.json."""

import json
from pathlib import Path

from demo.newsroom.outlets import OUTLETS

# A harbour-herald story its feed links as a PDF, for tests that add one.
REPORT_SLUG = "harbour-herald-report"


def story_record(slug: str, outlet: str = "harbour-herald", **overrides: object) -> dict:
    record = {
        "slug": slug,
        "outlet": outlet,
        "section": "world",
        "title": f"Headline for {slug}",
        "dek": f"Standfirst for {slug}.",
        "author": "Ada Reporter",
        "published_hours_ago": 2.0,
        "tags": ["harbour"],
        "body": [f"First paragraph of {slug}.", "Second paragraph."],
    }
    return record | overrides


def write_content(directory: Path, name: str, records: list[dict]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    file = directory / name
    file.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return file


def one_story_per_outlet(directory: Path) -> Path:
    records = [
        story_record(f"{outlet.slug}-story", outlet.slug, published_hours_ago=float(index))
        for index, outlet in enumerate(OUTLETS, start=1)
    ]
    write_content(directory, "world.json", records)
    return directory
