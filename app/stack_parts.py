"""The processes of the local stack, in start order, and the environment they share."""

import os
import sys
from dataclasses import dataclass

from app.settings import Settings


@dataclass(frozen=True)
class PartSpec:
    name: str
    description: str
    port: int | None


def stack_parts(settings: Settings) -> list[PartSpec]:
    parts = [
        PartSpec("server", "Temporal dev server", settings.temporal_port),
        PartSpec("newsroom", "demo newsroom feeds", settings.newsroom_port),
    ]
    if settings.uses_offline_llm:
        parts.append(PartSpec("llm", "offline extractive LLM", settings.llm_port))
    parts += [
        PartSpec("worker", "briefing worker", None),
        PartSpec("web", "web app and JSON API", settings.web_port),
    ]
    return parts


def part_command(part: PartSpec) -> list[str]:
    return [sys.executable, "-m", "app.cli", part.name]


def control_url(settings: Settings) -> str:
    return f"http://{settings.host}:{settings.control_port}"


def chaos_flag(settings: Settings) -> str:
    # The local stack is the presenter's: the chaos panel is on unless a setting turns it off.
    chosen = "chaos_enabled" in settings.model_fields_set
    return str(settings.chaos_enabled).lower() if chosen else "true"


def stack_environment(settings: Settings, *, control_token: str) -> dict[str, str]:
    """Children must agree with `up` on where everything is, whatever .env says."""
    env = dict(os.environ)
    env.update(
        TEMPORAL_ADDRESS=f"{settings.host}:{settings.temporal_port}",
        TEMPORAL_UI_URL=f"http://{settings.host}:{settings.temporal_ui_port}",
        BRIEFING_DATA_DIR=str(settings.data_dir.resolve()),
        BRIEFING_CONTROL_URL=control_url(settings),
        BRIEFING_CONTROL_TOKEN=control_token,
        BRIEFING_CHAOS_ENABLED=chaos_flag(settings),
        PYTHONUNBUFFERED="1",
    )
    return env
