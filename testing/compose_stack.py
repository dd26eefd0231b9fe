"""A compose project driven from Python: its commands, its containers' health, and a viewer
that follows a briefing's SSE stream across a restart of the web, as a browser would.

For docker/compose_check.py (`make compose-check`); works with Compose v2 (`docker compose`)
and with Debian's docker-compose (v1).
"""

import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

from testing.polling import wait_for

HEALTHY_TIMEOUT_SECONDS = 180.0


class ComposeFailed(Exception):
    pass


class Compose:
    """One compose project from its files, driven by whichever compose the machine has."""

    def __init__(
        self, root: Path, files: list[str], project: str, env_file: Path, profiles: list[str]
    ) -> None:
        self.root = root
        # Compose v2 where there is one; Debian's docker-compose (v1) otherwise.
        v2 = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
        base = ["docker", "compose"] if v2.returncode == 0 else ["docker-compose"]
        named = [argument for name in files for argument in ("-f", str(root / name))]
        chosen = [argument for name in profiles for argument in ("--profile", name)]
        self.command = [*base, "-p", project, "--env-file", str(env_file), *named, *chosen]

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            [*self.command, *args], cwd=self.root, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise ComposeFailed(f"`compose {' '.join(args)}` failed: {done.stderr.strip()[-800:]}")
        return done.stdout

    def containers(self, service: str | None = None) -> list[str]:
        return self("ps", "-q", *([service] if service else [])).split()


def docker(*args: str) -> str:
    done = subprocess.run(["docker", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ComposeFailed(f"`docker {' '.join(args)}` failed: {done.stderr.strip()[-400:]}")
    return done.stdout.strip()


def states(compose: Compose) -> dict[str, tuple[str, str]]:
    """Each container's service and state, by container name: `exited <code>` once it has ended
    (a one-shot job: its image's health check never ran to the end), else its health, or its
    status without one."""
    result = {}
    for container in compose.containers():
        line = docker(
            "inspect",
            "-f",
            '{{.Name}} {{index .Config.Labels "com.docker.compose.service"}} {{.State.Status}} '
            "{{.State.ExitCode}} {{if .State.Health}}{{.State.Health.Status}}{{end}}",
            container,
        )
        name, service, status, code, *health = line.lstrip("/").split()
        state = f"exited {code}" if status == "exited" else (health[0] if health else status)
        result[name] = (service, state)
    return result


def wait_until_healthy(compose: Compose, services: set[str]) -> dict[str, tuple[str, str]]:
    """Until every one of `services` has a healthy container and no container is starting."""

    def healthy(now: dict[str, tuple[str, str]]) -> bool:
        ready = {service for service, state in now.values() if state == "healthy"}
        starting = any(state == "starting" for _, state in now.values())
        return services <= ready and not starting

    return wait_for(
        lambda: states(compose),
        HEALTHY_TIMEOUT_SECONDS,
        f"{', '.join(sorted(services))} healthy",
        until=healthy,
        interval=1.0,
    )


def read_across_restart(url: str, restart: Callable[[], object]) -> tuple[list[int], float]:
    """The progress ids a viewer gets to the close, `restart` run after the fifth; and the
    seconds from the restart's start to the first event on a new connection."""
    ids: list[int] = []
    restarted_at: float | None = None
    restarter: threading.Thread | None = None
    back_after = 0.0
    while True:
        headers = {"Accept": "text/event-stream"}
        if ids:
            headers["Last-Event-ID"] = str(ids[-1])
        reconnected = restarted_at is not None
        try:
            with httpx.stream("GET", url, headers=headers, timeout=30) as response:
                for event, event_id in sse_events(response.iter_lines()):
                    if event_id is not None:
                        if reconnected and restarted_at is not None and not back_after:
                            back_after = time.monotonic() - restarted_at
                        ids.append(int(event_id))
                    if len(ids) == 5 and restarter is None:
                        restarted_at = time.monotonic()
                        restarter = threading.Thread(target=restart)
                        restarter.start()
                    if event == "close":
                        if restarter is not None:
                            restarter.join()
                        return ids, back_after
        except httpx.HTTPError:
            time.sleep(0.5)  # the web is restarting: a browser retries after the frames' `retry`


def sse_events(lines: Iterator[str]) -> Iterator[tuple[str, str | None]]:
    """(event name, id) of each frame."""
    event, event_id, has_data = "message", None, False
    for line in lines:
        if not line:
            if has_data:
                yield event, event_id
            event, event_id, has_data = "message", None, False
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("id:"):
            event_id = line[3:].strip()
        elif line.startswith("data:"):
            has_data = True
