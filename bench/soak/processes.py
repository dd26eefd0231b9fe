"""The stack's parts as separate child processes, each one killable and restartable on its own.

Unlike `briefing up`, nothing supervises them: the soak driver decides when a part dies and
when it comes back, always on the same port and the same data directory (the Temporal dev
server's SQLite file lives there, so a restarted server finds every workflow again).
"""

import os
import signal
import subprocess
from pathlib import Path

from bench.load_stack import UNTHROTTLED
from testing.polling import wait_for_async
from testing.stack_parts import (
    PORT_SETTINGS,
    free_ports,
    local_environment,
    part_command,
    stack_settings,
    start_process,
)
from testing.temporal_dev import listening

READY_TIMEOUT_SECONDS = 90.0
# Killable parts, and the ones that only need to be up.
CHAOS_PARTS = ("worker", "web", "server")
START_ORDER = ("server", "newsroom", "llm", "worker", "web")
# Parts the driver waits for on a port (by their names in PORT_SETTINGS); the worker has none
# and reconnects by itself.
_PORT_NAME = {
    "server": "temporal",
    "newsroom": "newsroom",
    "llm": "llm",
    "plain": "plain",
    "web": "web",
}


def stack_environment(data_dir: Path, *, tokens_per_second: float) -> dict[str, str]:
    env = local_environment() | stack_settings(data_dir, free_ports(*PORT_SETTINGS))
    # The soak is one client starting and watching many briefings: no per-client limits.
    env.update(UNTHROTTLED)
    env.update(
        BRIEFING_LLM_TOKENS_PER_SECOND=f"{tokens_per_second:g}",
        PYTHONUNBUFFERED="1",
    )
    return env


class Part:
    """One part of the stack: `python -m stack.cli <command>` (its name unless told), its output
    appended to a log file of its name."""

    def __init__(
        self, name: str, env: dict[str, str], data_dir: Path, *, command: str | None = None
    ) -> None:
        self.name = name
        self.command = command or name
        self.port = int(env[PORT_SETTINGS[_PORT_NAME[name]]]) if name in _PORT_NAME else None
        self.starts = 0
        self._env = env
        self._data_dir = data_dir
        self._process: subprocess.Popen | None = None

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        self._process = start_process(
            part_command(self.command),
            env=self._env,
            data_dir=self._data_dir,
            log=self._data_dir / f"{self.name}.log",  # appended to: one log across restarts
        )
        self.starts += 1

    async def wait_ready(self, timeout: float = READY_TIMEOUT_SECONDS) -> None:
        port = self.port
        if port is None:
            return
        await wait_for_async(
            lambda: self._listening(port), timeout, f"{self.name} listening on {port}"
        )

    def _listening(self, port: int) -> bool:
        if listening(port):
            return True
        if self._process is not None and self._process.poll() is not None:
            raise RuntimeError(
                f"{self.name} exited with {self._process.returncode}:\n{self.log_tail()}"
            )
        return False

    def log_tail(self, lines: int = 20) -> str:
        log = self._data_dir / f"{self.name}.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])

    def kill(self) -> None:
        """kill -9, and reap it so the port and pid are free for the next start."""
        if self._process is None:
            return
        if self.alive:
            os.kill(self._process.pid, signal.SIGKILL)
        self._process.wait()

    def stop(self) -> None:
        if self._process is not None and self.alive:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


class Stack:
    def __init__(
        self, data_dir: Path, *, tokens_per_second: float, parts: tuple[str, ...] = START_ORDER
    ) -> None:
        """`parts` in the order they start: the soak's START_ORDER, or more (the plain agent)."""
        self.data_dir = data_dir
        self.env = stack_environment(data_dir, tokens_per_second=tokens_per_second)
        self.parts = {name: Part(name, self.env, data_dir) for name in parts}

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.parts[name].port}"

    @property
    def temporal_address(self) -> str:
        return self.env["TEMPORAL_ADDRESS"]

    async def start(self) -> None:
        for part in self.parts.values():
            part.start()
            await part.wait_ready()

    def stop(self) -> None:
        # Reverse order: the web and worker go before the server they talk to.
        for part in reversed(self.parts.values()):
            part.stop()
