"""docker-compose.yml refers only to things that exist, and runs our parts as the CLI knows them."""

import re
from urllib.parse import urlsplit

import pytest

from core.host_check import is_allowed_host
from core.metrics import web_metrics_ports, worker_metrics_ports
from core.settings import PromoteBuild, Settings
from stack.cli import build_parser
from tests.containers.compose_file import (
    COMPOSE_DEFAULT_GRACE_SECONDS,
    OUR_PARTS,
    VARIABLE,
    compose_text,
    depends_on,
    duration_seconds,
    environment,
    load_compose,
    referenced_variables,
    repo_path,
    services,
    settings_variables,
)
from worker.deployment import build_id, workflows_digest

README_SECTION = re.compile(r"^## Containers\n(?P<body>.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)
PART_HANDLERS = {"web", "worker", "plain", "newsroom", "llm"}
# A one-shot job retries a few times, then fails `up` (a wrong password) instead of looping.
ONE_SHOT_RESTART = re.compile(r"on-failure:[1-9]")
TEMPORAL_IMAGES = ("temporalio/server", "temporalio/admin-tools", "temporalio/ui")


def ours(name: str) -> bool:
    return name in OUR_PARTS


def test_the_compose_file_uses_only_plain_and_defaulted_variables():
    stray = re.sub(VARIABLE, "", compose_text())
    assert "$" not in stray, "only ${NAME} and ${NAME:-default} are understood by these tests"


def test_every_service_has_an_image_or_a_build_and_outside_images_are_pinned():
    for name, service in services().items():
        assert "image" in service or "build" in service, name
        if "build" in service:
            assert service["build"] == "." and ours(name), name
            continue
        repository, _, tag = service["image"].rpartition(":")
        assert repository and tag and tag != "latest", f"{name}: pin {service['image']}"


def test_our_parts_share_one_image_built_from_the_dockerfile():
    ours_by_image = {services()[name]["image"] for name in OUR_PARTS}
    assert ours_by_image == {"briefing:local"}
    assert repo_path("Dockerfile").is_file()


def test_every_command_of_our_parts_is_a_real_briefing_subcommand():
    parser = build_parser()
    for name in OUR_PARTS:
        command = services()[name]["command"]
        args = parser.parse_args(command)
        assert args.command == name
        assert args.handler.__name__ == f"_run_{name}"
    assert PART_HANDLERS == set(OUR_PARTS)


def test_depends_on_names_existing_services_with_conditions_they_can_meet():
    all_services = services()
    for name, service in all_services.items():
        for target, condition in depends_on(service).items():
            assert target in all_services, f"{name} depends on unknown {target}"
            assert condition in {"service_healthy", "service_completed_successfully"}, name
            dependency = all_services[target]
            if condition == "service_healthy":
                # Our image carries its HEALTHCHECK (Dockerfile); others declare one here.
                assert "healthcheck" in dependency or ours(target), f"{target} has no health"
            else:
                assert ONE_SHOT_RESTART.fullmatch(dependency.get("restart", "")), target


def test_nothing_depends_on_the_offline_llm_which_a_profile_may_leave_out():
    all_services = services()
    assert all_services["llm"]["profiles"] == ["offline"]
    for name, service in all_services.items():
        assert "llm" not in depends_on(service), name
        assert "profiles" not in service or name == "llm", name


def test_named_volumes_are_declared_and_bind_mounts_exist_in_the_repository():
    compose = load_compose()
    declared = set(compose.get("volumes") or {})
    used = set()
    for name, service in compose["services"].items():
        for volume in service.get("volumes") or []:
            source = volume.split(":")[0]
            if source.startswith("."):
                assert repo_path(source).exists(), f"{name} mounts missing {source}"
            else:
                used.add(source)
    assert used == declared


def test_no_fixed_container_names_and_workers_publish_no_ports_so_they_scale():
    for name, service in services().items():
        assert "container_name" not in service, name
    worker = services()["worker"]
    assert "ports" not in worker and "hostname" not in worker


def test_the_plain_agent_is_reached_inside_the_network_only():
    assert "ports" not in services()["plain"]


def test_published_ports_are_on_loopback_unique_and_documented():
    published = []
    readme = README_SECTION.search(repo_path("README.md").read_text())
    assert readme, "README.md has no '## Containers' section"
    for name, service in services().items():
        for port in service.get("ports") or []:
            host_ip, host_port, container_port = port.split(":")
            assert host_ip == "127.0.0.1", f"{name} publishes {port} beyond this machine"
            published.append(host_port)
            assert host_port in readme["body"], f"README Containers does not mention {host_port}"
    assert len(published) == len(set(published))


def test_our_parts_get_only_settings_the_app_reads():
    known = settings_variables()
    for name in OUR_PARTS:
        unknown = set(environment(services()[name])) - known
        assert not unknown, f"{name}: not read by core/settings.py: {unknown}"


def test_every_variable_outside_the_app_settings_is_documented_in_the_readme():
    readme = README_SECTION.search(repo_path("README.md").read_text())["body"]
    for variable in set(referenced_variables()) - settings_variables():
        assert variable in readme, f"README Containers does not explain {variable}"
    assert "COMPOSE_PROFILES=offline" in readme


def test_web_and_worker_agree_on_temporal_the_llm_and_the_model():
    web, worker = (environment(services()[name]) for name in ("web", "worker"))
    shared = set(web) & set(worker)
    for name in ("TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "BRIEFING_TASK_QUEUE"):
        assert name in shared
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFING_MODEL", "BRIEFING_NEWSROOM_URL"):
        assert web[name] == worker[name], name
    assert web["BRIEFING_PLAIN_URL"] == worker["BRIEFING_PLAIN_URL"]


@pytest.mark.parametrize("key", ["", "sk-test"])
def test_the_plain_agent_runs_on_the_llm_model_and_feeds_the_worker_runs_on(key):
    variables = {"OPENAI_API_KEY": key, "BRIEFING_MODEL": "some-model" if key else ""}
    worker, plain = (
        Settings(**environment(services(variables)[name])) for name in ("worker", "plain")
    )
    assert plain.openai_api_key == worker.openai_api_key
    assert (plain.llm_base_url, plain.llm_model) == (worker.llm_base_url, worker.llm_model)
    assert plain.default_sources == worker.default_sources
    # It has no Temporal of its own to be given a key for, nor pages to sign.
    assert plain.temporal_api_key is None and plain.secret_key is None


@pytest.mark.parametrize("key", ["", "sk-test"])
def test_the_addresses_our_parts_use_are_the_services_and_ports_that_serve_them(key):
    all_services = services({"OPENAI_API_KEY": key})
    worker = Settings(**environment(all_services["worker"]))
    targets = {
        "temporal": worker.temporal_address,
        "newsroom": worker.default_newsroom_url,
        "llm": worker.llm_base_url,
        "plain": worker.plain_agent_url,
    }
    listening = {
        "temporal": 7233,
        "newsroom": Settings(**environment(all_services["newsroom"])).newsroom_port,
        "llm": Settings(**environment(all_services["llm"])).llm_port,
        "plain": Settings(**environment(all_services["plain"])).plain_port,
    }
    for service, address in targets.items():
        parts = urlsplit(address if "://" in address else f"tcp://{address}")
        assert (parts.hostname, parts.port) == (service, listening[service]), address
    assert worker.uses_offline_llm == (not key)


def test_the_parts_reached_by_service_name_answer_that_host_name_and_no_other():
    all_services = services()
    worker = Settings(**environment(all_services["worker"]))
    newsroom = Settings(**environment(all_services["newsroom"]))
    llm = Settings(**environment(all_services["llm"]))
    plain = Settings(**environment(all_services["plain"]))
    answered = {
        worker.default_newsroom_url: newsroom.newsroom_host_names,
        worker.llm_base_url: llm.host_names,
        worker.plain_agent_url: plain.host_names,
    }
    for address, names in answered.items():
        assert is_allowed_host(urlsplit(address).netloc, names), address
        assert not is_allowed_host("attacker.test", names)
    # Story links open in the reader's browser, at the newsroom's public address.
    assert is_allowed_host(urlsplit(newsroom.newsroom_public_url).netloc, newsroom.host_names)


def test_the_worker_stop_grace_period_outlasts_its_graceful_shutdown():
    worker = services()["worker"]
    assert worker["stop_signal"] == "SIGTERM"
    grace = duration_seconds(worker["stop_grace_period"])
    assert grace >= Settings(**environment(worker)).worker_shutdown_grace_seconds + 3
    for name in ("web", "plain", "newsroom", "llm"):
        grace = services()[name].get("stop_grace_period")
        assert grace is None or duration_seconds(grace) >= COMPOSE_DEFAULT_GRACE_SECONDS


def test_a_new_image_of_the_worker_is_its_own_build_made_current_as_it_starts():
    worker = Settings(**environment(services()["worker"]))
    assert worker.worker_versioning and worker.deployment_name == "briefing"
    assert build_id(worker) == workflows_digest()  # the image's workflow code names the build
    assert worker.promote_build == PromoteBuild.ALWAYS  # `up --build` replaces the old workers
    named = Settings(**environment(services({"BRIEFING_BUILD_ID": "release-42"})["worker"]))
    assert build_id(named) == "release-42"


def test_the_chaos_panel_is_off_unless_the_presenter_turns_it_on():
    assert environment(services()["web"])["BRIEFING_CHAOS_ENABLED"] == "false"
    web = services({"BRIEFING_CHAOS_ENABLED": "true"})["web"]
    assert Settings(**environment(web)).chaos_enabled


def test_traces_are_off_until_ops_name_a_collector_and_then_web_and_worker_send_there():
    collector = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://jaeger:4318"}
    for name in ("web", "worker"):
        assert Settings(**environment(services()[name])).otlp_endpoint is None, name
        traced = Settings(**environment(services(collector)[name]))
        assert traced.otlp_endpoint == "http://jaeger:4318", name


def test_every_one_shot_job_gives_up_after_a_few_tries():
    jobs = [name for name, service in services().items() if "entrypoint" in service]
    assert set(jobs) == {"temporal-schema", "temporal-namespace"}
    for name in jobs:
        assert ONE_SHOT_RESTART.fullmatch(services()[name]["restart"]), name


def test_postgres_counts_as_ready_only_once_it_answers_over_tcp():
    # On first start the image's temporary server listens on the socket only.
    test = services()["postgresql"]["healthcheck"]["test"]
    assert test[:2] == ["CMD", "pg_isready"] and "--host=127.0.0.1" in test


def test_the_setup_scripts_hide_no_failure():
    for script in repo_path("docker/temporal").glob("*.sh"):
        text = script.read_text()
        assert "set -eu" in text, script.name
        assert not re.search(r"\|\|\s*(echo|true|:)", text), f"{script.name} swallows an error"


def test_the_server_runs_without_an_authorizer_on_purpose():
    assert environment(services()["temporal"])["TEMPORAL_ALLOW_NO_AUTH"] == "true"


def test_temporal_images_are_one_release_and_their_fallbacks_are_documented():
    tags = {}
    for service in services().values():
        repository, _, tag = service.get("image", "").rpartition(":")
        if repository in TEMPORAL_IMAGES:
            tags.setdefault(repository, set()).add(tag)
    assert set(tags) == set(TEMPORAL_IMAGES)
    assert all(len(found) == 1 for found in tags.values()), tags
    assert tags["temporalio/server"] == tags["temporalio/admin-tools"]
    docs = repo_path("docs/containers.md").read_text()
    for repository, (tag,) in tags.items():
        assert f"{repository}:{tag}" in docs, f"docs/containers.md does not name {repository}:{tag}"


def test_the_web_publishes_its_metrics_port_and_each_worker_exposes_its_own():
    all_services = services()
    web = Settings(**environment(all_services["web"]))
    worker = Settings(**environment(all_services["worker"]))
    published = {port.split(":")[2] for port in all_services["web"]["ports"]}
    assert web_metrics_ports(web) and {str(port) for port in web_metrics_ports(web)} <= published
    exposed = [str(port) for port in all_services["worker"]["expose"]]
    assert worker_metrics_ports(worker) and exposed == [str(worker.worker_metrics_port)]
