"""A parsing child starts on every new pool slot (about 117 times in the fast lane), so what its
program imports is its start-up cost: none of the worker's heavy modules may creep in."""

import subprocess
import sys

from activities.feeds.child_process import PACKAGE_ROOT

# The worker's, not the child's: 0.2 s of CPU for temporalio alone; trafilatura is imported by
# the first extraction, in the children that extract.
HEAVY = ("temporalio", "httpx", "asyncio", "trafilatura")


def test_the_child_program_imports_none_of_the_workers_heavy_modules() -> None:
    probe = (
        "import sys, activities.feeds.parse_child; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    # Started as ParserChild.start starts it: from the package root, with no environment.
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=PACKAGE_ROOT, env={}, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ""
