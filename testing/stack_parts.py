"""A local stack's parts as child processes: one environment on free ports, one way to start one.

`briefing up` in a test (testing.stack_process), the benchmarks' parts started one by one
(bench.load_stack) and the soak's killable parts (bench.soak.processes) all build their
settings and start their processes here, so a part runs the same way whoever starts it.
"""

import contextlib
import os
import subprocess
import sys
from pathlib import Path

from testing.temporal_dev import free_port

# The caller's own LLM and feeds must not leak into a local stack: it runs the offline ones.
OUTSIDE_SETTINGS = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFING_MODEL", "BRIEFING_FEEDS")
# The setting that moves each listening part (and the dev server's UI) to a port of its own.
PORT_SETTINGS = {
    "web": "BRIEFING_WEB_PORT",
    "temporal": "BRIEFING_TEMPORAL_PORT",
    "ui": "BRIEFING_TEMPORAL_UI_PORT",
    "newsroom": "BRIEFING_NEWSROOM_PORT",
    "llm": "BRIEFING_LLM_PORT",
    "control": "BRIEFING_CONTROL_PORT",
    "plain": "BRIEFING_PLAIN_PORT",
    "worker_metrics": "BRIEFING_WORKER_METRICS_PORT",
    "web_metrics": "BRIEFING_WEB_METRICS_PORT",
}


def local_environment() -> dict[str, str]:
    """This process's environment without OUTSIDE_SETTINGS, for the parts of a local stack."""
    return {key: value for key, value in os.environ.items() if key not in OUTSIDE_SETTINGS}


def free_ports(*names: str) -> dict[str, int]:
    """A free loopback port for each of these PORT_SETTINGS names, no two the same."""
    while True:
        ports = {name: free_port() for name in names}
        if len(set(ports.values())) == len(ports):
            return ports


def stack_settings(data_dir: Path, ports: dict[str, int]) -> dict[str, str]:
    """The variables that put a stack on these ports (Temporal's among them) and data directory."""
    settings = {PORT_SETTINGS[name]: str(port) for name, port in ports.items()}
    settings["TEMPORAL_ADDRESS"] = f"127.0.0.1:{ports['temporal']}"
    settings["BRIEFING_DATA_DIR"] = str(data_dir)
    return settings


def part_command(part: str) -> list[str]:
    """A part as `briefing <part>` runs it, from this interpreter."""
    return [sys.executable, "-m", "stack.cli", part]


def start_process(
    command: list[str], *, env: dict[str, str], data_dir: Path, log: Path | None = None
) -> subprocess.Popen:
    """`command` in `data_dir`, its output appended to `log` (or dropped, without one)."""
    # Closed here once started: the child holds its own copy of the file.
    with log.open("ab") if log else contextlib.nullcontext(subprocess.DEVNULL) as output:
        return subprocess.Popen(
            command,
            cwd=data_dir,  # away from any .env in the checkout
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
