"""Grouping summarised stories into the sections of a briefing."""

from activities.models import BriefingSection, BriefingStory, SummarizedStory

SECTION_TITLES = {
    "world": "World",
    "tech": "Technology",
    "technology": "Technology",
    "science": "Science",
    "business": "Business",
    "economy": "Business",
    "sport": "Sport",
    "sports": "Sport",
    "culture": "Culture",
    "arts": "Culture",
}
OTHER_SECTION = "More stories"


def section_title(categories: list[str]) -> str:
    for category in categories:
        title = SECTION_TITLES.get(category.strip().lower())
        if title:
            return title
    return OTHER_SECTION


def group_into_sections(stories: list[SummarizedStory]) -> list[BriefingSection]:
    """Sections appear in the order of their best-ranked story; stories keep their rank."""
    sections: dict[str, list[BriefingStory]] = {}
    for item in stories:
        title = section_title(item.story.categories)
        sections.setdefault(title, []).append(
            BriefingStory(
                title=item.story.title,
                summary=item.summary.summary,
                links=item.story.links,
                source_names=item.story.source_names,
                model=item.summary.model,
                text_source=item.text_source,
            )
        )
    return [BriefingSection(title=title, stories=items) for title, items in sections.items()]
