"""`briefing up --no-ui`: the Temporal dev server's Web UI (no Host check, a readable CSRF
cookie) is not started at all, for machines where other people's pages may reach loopback."""

from pathlib import Path

from stack.supervisor import port_open
from testing.stack_process import StackProcess


def test_up_without_ui_starts_the_dev_server_headless_and_says_so(tmp_path: Path) -> None:
    stack = StackProcess(tmp_path, options=("--no-ui",))
    try:
        pids = stack.wait_until_up()
        server_command = Path(f"/proc/{pids['server']}/cmdline").read_bytes().split(b"\0")
        assert b"--headless" in server_command and b"--ui-port" not in server_command
        assert port_open("127.0.0.1", stack.ports["temporal"])
        assert not port_open("127.0.0.1", stack.ports["ui"])
        assert "  Temporal UI  off (--no-ui)\n" in stack.output
    finally:
        stack.stop()
