"""The processes of the local stack, in start order, and the environment each is given."""

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import AliasChoices, SecretStr

from core.settings import ENV_FILE_VARIABLE, PromoteBuild, Settings

# What any process needs from the presenter's shell; the rest of it (other tools' keys) stays out.
INHERITED_VARIABLES = frozenset(
    {"PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM", "VIRTUAL_ENV"}
    | {"SSL_CERT_FILE", "SSL_CERT_DIR"}  # the worker's TLS to an LLM or Temporal Cloud
    | {
        name
        for proxy in ("HTTP", "HTTPS", "NO", "ALL")
        for name in (f"{proxy}_PROXY", f"{proxy.lower()}_proxy")
    }
)
INHERITED_PREFIXES = ("LC_", "PYTHON")  # locale; PYTHONPATH and the interpreter's own options
# Each secret reaches only the parts that use it: the web is the one client of the control API
# and signs the pages' CSRF tokens; the worker calls the LLM; both talk to Temporal.
PART_SECRETS = {
    "web": frozenset({"temporal_api_key", "secret_key"}),
    "worker": frozenset({"temporal_api_key", "openai_api_key"}),
    "plain": frozenset({"openai_api_key"}),
}
SECRET_SETTINGS = frozenset({"temporal_api_key", "secret_key", "openai_api_key", "control_token"})
# The parts that send traces (core/tracing.py) take the shell's other OpenTelemetry variables too
# (exporter headers, which may hold a collector's key, sampler, batching); no other part does.
TRACED_PARTS = frozenset({"web", "worker"})
OPENTELEMETRY_PREFIX = "OTEL_"


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
        PartSpec("plain", "plain agent (no Temporal)", settings.plain_port),
        PartSpec("web", "web app and JSON API", settings.web_port),
    ]
    return parts


def part_command(part: PartSpec) -> list[str]:
    return [sys.executable, "-m", "stack.cli", part.name]


def control_url(settings: Settings) -> str:
    return f"http://{settings.host}:{settings.control_port}"


def chaos_flag(settings: Settings) -> str:
    # The local stack is the presenter's: the chaos panel is on unless a setting turns it off.
    chosen = "chaos_enabled" in settings.model_fields_set
    return str(settings.chaos_enabled).lower() if chosen else "true"


def part_environment(settings: Settings, part: str, *, control_token: str) -> dict[str, str]:
    """The settings `up` resolved (from its environment and .env), with only this part's secrets.

    The part reads no .env of its own: the one `up` read may hold keys the part must not have.
    """
    secrets = PART_SECRETS.get(part, frozenset())
    env = inherited_environment()
    env.update(
        settings_variables(settings, (settings.model_fields_set - SECRET_SETTINGS) | secrets)
    )
    env.update(
        {ENV_FILE_VARIABLE: ""},
        TEMPORAL_ADDRESS=f"{settings.host}:{settings.temporal_port}",
        TEMPORAL_UI_URL=f"http://{settings.host}:{settings.temporal_ui_port}",
        BRIEFING_DATA_DIR=str(settings.data_dir.resolve()),
        BRIEFING_CHAOS_ENABLED=chaos_flag(settings),
        # Told, since the parts without OPENAI_API_KEY cannot infer it.
        BRIEFING_OFFLINE_LLM=str(settings.uses_offline_llm).lower(),
        PYTHONUNBUFFERED="1",
    )
    if part == "web":
        env.update(BRIEFING_CONTROL_URL=control_url(settings), BRIEFING_CONTROL_TOKEN=control_token)
    if part == "worker" and "promote_build" not in settings.model_fields_set:
        # The code on disk is the code to run: an edited workflow is a new build, made current.
        env.update(BRIEFING_PROMOTE_BUILD=PromoteBuild.ALWAYS.value)
    if part in TRACED_PARTS:
        env.update(opentelemetry_environment())
    return env


def inherited_environment() -> dict[str, str]:
    return {
        name: value
        for name, value in os.environ.items()
        if name in INHERITED_VARIABLES or name.startswith(INHERITED_PREFIXES)
    }


def opentelemetry_environment() -> dict[str, str]:
    return {
        name: value for name, value in os.environ.items() if name.startswith(OPENTELEMETRY_PREFIX)
    }


def settings_variables(settings: Settings, fields: Iterable[str]) -> dict[str, str]:
    """The named settings as the environment variables that give them, unset ones left out."""
    variables = {}
    for field in fields:
        value = getattr(settings, field)
        if value is not None:
            variables[variable_name(field)] = _as_text(value)
    return variables


def variable_name(field: str) -> str:
    """The environment variable that gives the setting `field`."""
    alias = Settings.model_fields[field].validation_alias
    # Declared with _env(NAME), so AliasChoices(NAME, name): the upper-case one is the variable.
    if isinstance(alias, AliasChoices) and isinstance(name := alias.choices[0], str):
        return name
    raise TypeError(f"the setting {field} is not declared with _env()")


def _as_text(value: object) -> str:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ",".join(value)
    return str(value)
