"""`briefing up` as a real child process, with its output read line by line."""

import os
import queue
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx

from testing.polling import wait_for
from testing.stack_parts import (
    PORT_SETTINGS,
    free_ports,
    local_environment,
    part_command,
    stack_settings,
    start_process,
)

BANNER_TIMEOUT_SECONDS = 90.0
# The parts of a stack on the offline LLM, as `up`'s banner lists them.
LOCAL_PARTS = ("server", "newsroom", "llm", "worker", "plain", "web")


class StackProcess:
    def __init__(
        self,
        data_dir: Path,
        *,
        restart_delay: float = 1.0,
        restart: bool = True,
        extra_env: dict[str, str] | None = None,
        options: tuple[str, ...] = (),
    ) -> None:
        self.ports = free_ports(*PORT_SETTINGS)
        # The stack's own settings, apart from the environment they are added to.
        self.environment = stack_settings(data_dir, self.ports) | (extra_env or {})
        self.env = local_environment() | self.environment
        self.data_dir = data_dir
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        # `up` itself is no part: its output is read line by line, not logged.
        self.process = subprocess.Popen(
            [*part_command("up"), "--restart-delay", str(restart_delay)]
            + ([] if restart else ["--no-restart"])
            + list(options),
            cwd=data_dir,  # away from any .env in the checkout
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None  # piped above
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)

    def url(self, part: str) -> str:
        return f"http://127.0.0.1:{self.ports[part]}"

    def wait_for_line(self, pattern: str, timeout: float = BANNER_TIMEOUT_SECONDS) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                break
            match = re.search(pattern, line)
            if match:
                return match
        raise AssertionError(f"no line matching {pattern!r}; output:\n{''.join(self.output)}")

    def wait_until_up(self) -> dict[str, int]:
        self.wait_for_line(r"^briefing is up")
        pids: dict[str, int] = {}
        while len(pids) < len(LOCAL_PARTS):
            match = self.wait_for_line(rf"^  ({'|'.join(LOCAL_PARTS)})\s+(\d+)\s")
            pids[match.group(1)] = int(match.group(2))
        return pids

    def control_access(self, pid: int) -> tuple[str, str]:
        """The control API's URL and token, as `up` handed them to the part with that pid."""
        entries = Path(f"/proc/{pid}/environ").read_bytes().decode().split("\0")
        variables = dict(entry.partition("=")[::2] for entry in entries if "=" in entry)
        return variables["BRIEFING_CONTROL_URL"], variables["BRIEFING_CONTROL_TOKEN"]

    def start_part(self, part: str) -> subprocess.Popen:
        """One part started by hand, as a presenter would after `--no-restart`."""
        return start_process(part_command(part), env=self.env, data_dir=self.data_dir)

    def __enter__(self) -> "StackProcess":
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Stopped after use, unless the user stopped it already (a test of stopping)."""
        if self.process.poll() is None:
            self.stop()

    def stop(self, timeout: float = 40.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for_briefing(api: httpx.Client, url: str, condition, timeout: float) -> dict:
    """Poll the JSON API until the briefing satisfies `condition`."""
    return wait_for(
        lambda: api.get(url).json(), timeout, f"{url} as awaited", until=condition, interval=0.05
    )


def summaries_in(body: dict, state: str) -> list[dict]:
    steps = body.get("steps") or []
    return [s for s in steps if s["kind"] == "summarize" and s["state"] == state]
