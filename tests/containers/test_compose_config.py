"""The compose file, alone and with docker-compose.local.yml, as the real tools read it:
`docker-compose config` needs no engine.

Debian's `docker-compose` package (v1.29, installed by .ci/run) always runs; the Compose v2
plugin (`docker compose`) too where the docker CLI has it.
"""

import os
import shutil
import subprocess

import pytest
import yaml

from core.settings import PROJECT_ROOT
from tests.containers.compose_file import (
    COMPOSE_FILE,
    LOCAL_OVERRIDE,
    OUR_PARTS,
    depends_on,
    environment,
    merged_services,
    referenced_variables,
    services,
)


def plugin_available(docker: str | None) -> bool:
    if docker is None:
        return False
    return subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0


def available_composes() -> dict[str, list[str]]:
    found = {}
    if shutil.which("docker-compose"):
        found["docker-compose"] = ["docker-compose"]
    docker = shutil.which("docker")
    if docker is not None and plugin_available(docker):
        found["docker compose"] = [docker, "compose"]
    return found


@pytest.fixture(params=["docker-compose", "docker compose"])
def compose(request, tmp_path) -> list[str]:
    available = available_composes()
    if not available and os.environ.get("CI"):
        pytest.fail("no docker-compose: .ci/run installs Debian's package")
    if request.param not in available:
        pytest.skip(f"{request.param} is not installed here")
    empty_env_file = tmp_path / "empty.env"
    empty_env_file.write_text("")
    # A developer's own .env must not decide the outcome.
    options = ["--project-directory", str(PROJECT_ROOT), "--env-file", str(empty_env_file)]
    return available[request.param] + options


def run(command: list[str], *args: str, env: dict[str, str] | None = None) -> str:
    # Only what the test gives: no variable the file reads comes from the shell.
    read = set(referenced_variables())
    clean = {k: v for k, v in os.environ.items() if k not in read and not k.startswith("COMPOSE_")}
    result = subprocess.run(
        [*command, *args],
        cwd=PROJECT_ROOT,
        env=clean | (env or {}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_compose_accepts_the_file_as_it_is(compose):
    run(compose, "config", "--quiet")


def test_compose_sees_the_services_the_tests_read(compose):
    listed = set(run(compose, "--profile", "offline", "config", "--services").split())
    assert listed == set(services())


def test_compose_resolves_the_same_environment_for_our_parts(compose):
    resolved = yaml.safe_load(run(compose, "--profile", "offline", "config"))["services"]
    for name in OUR_PARTS:
        assert environment(resolved[name]) == environment(services()[name]), name


def test_a_key_in_the_environment_reaches_web_worker_and_plain_agent(compose):
    key = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": "https://api.openai.com/v1"}
    resolved = yaml.safe_load(run(compose, "config", env=key))["services"]
    for name in ("web", "worker", "plain"):
        assert environment(resolved[name])["OPENAI_API_KEY"] == "sk-test"
        assert environment(resolved[name])["OPENAI_BASE_URL"] == "https://api.openai.com/v1"


def with_override(compose: list[str]) -> list[str]:
    return [*compose, "-f", str(COMPOSE_FILE), "-f", str(LOCAL_OVERRIDE)]


def test_compose_merges_the_local_override_as_the_tests_do(compose):
    resolved = yaml.safe_load(run(with_override(compose), "config"))["services"]
    expected = merged_services()
    assert set(resolved) == set(expected)
    for name, service in expected.items():
        assert environment(resolved[name]) == environment(service), name
        assert depends_on(resolved[name]) == depends_on(service), name
        for key in ("image", "command", "entrypoint", "profiles", "user", "healthcheck"):
            assert resolved[name].get(key) == service.get(key), f"{name}: {key}"


def test_compose_starts_no_postgres_backed_service_with_the_override(compose):
    listed = set(
        run(with_override(compose), "--profile", "offline", "config", "--services").split()
    )
    if "docker-compose" in compose[0]:
        listed = {  # v1 lists every service, switched off or not: keep those it would start
            name
            for name, service in merged_services().items()
            if name in listed and (not service.get("profiles") or "offline" in service["profiles"])
        }
    assert listed == set(OUR_PARTS) | {"temporal-dev", "temporal-namespace"}
