"""`briefing up`: every part its own child process, restarted when it dies."""

import secrets
import signal
import socket
import subprocess
import threading
import time

from core.metrics import metrics_ports
from core.settings import Settings
from stack.action_log import ActionLog
from stack.child import Child, describe_exit
from stack.control_models import PartStatus
from stack.parts import part_environment, stack_parts

POLL_INTERVAL = 0.2
STOP_GRACE_SECONDS = 12.0
READY_TIMEOUT_SECONDS = 90.0
# Long enough for the control API's answer to leave first: the web asks to kill itself.
SIGNAL_DELAY_SECONDS = 0.3
# How long a start request waits for the watch loop to start the part (clients wait 3 s).
START_WAIT_SECONDS = 2.0


class PartNotFound(LookupError):
    """No part of the stack has that name."""


class PartConflict(RuntimeError):
    """The part is not in a state that allows the request, e.g. killing a stopped part."""


def say(message: str) -> None:
    print(f"[up] {message}", flush=True)


def port_open(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.3)
        return probe.connect_ex((host, port)) == 0


def _send_later(processes: list[subprocess.Popen[bytes]], signum: signal.Signals) -> None:
    def send() -> None:
        for process in processes:
            process.send_signal(signum)

    timer = threading.Timer(SIGNAL_DELAY_SECONDS, send)
    timer.daemon = True
    timer.start()


def _kill_report(children: list[Child], signum: signal.Signals, restart_after: float | None) -> str:
    which = " and ".join(f"{child.spec.name} (pid {child.pid})" for child in children)
    together = len(children) > 1
    if restart_after is None:
        then = "held until started"
    else:
        then = f"back {restart_after:g}s after {'they exit' if together else 'it exits'}"
    return f"{signum.name} sent to {which}{' at once' if together else ''} on request; {then}"


class Supervisor:
    def __init__(self, settings: Settings, *, restart_delay: float, restart: bool) -> None:
        self.control_token = secrets.token_urlsafe(32)
        self.settings = settings
        self.children = [
            Child(spec, part_environment(settings, spec.name, control_token=self.control_token))
            for spec in stack_parts(settings)
        ]
        self.restart_delay = restart_delay
        self.restart = restart
        self.stopping = threading.Event()
        self.actions = ActionLog()
        # The watch loop and the control API's request threads both change the children.
        self.changed = threading.Condition(threading.RLock())

    def report(self, text: str) -> None:
        say(text)
        self.actions.append("up", text)

    def busy_ports(self) -> list[str]:
        host = self.settings.host
        busy = [
            f"{child.spec.name} port {child.spec.port}"
            for child in self.children
            if child.spec.port and port_open(host, child.spec.port)
        ]
        if port_open(host, self.settings.control_port):
            busy.append(f"control API port {self.settings.control_port}")
        for part, ports in metrics_ports(self.settings).items():
            busy += [f"{part} metrics port {port}" for port in ports if port_open(host, port)]
        return busy

    def start_all(self) -> None:
        with self.changed:
            for child in self.children:
                child.start()

    def wait_until_ready(self) -> bool:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        waiting = [(child.spec.name, port) for child in self.children if (port := child.spec.port)]
        while waiting and time.monotonic() < deadline and not self.stopping.is_set():
            waiting = [
                (name, port) for name, port in waiting if not port_open(self.settings.host, port)
            ]
            time.sleep(POLL_INTERVAL)
        for name, port in waiting:
            say(f"{name} is not answering on port {port} yet")
        return not waiting

    def watch(self) -> None:
        while not self.stopping.is_set():
            with self.changed:
                for child in self.children:
                    self._notice_exit(child)
                    self._restart_if_due(child)
            self.stopping.wait(POLL_INTERVAL)

    def _restart_if_due(self, child: Child) -> None:
        due = child.restart_at
        if child.state == "restarting" and due is not None and time.monotonic() >= due:
            child.start()
            self.report(f"{child.spec.name} restarted, pid {child.pid}")
            self.changed.notify_all()

    def _notice_exit(self, child: Child) -> None:
        code = child.exit_code() if child.state == "running" else None
        if code is None:
            return
        child.last_exit = describe_exit(code)
        died = f"{child.spec.name} (pid {child.pid}) {'was ' if code < 0 else ''}{child.last_exit}"
        delay = self._delay_before_restart(child)
        child.restart_after = None
        if delay is None:
            child.set_state("stopped")
            why = "held: it stays down until started" if child.held else "not restarting"
            self.report(f"{died}; {why}")
            return
        child.restart_at = time.monotonic() + delay
        child.set_state("restarting")
        self.report(f"{died}; the other parts keep running; restarting it in {delay:g}s")

    def _delay_before_restart(self, child: Child) -> float | None:
        if child.held:
            return None
        if child.restart_after is not None:
            return child.restart_after
        return self.restart_delay if self.restart else None

    def statuses(self) -> list[PartStatus]:
        with self.changed:
            for child in self.children:
                self._notice_exit(child)
            return [child.status() for child in self.children]

    def kill(self, name: str, signum: signal.Signals, *, restart_after: float | None) -> PartStatus:
        return self.kill_together([name], signum, restart_after=restart_after)[0]

    def kill_together(
        self, names: list[str], signum: signal.Signals, *, restart_after: float | None
    ) -> list[PartStatus]:
        """Signal every named part at the same instant, or none: one refused part refuses all.

        One timer sends every signal, back to back, so the parts die microseconds apart; two
        requests would each wait for their own thread and timer, and one could fail alone.
        """
        with self.changed:
            children = [self._child(name) for name in names]
            for child in children:
                if child.state != "running" or child.process is None:
                    raise PartConflict(
                        f"{child.spec.name} is already {child.state}; nothing to kill"
                    )
            for child in children:
                child.held = restart_after is None
                child.restart_after = restart_after
            self.report(_kill_report(children, signum, restart_after))
            _send_later([child.process for child in children if child.process], signum)
            return [child.status() for child in children]

    def start(self, name: str) -> PartStatus:
        with self.changed:
            child = self._child(name)
            if child.state == "running":
                raise PartConflict(f"{name} is already running (pid {child.pid})")
            child.held = False
            child.restart_at = time.monotonic()
            child.set_state("restarting")
            self.report(f"{name}: start requested")
            # The watch loop starts it: see Child.start for why no other thread may.
            self.changed.wait_for(
                lambda: child.state == "running" or self.stopping.is_set(), START_WAIT_SECONDS
            )
            return child.status()

    def part_names(self) -> list[str]:
        return [child.spec.name for child in self.children]

    def _child(self, name: str) -> Child:
        """The named part, its state brought up to date; refused while the stack stops."""
        if self.stopping.is_set():
            raise PartConflict("the stack is stopping")
        for child in self.children:
            if child.spec.name == name:
                self._notice_exit(child)
                return child
        names = ", ".join(child.spec.name for child in self.children)
        raise PartNotFound(f"no part named {name!r}; the parts are {names}")

    def stop_all(self) -> None:
        # Web first, Temporal last: nothing loses its server while still working.
        for child in reversed(self.children):
            if child.process is None:
                continue
            child.signal(signal.SIGTERM)
            deadline = time.monotonic() + STOP_GRACE_SECONDS
            while child.exit_code() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            if child.exit_code() is None:
                child.signal(signal.SIGKILL)
                child.process.wait()
            say(f"{child.spec.name} stopped")
