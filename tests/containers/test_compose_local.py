"""docker-compose.local.yml over docker-compose.yml: the dev server of our image in Temporal's
place, nothing to pull, and every part of ours exactly as the main file runs it."""

import re

import pytest

from core.settings import Settings
from stack.cli import build_parser
from tests.containers.compose_file import (
    OUR_PARTS,
    depends_on,
    dockerfile_env,
    environment,
    final_stage,
    load_local_override,
    merged_services,
    services,
)

POSTGRES_BACKED = {"postgresql", "temporal-schema", "temporal", "temporal-ui"}
DEV_SERVER = "temporal-dev"
OUR_IMAGE = "briefing:local"
EVERY_PROFILE_WE_DOCUMENT = {"offline"}


def local(variables: dict[str, str] | None = None) -> dict[str, dict]:
    """The services `up` starts with the override, with or without the offline LLM."""
    return {
        name: service
        for name, service in merged_services(variables).items()
        if not service.get("profiles") or set(service["profiles"]) & EVERY_PROFILE_WE_DOCUMENT
    }


def image_user() -> str:
    users = [arguments for keyword, arguments in final_stage() if keyword == "USER"]
    return users[-1]


def test_no_postgres_backed_service_starts_whatever_documented_profile_is_on():
    assert not POSTGRES_BACKED & set(local())
    for name in POSTGRES_BACKED:
        assert not set(merged_services()[name]["profiles"]) & EVERY_PROFILE_WE_DOCUMENT, name


def test_nothing_started_needs_an_image_from_a_registry():
    assert {service["image"] for service in local().values()} == {OUR_IMAGE}


def test_our_parts_are_exactly_as_in_the_main_file():
    for name in OUR_PARTS:
        assert merged_services()[name] == services()[name], name
    assert not set(OUR_PARTS) & set(load_local_override()["services"])


def test_every_dependency_of_a_started_service_is_started_too():
    # Compose v1 and v2 both refuse `up` when one is switched off by a profile.
    started = local()
    for name, service in started.items():
        for target, condition in depends_on(service).items():
            assert target in started, f"{name} depends on {target}, which is switched off"
            if condition == "service_healthy" and target not in OUR_PARTS:
                assert "healthcheck" in started[target], f"{target} declares no health check"


def test_web_and_worker_still_wait_for_the_namespace_which_waits_for_the_dev_server():
    for name in ("web", "worker"):
        assert depends_on(local()[name])["temporal-namespace"] == "service_completed_successfully"
    job = local()["temporal-namespace"]
    assert depends_on(job) == {DEV_SERVER: "service_healthy"}
    main_job = services()["temporal-namespace"]
    for key in ("entrypoint", "environment", "volumes", "restart"):
        assert job[key] == main_job[key], key


def test_the_dev_server_is_our_image_running_briefing_server():
    server = local()[DEV_SERVER]
    assert server["image"] == OUR_IMAGE
    args = build_parser().parse_args(server["command"])
    assert args.command == "server" and args.handler.__name__ == "_run_server"
    assert server["networks"]["default"]["aliases"] == ["temporal"]
    assert server["restart"] == services()["temporal"]["restart"]
    assert server["healthcheck"]["test"][1:4] == ["temporal", "operator", "cluster"]


@pytest.mark.parametrize("namespace", ["", "briefs"])
def test_the_dev_server_serves_where_web_and_worker_look_for_it(namespace):
    merged = local({"TEMPORAL_NAMESPACE": namespace})
    image = dockerfile_env(final_stage())
    image.pop("PATH")
    server = Settings(**(image | environment(merged[DEV_SERVER])))
    worker = Settings(**environment(merged["worker"]))
    assert worker.temporal_address == f"temporal:{server.temporal_port}"
    # `briefing server` creates its namespace at launch, the one web and worker use.
    assert server.temporal_namespace == worker.temporal_namespace == (namespace or "default")
    assert server.host == "0.0.0.0" and server.temporal_ui
    published = {port.split(":")[2] for port in merged[DEV_SERVER]["ports"]}
    assert published == {str(server.temporal_port), str(server.temporal_ui_port)}


def test_the_dev_server_publishes_the_host_ports_of_temporal_and_its_ui():
    def host_ports(service: dict) -> list[str]:
        return [port.rsplit(":", 1)[0] for port in service.get("ports", [])]

    main = services()
    expected = host_ports(main["temporal"]) + host_ports(main["temporal-ui"])
    assert sorted(host_ports(local()[DEV_SERVER])) == sorted(expected)
    published = [port for service in local().values() for port in host_ports(service)]
    assert len(published) == len(set(published))
    assert all(port.startswith("127.0.0.1:") for port in published)


def test_its_sqlite_lives_on_a_named_volume_in_a_directory_of_the_image_user():
    server = local()[DEV_SERVER]
    data_dir = environment(server)["BRIEFING_DATA_DIR"]
    (volume,) = server["volumes"]
    name, target = volume.split(":")
    assert target == data_dir and name in load_local_override()["volumes"]
    # A new volume takes the owner of the image's directory: it must be the user's.
    uid = image_user().split(":")[0]
    created = [args for keyword, args in final_stage() if keyword == "RUN"]
    owned = rf"install --directory --owner={uid} (--group=\S+ )?(--mode=\S+ )?{data_dir}\b"
    assert any(re.search(owned, args) for args in created), f"the image makes no {data_dir}"


def test_the_services_it_adds_run_as_the_image_user_with_no_capabilities():
    for name in (DEV_SERVER, "temporal-namespace"):
        service = local()[name]
        assert "user" not in service, name
        assert service["cap_drop"] == ["ALL"] and "cap_add" not in service, name
        assert service["security_opt"] == ["no-new-privileges:true"], name
