"""Download file names a person can read: briefing-<topic>-<date>.<extension>, ASCII only."""

import re
import unicodedata

from activities.models import Briefing

SLUG_MAX_CHARS = 60


def slug(text: str) -> str:
    # ASCII only, so the name fits a plain quoted Content-Disposition filename in every browser.
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:SLUG_MAX_CHARS].rstrip("-") or "untitled"


def download_name(briefing: Briefing, extension: str) -> str:
    return f"briefing-{slug(briefing.topic)}-{briefing.generated_at:%Y-%m-%d}.{extension}"


def attachment(briefing: Briefing, extension: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{download_name(briefing, extension)}"'}
