"""docker-compose.yml's parts as processes on loopback: same commands, same environment.

Each of web, worker (any number of replicas), plain, newsroom and llm runs as the image runs it:
the `briefing` console script with the service's command, in a working directory with no `.env`,
with the environment compose gives it (defaults of `${...}`), plus the image's own ENV. Only
addresses change: service names become 127.0.0.1 and every port a free one. A Temporal dev
server stands in for the Postgres-backed cluster, as docker-compose.local.yml's does.
"""

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from testing.temporal_dev import free_port, wait_for_port
from tests.containers.compose_file import (
    OUR_PARTS,
    dockerfile_env,
    environment,
    final_stage,
    services,
    settings_variables,
)

# The port each part listens on in its container, and the setting that moves it here.
PORT_SETTINGS = {
    "web": "BRIEFING_WEB_PORT",
    "newsroom": "BRIEFING_NEWSROOM_PORT",
    "llm": "BRIEFING_LLM_PORT",
    "plain": "BRIEFING_PLAIN_PORT",
}
CONTAINER_PORTS = {"web": 8000, "newsroom": 8100, "llm": 8200, "plain": 8400, "temporal": 7233}
SERVICE_ADDRESS = re.compile(r"\b(?P<service>[a-z][a-z-]*):(?P<port>\d+)\b")
BRIEFING = Path(sys.executable).parent / "briefing"
ASSETS_DIR = Path(__file__).resolve().parents[2] / "node_modules"


@dataclass
class Part:
    service: str
    process: subprocess.Popen
    environment: dict[str, str]


@dataclass
class ComposeMirror:
    temporal_address: str
    workdir: Path
    ports: dict[str, int] = field(default_factory=dict)
    parts: list[Part] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ports = {name: free_port() for name in PORT_SETTINGS}
        self.ports["temporal"] = int(self.temporal_address.rpartition(":")[2])

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def localise(self, value: str) -> str:
        """`newsroom:8100` becomes `127.0.0.1:<newsroom's port here>`; other hosts stay."""
        compose_services = set(services())

        def replace(match: re.Match) -> str:
            service, port = match["service"], int(match["port"])
            if service not in compose_services:
                return match[0]  # e.g. localhost:8233, the browser's way to the Temporal UI
            assert CONTAINER_PORTS.get(service) == port, f"unknown address {match[0]}"
            return f"127.0.0.1:{self.ports[service]}"

        return SERVICE_ADDRESS.sub(replace, value)

    def environment_of(self, service: str) -> dict[str, str]:
        # Nothing from the developer's shell that the app would read: only what compose gives.
        base = {k: v for k, v in os.environ.items() if k not in settings_variables()}
        base = {k: v for k, v in base.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
        image = dockerfile_env(final_stage())
        image.pop("PATH")
        image["BRIEFING_HOST"] = "127.0.0.1"  # the image binds 0.0.0.0; loopback here
        image["BRIEFING_ASSETS_DIR"] = str(ASSETS_DIR)  # same layout as /opt/briefing-assets
        compose = {k: self.localise(v) for k, v in environment(services()[service]).items()}
        ports = {setting: str(self.ports[name]) for name, setting in PORT_SETTINGS.items()}
        return base | image | compose | ports

    def start(self, service: str) -> Part:
        assert service in OUR_PARTS
        env = self.environment_of(service)
        command = [str(BRIEFING), *services()[service]["command"]]
        log = (self.workdir / f"{service}-{len(self.parts)}.log").open("w")
        process = subprocess.Popen(
            command, cwd=self.workdir, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        part = Part(service, process, env)
        self.parts.append(part)
        return part

    def wait_until_listening(self) -> None:
        for service in PORT_SETTINGS:
            wait_for_port(self.ports[service], timeout=30)

    def stop(self, part: Part, grace_seconds: float) -> float:
        """SIGTERM, as `docker compose stop` sends; the seconds it took to exit."""
        started = time.monotonic()
        part.process.send_signal(signal.SIGTERM)
        try:
            part.process.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired as timeout:
            part.process.kill()
            part.process.wait()
            message = f"{part.service} outlived its {grace_seconds}s stop grace"
            raise AssertionError(message) from timeout
        return time.monotonic() - started

    def kill_all(self) -> None:
        for part in self.parts:
            if part.process.poll() is None:
                part.process.kill()
                part.process.wait()

    def log(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text()}" for path in sorted(self.workdir.glob("*.log"))
        )
