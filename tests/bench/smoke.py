"""Run a bench script's `--smoke` size in a subprocess, as `make bench` would run it."""

import subprocess
import sys

from core.settings import PROJECT_ROOT

SMOKE_TIMEOUT_SECONDS = 240


def run_smoke(module: str) -> str:
    """The script's output; fails the test if it exits with an error."""
    finished = subprocess.run(
        [sys.executable, "-m", module, "--smoke"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=SMOKE_TIMEOUT_SECONDS,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return finished.stdout


def table_rows(output: str) -> dict[str, list[str]]:
    """The Markdown table's rows by their first cell, the other cells as text."""
    rows = {}
    for line in output.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
    return rows
