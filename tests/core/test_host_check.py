"""Host names our servers answer, read the way a rebinding attacker would try to bend them,
then sent to each server we run: a page rebound to 127.0.0.1 still says `Host: attacker.test`."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.types import ASGIApp

from core.host_check import REFUSAL, allowed_host_names, is_allowed_host
from core.settings import Settings
from demo.newsroom.server import create_app as create_newsroom
from demo.offline_llm.server import create_app as create_offline_llm
from testing.servers import serve_in_thread
from web.app import create_app as create_web

ALLOWED = allowed_host_names("127.0.0.1", ["briefing.example.org", "newsroom"])


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "localhost:8000",
        "127.0.0.1:8000",
        "[::1]:8000",
        "[::1]",
        "::1",
        "Briefing.Example.Org",
        "briefing.example.org.:443",
        "newsroom:8100",
    ],
)
def test_loopback_and_configured_names_are_answered(host: str) -> None:
    assert is_allowed_host(host, ALLOWED)


@pytest.mark.parametrize(
    "host",
    [
        None,
        "",
        "attacker.test",
        "attacker.test:8000",
        "localhost.attacker.test",
        "127.0.0.1.nip.io",
        "[::1",
        "evil.example.org:80",
        "127.0.0.2",
    ],
)
def test_any_other_name_is_refused(host: str | None) -> None:
    assert not is_allowed_host(host, ALLOWED)


def test_a_wildcard_bind_adds_no_name() -> None:
    assert allowed_host_names("0.0.0.0") == allowed_host_names()


@dataclass(frozen=True)
class Server:
    build: Callable[[Settings, list[str]], ASGIApp]
    # A request that changes something, its answer when it does, and a read of the state.
    change: tuple[str, dict]
    done: int
    read: str


SERVERS = {
    "web": Server(
        lambda settings, names: create_web(settings.model_copy(update={"allowed_hosts": names})),
        ("/api/briefings", {"topic": "science"}),
        202,  # 200 would say a refused request with the same key had started it
        "/api/briefings",
    ),
    "newsroom": Server(
        lambda settings, names: create_newsroom(allowed_hosts=allowed_host_names(extra=names)),
        ("/_admin/faults", {"feed": "*", "mode": "error"}),
        201,
        "/_admin/faults",
    ),
    "offline LLM": Server(
        lambda settings, names: create_offline_llm(allowed_hosts=allowed_host_names(extra=names)),
        ("/_admin/faults", {"mode": "error"}),
        200,
        "/_admin/faults",
    ),
}


@pytest.mark.parametrize("server", SERVERS.values(), ids=SERVERS.keys())
def test_each_server_refuses_a_foreign_host_before_any_route(settings, server: Server) -> None:
    with serve_in_thread(server.build(settings, ["briefing.example.org"])) as url:
        port = urlsplit(url).port
        path, body = server.change
        key = {"Idempotency-Key": f"rebinding-{uuid.uuid4()}"}
        with httpx.Client(base_url=url, timeout=15) as client:
            before = client.get(server.read).json()
            for host in ("attacker.test", f"attacker.test:{port}", f"localhost.test:{port}"):
                read = client.get(server.read, headers={"Host": host})
                changed = client.post(path, json=body, headers={"Host": host, **key})
                assert read.status_code == changed.status_code == 400, host
                assert read.text == changed.text == REFUSAL
            after = client.get(server.read).json()
            done = client.post(path, json=body, headers=key)
    assert after == before  # the refused changes changed nothing
    assert done.status_code == server.done, done.text


@pytest.mark.parametrize("server", SERVERS.values(), ids=SERVERS.keys())
def test_each_server_answers_loopback_and_its_configured_names(settings, server: Server) -> None:
    with serve_in_thread(server.build(settings, ["briefing.example.org"])) as url:
        port = urlsplit(url).port
        with httpx.Client(base_url=url, timeout=15) as client:
            for host in ("localhost", f"127.0.0.1:{port}", f"[::1]:{port}", "briefing.example.org"):
                assert client.get(server.read, headers={"Host": host}).status_code == 200, host
