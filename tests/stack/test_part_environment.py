"""What each part of `briefing up` is given: its settings, and only the secrets it uses."""

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from core.settings import PromoteBuild, Settings, get_settings
from stack.parts import part_environment, stack_parts, variable_name

PARTS = ["server", "newsroom", "llm", "worker", "plain", "web"]
SECRETS = {
    "OPENAI_API_KEY": "sk-openai-secret",
    "TEMPORAL_API_KEY": "temporal-cloud-secret",
    "BRIEFING_SECRET_KEY": "csrf-signing-secret",
}
CONTROL_TOKEN = "control-token-secret"
# The secrets each part may hold, by variable name.
ALLOWED = {
    "web": {"TEMPORAL_API_KEY", "BRIEFING_SECRET_KEY", "BRIEFING_CONTROL_TOKEN"},
    "worker": {"TEMPORAL_API_KEY", "OPENAI_API_KEY"},
    # The plain agent calls the LLM and nothing else: no Temporal, no pages, no control API.
    "plain": {"OPENAI_API_KEY"},
}
# The parts that send traces, and so take the shell's OpenTelemetry variables.
TRACED = {"web", "worker"}
LLM_CALLERS = {part for part, allowed in ALLOWED.items() if "OPENAI_API_KEY" in allowed}
SETTINGS_VARIABLES = [variable_name(field) for field in Settings.model_fields]


@pytest.fixture
def clean_environment(monkeypatch) -> pytest.MonkeyPatch:
    """This process's environment without any setting, so each test says what `up` was given."""
    for variable in SETTINGS_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


@pytest.fixture
def fresh_get_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def as_seen_by(part_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The settings the part builds from exactly the environment it was given."""
    with monkeypatch.context() as inside:
        for variable in SETTINGS_VARIABLES:
            inside.delenv(variable, raising=False)
        for variable, value in part_env.items():
            inside.setenv(variable, value)
        get_settings.cache_clear()
        return get_settings()


def environments(settings: Settings) -> dict[str, dict[str, str]]:
    return {part: part_environment(settings, part, control_token=CONTROL_TOKEN) for part in PARTS}


def secrets_in(env: dict[str, str]) -> set[str]:
    values = set(env.values())
    named = {name for name, secret in SECRETS.items() if secret in values}
    return named | ({"BRIEFING_CONTROL_TOKEN"} if CONTROL_TOKEN in values else set())


def test_each_secret_reaches_only_the_parts_that_use_it(clean_environment, tmp_path):
    for variable, secret in SECRETS.items():
        clean_environment.setenv(variable, secret)
    settings = Settings(_env_file=None, data_dir=tmp_path)
    for part, env in environments(settings).items():
        assert secrets_in(env) == ALLOWED.get(part, set()), part


def test_keys_in_dotenv_reach_only_their_parts_and_no_part_reads_dotenv(
    clean_environment, tmp_path, fresh_get_settings
):
    dotenv = tmp_path / ".env"
    dotenv.write_text("OPENAI_API_KEY=sk-openai-secret\nBRIEFING_FEEDS=http://a.test/f.xml\n")
    clean_environment.chdir(tmp_path)
    up_settings = get_settings()  # `up` reads .env, as `briefing web` run alone still does
    assert up_settings.openai_api_key is not None
    for part, env in environments(up_settings).items():
        seen = as_seen_by(env, clean_environment)
        has_key = seen.openai_api_key is not None
        assert has_key == (part in LLM_CALLERS), part
        assert seen.feeds == ["http://a.test/f.xml"], part  # the rest of .env reaches everyone


def test_the_web_knows_the_llm_is_real_without_holding_its_key(clean_environment, tmp_path):
    clean_environment.setenv("OPENAI_API_KEY", "sk-openai-secret")
    clean_environment.setenv("OPENAI_BASE_URL", "https://llm.example/v1")
    settings = Settings(_env_file=None, data_dir=tmp_path)
    assert "llm" not in [part.name for part in stack_parts(settings)]
    web = as_seen_by(part_environment(settings, "web", control_token="t"), clean_environment)
    assert web.openai_api_key is None
    assert not web.uses_offline_llm
    assert web.offline_llm_url is None  # no chaos buttons aimed at a real provider
    assert web.llm_model == settings.llm_model == "gpt-4o-mini"
    worker = as_seen_by(part_environment(settings, "worker", control_token="t"), clean_environment)
    assert worker.openai_api_key == SecretStr("sk-openai-secret")
    assert worker.llm_base_url == "https://llm.example/v1"
    # The plain agent calls the same LLM as the worker, with the same key.
    plain = as_seen_by(part_environment(settings, "plain", control_token="t"), clean_environment)
    assert plain.openai_api_key == SecretStr("sk-openai-secret")
    assert plain.llm_base_url == "https://llm.example/v1" and plain.llm_model == "gpt-4o-mini"


def test_the_plain_agent_is_a_part_after_the_worker_on_its_own_port(clean_environment, tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path, plain_port=8499)
    parts = [(part.name, part.port) for part in stack_parts(settings)]
    assert [name for name, _ in parts] == PARTS
    assert dict(parts)["plain"] == 8499
    web = as_seen_by(part_environment(settings, "web", control_token="t"), clean_environment)
    assert web.plain_agent_url == "http://127.0.0.1:8499"  # where the comparisons find it


def test_without_a_key_every_part_uses_the_offline_llm(clean_environment, tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path, llm_port=8299)
    for part, env in environments(settings).items():
        seen = as_seen_by(env, clean_environment)
        assert seen.uses_offline_llm and seen.offline_llm_url == "http://127.0.0.1:8299", part


def test_the_presenters_other_secrets_stay_in_their_shell(clean_environment, tmp_path):
    clean_environment.setenv("AWS_SECRET_ACCESS_KEY", "aws-secret")
    clean_environment.setenv("GITHUB_TOKEN", "gh-secret")
    clean_environment.setenv("PYTHONPATH", "/somewhere")
    for part, env in environments(Settings(_env_file=None, data_dir=tmp_path)).items():
        assert "AWS_SECRET_ACCESS_KEY" not in env and "GITHUB_TOKEN" not in env, part
        assert env["PYTHONPATH"] == "/somewhere" and "PATH" in env, part


def test_what_up_resolved_is_what_each_part_reads(clean_environment, tmp_path):
    resolved = Settings(
        _env_file=None,
        data_dir=tmp_path,
        feeds=["http://a.test/f.xml", "http://b.test/g.xml"],
        allowed_hosts=["briefing.example"],
        public_url="https://briefing.example",
        temporal_tls=True,
        llm_tokens_per_second=2.5,
        review_timeout_seconds=60,
        web_port=8123,
        fallback_model="small-model",
        otlp_endpoint="http://collector:4318",
    )
    for part, env in environments(resolved).items():
        seen = as_seen_by(env, clean_environment)
        for field in resolved.model_fields_set:
            assert getattr(seen, field) == getattr(resolved, field), (part, field)
        assert seen.host_names == resolved.host_names, part


def test_up_makes_each_new_build_of_its_worker_current(clean_environment, tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path)
    for part, env in environments(settings).items():
        seen = as_seen_by(env, clean_environment)
        expected = PromoteBuild.ALWAYS if part == "worker" else PromoteBuild.FIRST
        assert seen.promote_build == expected, part


def test_up_passes_on_a_promotion_policy_it_was_given(clean_environment, tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path, promote_build=PromoteBuild.NEVER)
    worker = part_environment(settings, "worker", control_token=CONTROL_TOKEN)
    assert as_seen_by(worker, clean_environment).promote_build == PromoteBuild.NEVER


def test_the_shells_opentelemetry_variables_reach_the_traced_parts_alone(
    clean_environment, tmp_path
):
    # Exporter headers may carry a collector's key: a part that sends no traces needs none.
    clean_environment.setenv("OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=collector-secret")
    clean_environment.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
    for part, env in environments(Settings(_env_file=None, data_dir=tmp_path)).items():
        assert ("OTEL_EXPORTER_OTLP_HEADERS" in env) == (part in TRACED), part
        seen = as_seen_by(env, clean_environment)
        if part in TRACED:
            assert seen.otlp_endpoint == "http://collector:4318", part
