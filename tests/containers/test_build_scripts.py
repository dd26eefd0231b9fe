"""The build scripts' arguments and the pip settings they pass into a build (no engine needed)."""

import configparser
import subprocess
import sys

from core.settings import PROJECT_ROOT

LOCAL_BASES = PROJECT_ROOT / "docker" / "local-bases.sh"
BUILD_IMAGE = PROJECT_ROOT / "docker" / "build-image.sh"
PIP_CONFIG_FOR_BUILD = PROJECT_ROOT / "docker" / "pip_config_for_build.py"

HOST_PIP_CONFIG = """\
:env:.cert='/etc/ssl/certs/ca-certificates.crt'
:env:.default-timeout='180'
:env:.find-links='/opt/wheels'
global.constraint='/etc/xdg/pip/constraints.txt'
global.extra-index-url='file:///opt/pypi/simple https://mirror.example/simple'
global.index-url='https://proxy.example/pypi/simple'
global.timeout='15'
install.trusted-host='proxy.example'
"""


def run(command: list[str], stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, input=stdin, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", **env}
    )


def pip_config_for_build(*arguments: str) -> configparser.ConfigParser:
    result = run([sys.executable, str(PIP_CONFIG_FOR_BUILD), *arguments], HOST_PIP_CONFIG)
    assert result.returncode == 0, result.stderr
    config = configparser.ConfigParser(interpolation=None)
    config.read_string(result.stdout)
    return config


def test_the_build_gets_the_network_settings_and_none_of_the_host_paths():
    config = pip_config_for_build()
    assert dict(config["global"]) == {
        "index-url": "https://proxy.example/pypi/simple",
        "extra-index-url": "https://mirror.example/simple",
        # PIP_DEFAULT_TIMEOUT wins over the file's timeout, as it does in pip.
        "timeout": "180",
    }
    assert dict(config["install"]) == {"trusted-host": "proxy.example"}


def test_the_host_certificate_bundle_is_named_at_its_path_inside_the_build():
    config = pip_config_for_build("--cert", "/run/secrets/ca-certificates")
    assert config["global"]["cert"] == "/run/secrets/ca-certificates"
    host_cert = run(
        [sys.executable, str(PIP_CONFIG_FOR_BUILD), "--print-host-cert"], HOST_PIP_CONFIG
    )
    assert host_cert.stdout.strip() == "/etc/ssl/certs/ca-certificates.crt"


def test_local_bases_prints_the_tag_it_builds_and_honours_an_override():
    default = run(["bash", str(LOCAL_BASES), "--print-tag"])
    assert default.stdout.strip().endswith("python:3.11-bookworm")
    chosen = run(["bash", str(LOCAL_BASES), "--print-tag"], LOCAL_PYTHON_IMAGE="mine/py:1")
    assert chosen.stdout.strip() == "mine/py:1"


def test_the_scripts_refuse_an_unknown_argument_before_touching_docker():
    for command in (
        ["bash", str(LOCAL_BASES), "--frobnicate"],
        ["bash", str(BUILD_IMAGE), "--frobnicate"],
        ["bash", str(BUILD_IMAGE), "--bases", "somewhere"],
    ):
        result = run(command)
        assert result.returncode == 2, command
        assert "unknown argument" in result.stderr or "--bases is" in result.stderr
