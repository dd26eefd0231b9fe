"""`briefing web --processes 2`: two processes on one port, one CSRF key, live streams, one stop.

Which process answered a request is read from /proc while its connection is kept alive: the
process holding the server's end of that TCP connection. The product has no endpoint for it.
"""

import os
import signal
import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from core.settings import Settings
from stack.parts import settings_variables
from testing.polling import wait_for
from testing.sse_client import read_until_close
from testing.stack_parts import local_environment, part_command
from testing.temporal_dev import free_port, wait_for_port
from tests.web.page_client import filled_in_form

pytestmark = pytest.mark.stack

STATIC_FILE = "/static/app.css"
# Each new connection goes to whichever process accepts it first: enough tries to meet both.
CONNECTIONS_TO_MEET_EVERY_PROCESS = 200
STOP_SECONDS = 30
SSE = {"Accept": "text/event-stream"}


class Web:
    def __init__(self, process: subprocess.Popen, port: int) -> None:
        self.process, self.port = process, port
        self.url = f"http://127.0.0.1:{port}"

    def answered(self, response: httpx.Response) -> int:
        """The pid of the process that answered, while the response's connection is open."""
        _, client_port = response.extensions["network_stream"].get_extra_info("client_addr")
        inode = connection_inode(self.port, client_port)
        for pid in {self.process.pid} | descendants(self.process.pid):
            if f"socket:[{inode}]" in open_sockets(pid):
                return pid
        raise AssertionError(f"no process of the web holds the connection from :{client_port}")

    @asynccontextmanager
    async def client_of(self, pid: int, cookies: httpx.Cookies) -> AsyncIterator[httpx.AsyncClient]:
        """A client whose one kept-alive connection the process `pid` accepted."""
        for _ in range(CONNECTIONS_TO_MEET_EVERY_PROCESS):
            client = httpx.AsyncClient(
                base_url=self.url,
                cookies=cookies,
                timeout=15,
                limits=httpx.Limits(max_connections=1),
            )
            try:
                if self.answered(await client.get(STATIC_FILE)) == pid:
                    yield client
                    return
            finally:
                await client.aclose()
        raise AssertionError(f"no connection was accepted by process {pid}")

    async def pids_answering(self) -> set[int]:
        pids = set()
        for _ in range(CONNECTIONS_TO_MEET_EVERY_PROCESS):
            async with httpx.AsyncClient(base_url=self.url, timeout=15) as client:
                pids.add(self.answered(await client.get(STATIC_FILE)))
            if len(pids) > 1:
                break
        return pids


def connection_inode(server_port: int, client_port: int) -> str:
    """The socket inode of the server's end of a loopback connection (IPv4), from /proc/net/tcp."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port, remote_port = (int(address.split(":")[1], 16) for address in fields[1:3])
        if (local_port, remote_port) == (server_port, client_port):
            return fields[9]
    raise AssertionError(f"no connection :{server_port} <- :{client_port} in /proc/net/tcp")


def descendants(pid: int) -> set[int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue  # gone meanwhile
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def open_sockets(pid: int) -> set[str]:
    fds = Path(f"/proc/{pid}/fd")
    try:
        return {os.readlink(fds / fd) for fd in os.listdir(fds)}
    except OSError:
        return set()  # a process that is not ours to read, or gone


def start_web(settings: Settings, data_dir: Path, **variables: str) -> Web:
    port = free_port()
    env = local_environment() | settings_variables(settings, settings.model_fields_set)
    env |= {"BRIEFING_ENV_FILE": "", "BRIEFING_WEB_PORT": str(port), **variables}
    env.pop("BRIEFING_SECRET_KEY", None)  # the parent must make the one key
    process = subprocess.Popen(
        [*part_command("web"), "--processes", "2"],
        cwd=data_dir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port)
    return Web(process, port)


@pytest.fixture
def web_factory(settings: Settings, tmp_path: Path) -> Iterator[Callable[..., Web]]:
    started: list[Web] = []

    def factory(**variables: str) -> Web:
        started.append(start_web(settings, tmp_path, **variables))
        return started[-1]

    yield factory
    for web in started:
        if web.process.poll() is None:
            web.process.terminate()
            web.process.wait(timeout=STOP_SECONDS)


@pytest.fixture
def web(web_factory: Callable[..., Web]) -> Web:
    return web_factory()


async def test_two_processes_answer_and_each_takes_the_others_form_tokens(web, worker):
    pids = await web.pids_answering()
    assert len(pids) == 2, pids
    first, second = sorted(pids)
    cookies = httpx.Cookies()
    async with web.client_of(first, cookies) as on_first:
        form = await filled_in_form(on_first, topic="tech", max_stories="2")
        cookies.update(on_first.cookies)
    async with web.client_of(second, cookies) as on_second:
        forged = await on_second.post("/briefings", data=form | {"csrf_token": "1.forged"})
        started = await on_second.post("/briefings", data=form)
        assert web.answered(started) == second
    assert forged.status_code == 403
    assert started.status_code == 303, started.text
    briefing = started.headers["location"].rsplit("/", 1)[1]
    async with web.client_of(first, cookies) as on_first:
        frames = await read_until_close(on_first, f"/api/briefings/{briefing}/events")
        body = (await on_first.get(f"/api/briefings/{briefing}")).json()
    assert [frame.event for frame in frames].count("progress") >= 3
    assert frames[-1].event == "close"
    assert body["status"] == "completed"


async def test_sigterm_stops_every_process_of_the_web_with_streams_open(web, settings):
    pids = await web.pids_answering()
    processes = descendants(web.process.pid)
    async with httpx.AsyncClient(base_url=web.url, timeout=15) as api:
        # No worker: the briefing stays running and its viewers wait on open streams.
        created = (await api.post("/api/briefings", json={"topic": "tech"})).json()
    events = f"/api/briefings/{created['id']}/events"
    async with web.client_of(min(pids), httpx.Cookies()) as first:
        async with web.client_of(max(pids), httpx.Cookies()) as second:
            streams = [
                await viewer.send(viewer.build_request("GET", events, headers=SSE), stream=True)
                for viewer in (first, second)
            ]
            assert {web.answered(stream) for stream in streams} == pids
            web.process.send_signal(signal.SIGTERM)
            assert web.process.wait(timeout=STOP_SECONDS) == 0
    wait_for(
        lambda: {pid for pid in processes if Path(f"/proc/{pid}").exists()},
        STOP_SECONDS,
        "every process of the web gone",
        until=lambda alive: not alive,
    )


async def test_with_the_chaos_panel_on_the_web_keeps_to_one_process(web_factory):
    web = web_factory(BRIEFING_CHAOS_ENABLED="true")
    # Its demos must not run twice at once: uvicorn serves in the parent, with no workers.
    assert await web.pids_answering() == {web.process.pid}
    assert not descendants(web.process.pid)
