"""The control API under attack: rebinding Hosts, slow clients, garbage lengths, parts not offered.

The control API runs in this process, before any part is started, so its threads can be counted.
"""

import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from core.settings import Settings
from stack.control_api import ControlServer
from stack.control_http import MAX_REQUEST_THREADS, REQUEST_DEADLINE_SECONDS
from stack.control_models import KILL_THE_SERVERS, PANEL_PART_ACTIONS
from stack.supervisor import Supervisor
from testing.polling import wait_for
from testing.temporal_dev import free_port

# Generous: the machine is shared, and a closed socket is all these tests wait for.
CLOSE_WAIT_SECONDS = REQUEST_DEADLINE_SECONDS + 10


@pytest.fixture
def supervisor(tmp_path) -> Supervisor:
    settings = Settings(
        _env_file=None, data_dir=tmp_path, control_port=free_port(), openai_api_key=None
    )
    return Supervisor(settings, restart_delay=1.0, restart=True)


@pytest.fixture
def control(supervisor: Supervisor) -> Iterator[httpx.Client]:
    server = ControlServer(supervisor)
    server.start()
    url = f"http://127.0.0.1:{supervisor.settings.control_port}"
    headers = {"Authorization": f"Bearer {supervisor.control_token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=5) as client:
        yield client
    server.close()


def raw_socket(control: httpx.Client, request: bytes) -> socket.socket:
    connection = socket.create_connection((control.base_url.host, control.base_url.port))
    connection.settimeout(CLOSE_WAIT_SECONDS)
    connection.sendall(request)
    return connection


def answer_or_close(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes (b"" when it closes without a word)."""
    received = b""
    try:
        while chunk := connection.recv(4096):
            received += chunk
    except ConnectionResetError:
        pass
    return received


def wait_for_threads(at_most: int) -> None:
    wait_for(
        threading.active_count,
        CLOSE_WAIT_SECONDS,
        f"at most {at_most} threads",
        until=lambda count: count <= at_most,
        interval=0.05,
    )


def test_a_rebound_host_is_refused_before_the_token_or_any_action(control, supervisor):
    for host in ("attacker.test", "attacker.test:8300", "127.0.0.1.attacker.test", ""):
        response = control.post(
            "/actions", headers={"Host": host}, json={"source": "x", "text": "y"}
        )
        assert response.status_code == 400, host
        assert "unknown host" in response.json()["error"]
    assert supervisor.actions.entries() == []
    assert control.get("/parts", headers={"Host": "localhost:8300"}).status_code == 200


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", "0x10", " ", "٣"])
def test_a_garbage_content_length_is_a_400_not_a_500(control, length):
    token = control.headers["Authorization"]
    request = (
        f"POST /actions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {token}\r\n"
        f"Content-Length: {length}\r\n\r\n"
    )
    answer = answer_or_close(raw_socket(control, request.encode()))
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.split()[1] == b"400", answer
    assert json.loads(rest.partition(b"\r\n\r\n")[2]) == {
        "error": "Content-Length is not a byte count"
    }


def test_two_content_lengths_are_refused(control):
    token = control.headers["Authorization"]
    request = (
        f"POST /actions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {token}\r\n"
        "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}"
    )
    assert b" 400 " in answer_or_close(raw_socket(control, request.encode())).split(b"\r\n")[0]


def test_unauthenticated_posts_with_an_unsent_body_are_answered_401_at_once(control):
    baseline = threading.active_count()
    request = b"POST /parts/worker/kill HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n"
    intruders = [raw_socket(control, request) for _ in range(200)]
    answers = [answer_or_close(intruder) for intruder in intruders]
    # Answered from the headers: a server waiting for the body would close them unanswered.
    assert all(answer.startswith(b"HTTP/1.0 401") for answer in answers), answers[0]
    wait_for_threads(baseline)
    for intruder in intruders:
        intruder.close()


def test_half_sent_headers_are_closed_at_the_deadline_and_others_are_served_meanwhile(control):
    baseline = threading.active_count()
    slow = [raw_socket(control, b"GET /parts HTTP/1.1\r\nHost: 127.0") for _ in range(8)]
    time.sleep(0.5)
    assert control.get("/parts").status_code == 200
    assert [answer_or_close(connection) for connection in slow] == [b""] * len(slow)
    wait_for_threads(baseline)


def test_a_trickling_client_is_closed_at_the_deadline_though_it_keeps_sending(control):
    trickler = raw_socket(control, b"GET /parts HTTP/1.1\r\n")
    started = time.monotonic()
    with pytest.raises((BrokenPipeError, ConnectionResetError)):
        while time.monotonic() - started < CLOSE_WAIT_SECONDS + 5:
            trickler.sendall(b"X-Slow: 1\r\n")
            time.sleep(0.5)
    assert time.monotonic() - started < CLOSE_WAIT_SECONDS + 5


def test_an_authenticated_request_whose_body_never_comes_is_closed_unanswered(control):
    token = control.headers["Authorization"]
    request = (
        f"POST /actions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {token}\r\n"
        "Content-Length: 100\r\n\r\n{"
    )
    assert answer_or_close(raw_socket(control, request.encode())) == b""


def test_slow_clients_hold_at_most_the_thread_cap_and_the_rest_are_closed_at_once(control):
    baseline = threading.active_count()
    slow = [raw_socket(control, b"GET /parts HTTP/1.1\r\n") for _ in range(MAX_REQUEST_THREADS * 3)]
    time.sleep(1)
    assert threading.active_count() <= baseline + MAX_REQUEST_THREADS
    assert [answer_or_close(connection) for connection in slow] == [b""] * len(slow)
    wait_for_threads(baseline)
    assert control.get("/parts").status_code == 200


@pytest.mark.parametrize(
    ("part", "action"),
    [
        ("server", "kill"),
        ("newsroom", "kill"),
        ("llm", "kill"),
        ("web", "start"),
        ("server", "start"),
    ],
)
def test_part_actions_the_panel_does_not_offer_are_forbidden(control, supervisor, part, action):
    response = control.post(f"/parts/{part}/{action}", json={})
    assert response.status_code == 403, response.text
    assert "not offered" in response.json()["error"]
    assert supervisor.actions.entries() == []  # refused before the supervisor heard of it


def test_the_offered_part_actions_reach_the_supervisor(control):
    for offer in PANEL_PART_ACTIONS:
        response = control.post(f"/parts/{offer.part}/{offer.action}", json={})
        # Nothing runs in this test: a kill finds the part stopped, a start is accepted.
        assert response.status_code in (200, 409), (offer, response.text)
    assert control.post("/parts/scheduler/kill", json={}).status_code == 404


@pytest.mark.parametrize("parts", [["worker", "server"], ["plain", "llm"], ["newsroom"]])
def test_a_group_kill_naming_a_part_the_panel_does_not_kill_is_forbidden(
    control, supervisor, parts
):
    response = control.post("/parts/kill", json={"parts": parts})
    assert response.status_code == 403, response.text
    assert "not offered" in response.json()["error"]
    assert supervisor.actions.entries() == []


@pytest.mark.parametrize("parts", [[], ["worker", "worker"], "worker"])
def test_a_group_kill_names_each_part_once(control, supervisor, parts):
    response = control.post("/parts/kill", json={"parts": parts})
    assert response.status_code == 422, response.text
    assert supervisor.actions.entries() == []


def test_a_group_kill_of_an_unknown_part_is_404(control):
    response = control.post("/parts/kill", json={"parts": ["worker", "scheduler"]})
    assert response.status_code == 404 and "scheduler" in response.json()["error"]


@pytest.fixture
def servers(supervisor: Supervisor) -> Iterator[dict[str, subprocess.Popen]]:
    """Stand-ins for the worker and the plain agent, running as `up` would show them."""
    processes = {}
    for child in supervisor.children:
        if child.spec.name in KILL_THE_SERVERS.parts:
            child.process = processes[child.spec.name] = subprocess.Popen(["sleep", "60"])
            child.set_state("running")
    yield processes
    for process in processes.values():
        process.kill()
        process.wait()


def test_kill_the_servers_signals_both_and_holds_neither_with_a_delay(control, supervisor, servers):
    request = {"parts": list(KILL_THE_SERVERS.parts), "restart_after": 8}
    response = control.post("/parts/kill", json=request)
    assert response.status_code == 202, response.text
    parts = response.json()["parts"]
    assert [part["name"] for part in parts] == list(KILL_THE_SERVERS.parts)
    assert not any(part["held"] for part in parts)
    for process in servers.values():
        assert process.wait(timeout=5) == -9  # SIGKILL
    [report] = [action.text for action in supervisor.actions.entries()]
    assert "SIGKILL sent to worker" in report and "and plain" in report and "at once" in report
    assert "back 8s after they exit" in report


def test_kill_the_servers_kills_none_when_one_is_not_running(control, supervisor, servers):
    servers["plain"].kill()
    servers["plain"].wait()
    response = control.post("/parts/kill", json={"parts": list(KILL_THE_SERVERS.parts)})
    assert response.status_code == 409 and "plain" in response.json()["error"], response.text
    time.sleep(1)  # a kill is sent 0.3 s after its answer
    assert servers["worker"].poll() is None, "the worker was killed alone"
