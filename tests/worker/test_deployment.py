"""Which build a worker says it is, from its settings and the workflow code."""

import shutil
from pathlib import Path

import pytest
from temporalio.common import VersioningBehavior

from core.settings import PromoteBuild, Settings
from worker.deployment import WORKFLOWS_DIRECTORY, build_id, deployment_config, workflows_digest


@pytest.fixture
def workflows_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "workflows"
    shutil.copytree(WORKFLOWS_DIRECTORY, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_without_a_build_id_the_build_is_the_digest_of_the_workflow_code() -> None:
    settings = Settings(_env_file=None)
    assert build_id(settings) == workflows_digest()
    assert build_id(settings).startswith("workflows-") and len(build_id(settings)) == 22


def test_a_change_to_any_workflow_file_is_a_new_build(workflows_copy: Path) -> None:
    before = workflows_digest(workflows_copy)
    assert workflows_digest(workflows_copy) == before == workflows_digest()
    briefing = workflows_copy / "briefing.py"
    briefing.write_text(briefing.read_text() + "\n# a comment is a change too\n")
    assert workflows_digest(workflows_copy) != before


def test_files_other_than_python_sources_leave_the_build_as_it_is(workflows_copy: Path) -> None:
    before = workflows_digest(workflows_copy)
    (workflows_copy / "notes.txt").write_text("not code")
    assert workflows_digest(workflows_copy) == before


def test_the_worker_registers_the_deployment_and_build_of_its_settings_pinned() -> None:
    settings = Settings(_env_file=None, deployment_name="newsdesk", build_id="release-42")
    config = deployment_config(settings)
    assert config is not None
    assert (config.version.deployment_name, config.version.build_id) == ("newsdesk", "release-42")
    assert config.use_worker_versioning
    assert config.default_versioning_behavior == VersioningBehavior.PINNED


def test_versioning_off_is_an_unversioned_worker() -> None:
    assert deployment_config(Settings(_env_file=None, worker_versioning=False)) is None


def test_the_settings_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_WORKER_VERSIONING", "false")
    monkeypatch.setenv("BRIEFING_DEPLOYMENT_NAME", "newsdesk")
    monkeypatch.setenv("BRIEFING_BUILD_ID", "release-42")
    monkeypatch.setenv("BRIEFING_PROMOTE_BUILD", "always")
    settings = Settings(_env_file=None)
    assert not settings.worker_versioning
    assert (settings.deployment_name, settings.build_id) == ("newsdesk", "release-42")
    assert settings.promote_build == PromoteBuild.ALWAYS


def test_a_blank_build_id_is_the_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_BUILD_ID", " ")
    assert build_id(Settings(_env_file=None)) == workflows_digest()


def test_an_unknown_promotion_policy_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_PROMOTE_BUILD", "sometimes")
    with pytest.raises(ValueError, match="first"):
        Settings(_env_file=None)
