"""The folders are the architecture: which of our packages each package may import.

workflows/ stay pure orchestration, core/ is what every process shares, demo/ is the outside
world we simulate (it must not lean on the product it stands in for), and nothing we ship
imports the test helpers.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {
    *("workflows", "activities", "worker", "plain_agent", "core", "web", "stack", "demo"),
    *("testing", "tests"),
}
MAY_IMPORT = {
    # Of core/, only its deterministic domain types: settings and clients are not for workflows.
    "workflows": {"workflows", "activities", "core.domain"},
    # Of core/, only how long a kept-alive connection lives, which every HTTP client of ours keeps.
    "activities": {"activities", "core.keep_alive"},
    # The default sources are the newsroom's outlets, so that a fresh stack works offline.
    "core": {"core", "demo"},
    "worker": {"worker", "workflows", "activities", "core"},
    # The same briefing without Temporal: the worker's activities, run by plain asyncio.
    "plain_agent": {"plain_agent", "workflows", "activities", "core"},
    "demo": {"demo", "core"},
    # The chaos panel drives the stack's control API and the demo servers' faults.
    "web": {"web", "core", "workflows", "activities", "stack", "demo", "plain_agent.views"},
    "stack": {"stack", "core", "web", "worker", "plain_agent", "workflows", "activities", "demo"},
}


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return {module for module in found if module.split(".")[0] in OURS}


def is_allowed(module: str, allowed: set[str]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in allowed)


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_a_package_imports_only_the_layers_beneath_it(package: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(
            module
            for module in imported_modules(path)
            if not is_allowed(module, MAY_IMPORT[package])
        )
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {name: packages for name, packages in wrong.items() if packages} == {}
