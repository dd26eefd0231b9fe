"""The parts of the stack started one by one on free ports, so a benchmark can run 1, 2 or 4
workers, or a web process of its own choosing, against one Temporal dev server."""

import argparse
import os
import resource
import socket
import subprocess
import sys
from pathlib import Path

from core.settings import Settings
from stack.dev_server import dev_server_command
from testing.stack_parts import (
    free_ports,
    local_environment,
    part_command,
    stack_settings,
    start_process,
)
from testing.temporal_dev import free_port, wait_for_port

PART_START_TIMEOUT_SECONDS = 90.0
STOP_TIMEOUT_SECONDS = 15.0
# The benchmarks measure the app, not the per-client limits that protect it in production.
UNTHROTTLED = {
    "BRIEFING_START_RATE_PER_MINUTE": "0",
    "BRIEFING_SSE_RATE_PER_MINUTE": "0",
    "BRIEFING_SSE_MAX_STREAMS_PER_CLIENT": "0",
}


def add_temporal_storage_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--temporal-in-memory",
        action="store_true",
        help="dev server without its SQLite file (`briefing up` keeps one): no disk writes",
    )


def raise_open_files_limit() -> None:
    """Hundreds of SSE clients need as many sockets, here and in the web process (inherited)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class LoadStack:
    """Temporal dev server, newsroom and offline LLM; workers and web processes on demand."""

    def __init__(
        self, data_dir: Path, *, llm_tokens_per_second: float, temporal_on_disk: bool = True
    ) -> None:
        self.data_dir = data_dir
        self.temporal_on_disk = temporal_on_disk
        # Each web gets a port of its own when started (start_web); no control API without `up`.
        self.ports = free_ports("temporal", "ui", "newsroom", "llm")
        self.env = local_environment() | stack_settings(data_dir, self.ports)
        self.env.update(
            UNTHROTTLED,
            TEMPORAL_UI_URL=f"http://127.0.0.1:{self.ports['ui']}",
            BRIEFING_LLM_TOKENS_PER_SECOND=f"{llm_tokens_per_second:g}",
            PYTHONUNBUFFERED="1",
            # Many workers and webs on one host: no metrics ports to fight over (load_web_metered
            # gives one web its own).
            BRIEFING_WORKER_METRICS_PORT="0",
            BRIEFING_WEB_METRICS_PORT="0",
            # The project root, so `-m bench.…` works from the data directory too.
            PYTHONPATH=str(Path(__file__).resolve().parent.parent),
        )
        self.processes: list[subprocess.Popen] = []
        self._logs: dict[int, Path] = {}
        self.settings = Settings(
            _env_file=None,
            temporal_address=self.env["TEMPORAL_ADDRESS"],
            newsroom_port=self.ports["newsroom"],
            llm_port=self.ports["llm"],
            data_dir=data_dir,
        )

    def start(self) -> None:
        """The server (on a SQLite file as `briefing up` runs it, unless told otherwise),
        the newsroom and the LLM."""
        command = dev_server_command(
            ip="127.0.0.1",
            port=self.ports["temporal"],
            ui_port=self.ports["ui"],
            db_file=self.data_dir / "temporal.sqlite" if self.temporal_on_disk else None,
        )
        # Fixed default ports would collide with any other stack on the machine.
        command += ["--http-port", str(free_port()), "--metrics-port", str(free_port())]
        self.server = self._spawn("server", command)
        wait_for_port(self.ports["temporal"], PART_START_TIMEOUT_SECONDS)
        self.newsroom, self.llm = self.start_part("newsroom"), self.start_part("llm")
        for part in ("newsroom", "llm"):
            wait_for_port(self.ports[part], PART_START_TIMEOUT_SECONDS)

    def start_part(self, part: str, *, env: dict[str, str] | None = None) -> subprocess.Popen:
        """One part as `briefing <part>` runs it."""
        return self._spawn(part, part_command(part), env)

    def start_module(
        self, name: str, module: str, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.Popen:
        """A bench-only process, e.g. the no-op worker or an instrumented web."""
        return self._spawn(name, [sys.executable, "-m", module, *args], env)

    def start_web(
        self, *command: str, env: dict[str, str] | None = None
    ) -> tuple[subprocess.Popen, str]:
        """A web process on a free port (`briefing web`, or `-m <command>`), once it listens;
        `env` adds settings of its own."""
        port = free_port()
        env = (env or {}) | {"BRIEFING_WEB_PORT": str(port)}
        if command:
            process = self.start_module("web", *command, env=env)
        else:
            process = self.start_part("web", env=env)
        wait_for_port(port, PART_START_TIMEOUT_SECONDS)
        return process, f"http://127.0.0.1:{port}"

    def _spawn(
        self, name: str, command: list[str], env: dict[str, str] | None = None
    ) -> subprocess.Popen:
        log_path = self.data_dir / f"{name}-{len(self.processes)}.log"
        process = start_process(
            command, env=self.env | (env or {}), data_dir=self.data_dir, log=log_path
        )
        self.processes.append(process)
        self._logs[process.pid] = log_path
        return process

    def output_of(self, process: subprocess.Popen, lines: int = 20) -> str:
        """The end of what a part printed, to say why it died."""
        text = self._logs[process.pid].read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop_process(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def close(self) -> None:
        # Workers and webs first, the server last, so nobody logs a lost connection in vain.
        for process in reversed(self.processes):
            self.stop_process(process)

    def __enter__(self) -> "LoadStack":
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def worker_identity(pid: int) -> str:
    """As `briefing worker` names itself, so a benchmark can wait for a given worker to poll."""
    return f"worker-{pid}@{socket.gethostname()}"


def exit_skipping_teardown() -> None:
    """The Temporal client's threads can abort interpreter teardown (temporalio/sdk-python#300)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
