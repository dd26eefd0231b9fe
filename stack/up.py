"""Running the supervisor from the terminal: banner, signals, orderly stop."""

import signal

from core.metrics import metrics_urls_text
from core.settings import Settings
from stack.child import die_with_parent
from stack.control_api import ControlServer
from stack.parts import control_url
from stack.supervisor import Supervisor, say


def banner(supervisor: Supervisor) -> str:
    settings = supervisor.settings
    temporal_ui = f"http://{settings.host}:{settings.temporal_ui_port}"
    lines = [
        "briefing is up",
        f"  App          http://{settings.host}:{settings.web_port}",
        f"  Temporal UI  {temporal_ui if settings.temporal_ui else 'off (--no-ui)'}",
        f"  Control API  {control_url(settings)} (token in the web's BRIEFING_CONTROL_TOKEN)",
        f"  Metrics      {metrics_urls_text(settings)}",
        f"  Data         {settings.data_dir.resolve()} (briefings survive restarts)",
        "",
        "  part      pid      what",
    ]
    for child in supervisor.children:
        lines.append(f"  {child.spec.name:<9} {child.pid!s:<8} {child.spec.description}")
    lines += [
        "",
        "Kill any part, e.g. `kill -9 <worker pid>`: the rest keep running and it comes back"
        f" after {supervisor.restart_delay:g}s. Ctrl-C stops everything.",
    ]
    return "\n".join(lines)


def run_stack(settings: Settings, *, restart_delay: float, restart: bool) -> int:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    supervisor = Supervisor(settings, restart_delay=restart_delay, restart=restart)
    busy = supervisor.busy_ports()
    if busy:
        say(f"cannot start: already in use: {', '.join(busy)} (is another stack running?)")
        return 1
    try:
        control = ControlServer(supervisor)
    except OSError as error:
        say(f"cannot start the control API on port {settings.control_port}: {error}")
        return 1

    def request_stop(signum: int, frame: object) -> None:
        supervisor.stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    # Run from `make up`, a stopped make must stop the stack too, not orphan it.
    die_with_parent()
    control.start()
    supervisor.start_all()
    try:
        if supervisor.wait_until_ready():
            print(banner(supervisor), flush=True)
        supervisor.watch()
    finally:
        # No request may start a part while the parts are being stopped.
        control.close()
        say("stopping all parts")
        supervisor.stop_all()
    return 0
