"""A finished briefing taken elsewhere: Markdown and standalone HTML downloads, Atom feeds."""
