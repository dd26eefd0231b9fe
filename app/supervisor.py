"""`briefing up`: every part its own child process, restarted when it dies."""

import ctypes
import signal
import socket
import subprocess
import sys
import threading
import time

from app.settings import Settings
from app.stack_parts import PartSpec, part_command, stack_environment, stack_parts

POLL_INTERVAL = 0.2
STOP_GRACE_SECONDS = 12.0
READY_TIMEOUT_SECONDS = 90.0
_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel for SIGTERM when our parent dies, even if it dies by SIGKILL."""
    if sys.platform == "linux":
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def say(message: str) -> None:
    print(f"[up] {message}", flush=True)


def port_open(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.3)
        return probe.connect_ex((host, port)) == 0


class Child:
    def __init__(self, spec: PartSpec, env: dict[str, str]) -> None:
        self.spec = spec
        self.env = env
        self.process: subprocess.Popen | None = None
        self.restart_at: float | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            part_command(self.spec),
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches `up` alone, which stops parts in order
            preexec_fn=die_with_parent,
        )
        threading.Thread(target=self._relay_output, args=(self.process,), daemon=True).start()
        self.restart_at = None

    def _relay_output(self, process: subprocess.Popen) -> None:
        for line in iter(process.stdout.readline, b""):
            sys.stdout.write(f"[{self.spec.name}] {line.decode(errors='replace')}")
            sys.stdout.flush()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def exit_code(self) -> int | None:
        return self.process.poll() if self.process else None

    def signal(self, signum: int) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signum)


def describe_exit(code: int) -> str:
    if code < 0:
        return f"was killed by {signal.Signals(-code).name}"
    return f"exited with status {code}"


class Supervisor:
    def __init__(self, settings: Settings, *, restart_delay: float, restart: bool) -> None:
        env = stack_environment(settings)
        self.settings = settings
        self.children = [Child(spec, env) for spec in stack_parts(settings)]
        self.restart_delay = restart_delay
        self.restart = restart
        self.stopping = threading.Event()

    def busy_ports(self) -> list[str]:
        host = self.settings.host
        return [
            f"{child.spec.name} port {child.spec.port}"
            for child in self.children
            if child.spec.port and port_open(host, child.spec.port)
        ]

    def start_all(self) -> None:
        for child in self.children:
            child.start()

    def wait_until_ready(self) -> bool:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        waiting = [child for child in self.children if child.spec.port]
        while waiting and time.monotonic() < deadline and not self.stopping.is_set():
            waiting = [c for c in waiting if not port_open(self.settings.host, c.spec.port)]
            time.sleep(POLL_INTERVAL)
        for child in waiting:
            say(f"{child.spec.name} is not answering on port {child.spec.port} yet")
        return not waiting

    def watch(self) -> None:
        while not self.stopping.is_set():
            for child in self.children:
                self._check(child)
            self.stopping.wait(POLL_INTERVAL)

    def _check(self, child: Child) -> None:
        now = time.monotonic()
        if child.restart_at is not None:
            if now >= child.restart_at:
                child.start()
                say(f"{child.spec.name} restarted, pid {child.pid}")
            return
        code = child.exit_code()
        if code is None:
            return
        if not self.restart:
            say(f"{child.spec.name} (pid {child.pid}) {describe_exit(code)}; not restarting")
            child.restart_at = float("inf")
            return
        say(
            f"{child.spec.name} (pid {child.pid}) {describe_exit(code)}; the other parts keep "
            f"running; restarting it in {self.restart_delay:g}s"
        )
        child.restart_at = now + self.restart_delay

    def stop_all(self) -> None:
        # Web first, Temporal last: nothing loses its server while still working.
        for child in reversed(self.children):
            child.signal(signal.SIGTERM)
            deadline = time.monotonic() + STOP_GRACE_SECONDS
            while child.exit_code() is None and child.process and time.monotonic() < deadline:
                time.sleep(0.05)
            if child.exit_code() is None:
                child.signal(signal.SIGKILL)
                child.process.wait()
            say(f"{child.spec.name} stopped")
