"""docker-compose.yml (alone, or with docker-compose.local.yml over it) and the Dockerfile as data,
read the way compose and docker read them."""

import re
from pathlib import Path

import yaml

from core.settings import PROJECT_ROOT, Settings
from stack.parts import variable_name

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
LOCAL_OVERRIDE = PROJECT_ROOT / "docker-compose.local.yml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
DOCKERIGNORE = PROJECT_ROOT / ".dockerignore"
# Our five parts, each a `briefing` command of the one image.
OUR_PARTS = ("web", "worker", "plain", "newsroom", "llm")
# `docker compose stop` waits this long before SIGKILL when a service does not say.
COMPOSE_DEFAULT_GRACE_SECONDS = 10.0
# `${NAME}` or `${NAME:-default}`: the only interpolation forms the compose file uses.
VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")


# How compose merges a service's key from an override (the same in v1 and v2 for these keys):
# mappings key by key, these lists as a union, volumes by their container path, the rest replaced.
MERGED_MAPPINGS = {"environment", "depends_on", "healthcheck", "networks", "labels"}
MERGED_LISTS = {"ports", "profiles", "cap_add", "cap_drop", "security_opt", "expose", "dns"}


def compose_text() -> str:
    return COMPOSE_FILE.read_text()


def referenced_variables() -> dict[str, str | None]:
    """Every variable the compose files interpolate, with its default (None: no default)."""
    text = compose_text() + LOCAL_OVERRIDE.read_text()
    return {m["name"]: m["default"] for m in VARIABLE.finditer(text)}


def interpolate(value: str, variables: dict[str, str]) -> str:
    """As compose does for `${NAME}` and `${NAME:-default}`: unset or empty takes the default."""
    return VARIABLE.sub(lambda m: variables.get(m["name"]) or (m["default"] or ""), value)


def load_compose(variables: dict[str, str] | None = None) -> dict:
    """The compose file, `${...}` replaced as compose would with only `variables` set."""
    text = interpolate(compose_text(), variables or {})
    return yaml.safe_load(text)


def services(variables: dict[str, str] | None = None) -> dict[str, dict]:
    return load_compose(variables)["services"]


def load_local_override(variables: dict[str, str] | None = None) -> dict:
    text = interpolate(LOCAL_OVERRIDE.read_text(), variables or {})
    return yaml.safe_load(text)


def merged_services(variables: dict[str, str] | None = None) -> dict[str, dict]:
    """`-f docker-compose.yml -f docker-compose.local.yml`: every service, enabled or not."""
    merged = {name: dict(service) for name, service in services(variables).items()}
    for name, override in load_local_override(variables)["services"].items():
        merged[name] = merge_service(merged.get(name, {}), override)
    return merged


def merge_service(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if key in MERGED_MAPPINGS and key in base:
            merged[key] = _as_mapping(key, base[key]) | _as_mapping(key, value)
        elif key in MERGED_LISTS and key in base:
            merged[key] = base[key] + [item for item in value if item not in base[key]]
        elif key == "volumes" and key in base:
            kept = [v for v in base[key] if _target(v) not in {_target(o) for o in value}]
            merged[key] = kept + value
        else:
            merged[key] = value
    return merged


def _as_mapping(key: str, value: dict | list) -> dict:
    if isinstance(value, dict):
        return value
    if key == "depends_on":
        return {name: {"condition": "service_started"} for name in value}
    if key == "networks":
        return dict.fromkeys(value)
    return dict(entry.partition("=")[::2] for entry in value)


def _target(volume: str) -> str:
    return volume.split(":")[1]


def enabled(all_services: dict[str, dict], profiles: set[str]) -> dict[str, dict]:
    """The services `up` starts with these profiles on (a service without profiles: always)."""
    return {
        name: service
        for name, service in all_services.items()
        if not service.get("profiles") or set(service["profiles"]) & profiles
    }


def environment(service: dict) -> dict[str, str]:
    """A service's environment as strings, from the mapping or the list form."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(entry.partition("=")[::2] for entry in raw)
    return {name: _as_text(value) for name, value in raw.items()}


def _as_text(value: object) -> str:
    # YAML reads `false` as a boolean; compose passes the text as written.
    if isinstance(value, bool):
        return str(value).lower()
    return "" if value is None else str(value)


def depends_on(service: dict) -> dict[str, str]:
    """Each dependency of a service and its condition."""
    raw = service.get("depends_on") or {}
    if isinstance(raw, list):
        return dict.fromkeys(raw, "service_started")
    return {name: spec.get("condition", "service_started") for name, spec in raw.items()}


def duration_seconds(text: str) -> float:
    """Compose durations as our file writes them: `15s`, `2m`, `1m30s`."""
    units = {"h": 3600, "m": 60, "s": 1}
    parts = re.findall(r"(\d+(?:\.\d+)?)([hms])", text)
    assert parts and "".join(n + u for n, u in parts) == text, f"unreadable duration {text!r}"
    return sum(float(number) * units[unit] for number, unit in parts)


def settings_variables() -> set[str]:
    """The environment variables core/settings.py reads (its upper-case aliases)."""
    return {variable_name(field) for field in Settings.model_fields}


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    instructions = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile_instructions()
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def dockerfile_env(stage: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, arguments in stage:
        if keyword == "ENV":
            env.update(re.findall(r"(\w+)=(\S+)", arguments))
    return env


def dockerignore_patterns() -> list[str]:
    lines = (line.strip() for line in DOCKERIGNORE.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def repo_path(relative: str) -> Path:
    return PROJECT_ROOT / relative
