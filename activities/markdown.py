"""The Markdown form of a briefing."""

from activities.models import BriefingSection

OFFLINE_LABEL = "offline extractive"


def _escape(text: str) -> str:
    # Feed text must not turn into Markdown links, headings or emphasis by accident.
    return "".join("\\" + char if char in "\\`*_[]<>#|" else char for char in text)


def render_markdown(
    *,
    title: str,
    lead: str,
    sections: list[BriefingSection],
    models: list[str],
    offline_extractive: bool,
    failed_sources: list[str],
    editor_note: str | None = None,
) -> str:
    lines = [f"# {_escape(title)}", "", _escape(lead), ""]
    if editor_note:
        lines += [f"_Editor's note: {_escape(editor_note)}_", ""]
    for section in sections:
        lines += [f"## {_escape(section.title)}", ""]
        for story in section.stories:
            sources = ", ".join(
                f"[{_escape(name)}](<{link}>)"
                for name, link in zip(story.source_names, story.links, strict=False)
            )
            lines += [f"### {_escape(story.title)}", "", _escape(story.summary), ""]
            lines += [f"Sources: {sources}", ""]
    written_by = ", ".join(models)
    if offline_extractive:
        written_by += f" ({OFFLINE_LABEL}: sentences selected from the stories, no LLM key set)"
    lines += ["---", "", f"_Summaries written by {_escape(written_by)}._"]
    if failed_sources:
        lines.append(f"_Sources that could not be read: {_escape(', '.join(failed_sources))}._")
    return "\n".join(lines) + "\n"
