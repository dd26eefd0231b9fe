"""One part of `briefing up`: its current process and the state the control API reports."""

import ctypes
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime
from typing import IO

from stack.control_models import PartState, PartStatus
from stack.parts import PartSpec, part_command

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel for SIGTERM when our parent dies, even if it dies by SIGKILL."""
    if sys.platform == "linux":
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def describe_exit(code: int) -> str:
    if code >= 0:
        return f"exited with status {code}"
    try:
        return f"killed by {signal.Signals(-code).name}"
    except ValueError:
        return f"killed by signal {-code}"


class Child:
    def __init__(self, spec: PartSpec, env: dict[str, str]) -> None:
        self.spec = spec
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.state: PartState = "stopped"
        self.since = datetime.now(UTC)
        self.restarts = 0
        self.last_exit: str | None = None
        # Killed on request and kept down until started on request.
        self.held = False
        self.restart_at: float | None = None
        # A delay asked for with a kill, used once instead of the supervisor's own.
        self.restart_after: float | None = None

    def start(self) -> None:
        """Call from the main thread only: the kernel's parent-death signal fires when the
        *thread* that started a child ends, so a child started by a request thread would die
        with it."""
        if self.process is not None:
            self.restarts += 1
        self.process = process = subprocess.Popen(
            part_command(self.spec),
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches `up` alone, which stops parts in order
            preexec_fn=die_with_parent,
        )
        # Started with stdout=PIPE, so it has one.
        assert process.stdout is not None
        threading.Thread(target=self._relay_output, args=(process.stdout,), daemon=True).start()
        self.restart_at = None
        self.set_state("running")

    def _relay_output(self, output: IO[bytes]) -> None:
        for line in iter(output.readline, b""):
            sys.stdout.write(f"[{self.spec.name}] {line.decode(errors='replace')}")
            sys.stdout.flush()

    def set_state(self, state: PartState) -> None:
        self.state = state
        self.since = datetime.now(UTC)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def exit_code(self) -> int | None:
        return self.process.poll() if self.process else None

    def signal(self, signum: int) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signum)

    def status(self) -> PartStatus:
        return PartStatus(
            name=self.spec.name,
            pid=self.pid if self.state == "running" else None,
            state=self.state,
            since=self.since,
            restarts=self.restarts,
            last_exit=self.last_exit,
            held=self.held,
        )
