"""Content for a newsroom whose outlets carry more, and longer, stories than a fetch keeps."""

from pathlib import Path

from tests.demo.newsroom.content_files import story_record, write_content

# An RSS feed that carries whole stories and an Atom feed that carries standfirsts.
CROWDED_OUTLETS = ("final-whistle", "stage-and-page")
STORIES_PER_OUTLET = 40
LONG_BODY = tuple(f"Paragraph {number} of a story that goes on and on." for number in range(120))
LONG_STORY_TEXT = "\n\n".join(LONG_BODY)


def write_crowded_content(directory: Path) -> Path:
    """Story `{outlet}-0` is the newest of each outlet, `{outlet}-39` the oldest."""
    records = [
        story_record(
            f"{outlet}-{hours}",
            outlet,
            published_hours_ago=float(hours),
            # As long as the story, so a feed of standfirsts carries a long text too.
            dek=LONG_STORY_TEXT,
            body=LONG_BODY,
        )
        for outlet in CROWDED_OUTLETS
        for hours in range(STORIES_PER_OUTLET)
    ]
    write_content(directory, "world.json", records)
    return directory
