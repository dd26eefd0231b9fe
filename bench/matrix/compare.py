"""A briefing's content as the matrix compares it: what is run-specific set aside, nothing else.

Run-specific, by nature of a run rather than of its content:
- ids and links that carry them (`id`, `temporal_ui_url`);
- clock readings: every `*_at` timestamp, the review's `deadline`, and the minute the briefing
  was written in its title ("Briefing: science — 03 December 2026, 14:20 UTC"), which is also
  the compose step's detail and the Markdown's first line (compose stamps `workflow.now()`);
- what the crash itself leaves on the record: each step's `attempt`, the `last_error` of a step
  that failed an attempt and then finished, and `version`, the count of progress events (a
  retry publishes one more).
Everything else — stories, their order, summaries, lead, sources, tokens — must be identical.
"""

import difflib
import json
import re
from typing import Any

# The briefing's own id and link, at the top only: steps' and stories' ids are content.
RUN_IDS = ("id", "temporal_ui_url")
RUN_SPECIFIC_KEYS = frozenset({"deadline", "attempt", "version"})
_TITLE_TIME = re.compile(r"— \d{2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} UTC")
TITLE_TIME_MARK = "— <written at> UTC"
DONE = "done"


def normalised_json(view: dict[str, Any]) -> str:
    """The JSON API's view of a briefing with the run-specific parts out, as stable text."""
    content = {key: item for key, item in view.items() if key not in RUN_IDS}
    return json.dumps(_normalised(content), indent=1, sort_keys=True, ensure_ascii=False)


def normalised_markdown(markdown: str) -> str:
    return _TITLE_TIME.sub(TITLE_TIME_MARK, markdown)


def _normalised(value: Any) -> Any:
    if isinstance(value, dict):
        kept = {
            key: _normalised(item)
            for key, item in value.items()
            if key not in RUN_SPECIFIC_KEYS and not key.endswith("_at")
        }
        if kept.get("state") == DONE:
            kept.pop("last_error", None)  # a failed attempt of a step that then succeeded
        return kept
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    if isinstance(value, str):
        return _TITLE_TIME.sub(TITLE_TIME_MARK, value)
    return value


def first_difference(reference: str, other: str, label: str) -> str | None:
    """A few lines of unified diff where `other` departs from `reference`, or None."""
    if reference == other:
        return None
    diff = difflib.unified_diff(
        reference.splitlines(), other.splitlines(), f"reference {label}", label, n=1, lineterm=""
    )
    return "\n".join(list(diff)[:12])
