"""The Markdown form of a briefing.

Every text in it comes from feeds, the LLM or a visitor, so each is written as one line of
escaped text: it cannot end its line, open a heading, list, quote, code block or HTML, or turn
into a link (GitHub also links bare URLs, www. names and e-mail addresses, so those are broken
up too). The only links are the sources', and only http(s) ones.
"""

import re

from activities.feeds.links import http_link
from activities.feeds.text import without_control_characters
from activities.models import BriefingSection

OFFLINE_LABEL = "offline extractive"

_METACHARACTERS = re.compile(r"([\\`*_\[\]<>#|~@])")
# A colon that would start an autolink: "http://x", "mailto:x", "xmpp:x".
_AUTOLINK_COLON = re.compile(r"(?<=[A-Za-z]):(?=//)|(?<=mailto):|(?<=xmpp):", re.IGNORECASE)
_WWW = re.compile(r"\b(www)\.", re.IGNORECASE)
# At the start of a line these open a list, a thematic break or a setext heading.
_BLOCK_START = re.compile(r"^(\d{1,9}(?=[.)])|(?=[-+=]))")


def _escape(text: str) -> str:
    one_line = " ".join(without_control_characters(text).split())
    escaped = _METACHARACTERS.sub(r"\\\1", one_line)
    escaped = _AUTOLINK_COLON.sub(r"\\:", escaped)
    return _WWW.sub(r"\1\\.", escaped)


def _paragraph(text: str) -> str:
    """Escaped text that starts a line of its own."""
    return _BLOCK_START.sub(lambda match: match.group() + "\\", _escape(text), count=1)


def _source_link(name: str, link: str) -> str:
    safe_link = http_link(link)
    return f"[{_escape(name)}](<{safe_link}>)" if safe_link else _escape(name)


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
    lines = [f"# {_escape(title)}", "", _paragraph(lead), ""]
    if editor_note:
        lines += [f"_Editor's note: {_escape(editor_note)}_", ""]
    for section in sections:
        lines += [f"## {_escape(section.title)}", ""]
        for story in section.stories:
            sources = ", ".join(
                _source_link(name, link)
                for name, link in zip(story.source_names, story.links, strict=False)
            )
            lines += [f"### {_escape(story.title)}", "", _paragraph(story.summary), ""]
            lines += [f"Sources: {sources} · summarised {story.text_source.phrase}", ""]
    written_by = ", ".join(models)
    if offline_extractive:
        written_by += f" ({OFFLINE_LABEL}: sentences selected from the stories, no LLM key set)"
    lines += ["---", "", f"_Summaries written by {_escape(written_by)}._"]
    if failed_sources:
        lines.append(f"_Sources that could not be read: {_escape(', '.join(failed_sources))}._")
    return "\n".join(lines) + "\n"
