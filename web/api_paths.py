"""Which URLs belong to the machine-facing side: they answer JSON and take no cookies."""

API_PREFIX = "/api"
_OTHER_JSON_PATHS = frozenset({"/healthz", "/openapi.json"})


def is_api_path(path: str) -> bool:
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def answers_json(path: str) -> bool:
    return is_api_path(path) or path in _OTHER_JSON_PATHS
