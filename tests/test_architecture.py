"""The layout DESIGN.md promises, checked on the source: dependencies point down, an app reaches another only
through its public contract, services never import their tasks (no import cycle), modules stay short."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("hub", "ticketing", "statuspage", "helpcenter", "escalation", "chatbot")
# Which apps each app may import (DESIGN.md, "Layout").
MAY_IMPORT = {
    "hub": set(),
    "ticketing": {"hub"},
    "statuspage": {"hub"},
    "helpcenter": {"statuspage", "hub"},
    "escalation": {"ticketing", "statuspage", "helpcenter", "hub"},
    "chatbot": {"escalation", "statuspage", "helpcenter", "hub"},
}
# What an app offers the apps above it ("App contracts"); the hub is the shared base and is open to all.
CONTRACT = ("services", "selectors", "signals")
MAX_LINES = 450


def source_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every project module imported anywhere in the file (functions included), as absolute names."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in APPS}


GRAPH = {module_name(path): imports_of(path) for path in source_files()}


def reachable(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for target in GRAPH.get(todo.pop(), ()):
            if target in GRAPH and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_a_script_imports_an_apps_contract_on_its_own():
    """``python -c "import statuspage.selectors"`` works without calling django.setup() first."""
    contracts = [m for m in GRAPH if m.split(".")[-1] in CONTRACT and m.split(".")[0] != "hub"]
    assert "statuspage.selectors" in contracts
    done = subprocess.run(
        [sys.executable, "-c", f"import {', '.join(contracts)}"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize("services", sorted(m for m in GRAPH if ".services" in m))
def test_services_never_import_tasks(services):
    """Tasks import services; a service queues a task by name (hub.celery.delay_on_commit), so no cycle."""
    assert not {m for m in reachable(services) if m.endswith(".tasks")}


def test_dependencies_point_down_and_go_through_contracts():
    wrong = []
    for module, targets in GRAPH.items():
        app = module.split(".")[0]
        for target in targets:
            other = target.split(".")[0]
            if other == app:
                continue
            if other not in MAY_IMPORT[app]:
                wrong.append(f"{module} imports {target} ({app} may not import {other})")
            elif other != "hub" and target.split(".")[1:2] not in ([part] for part in CONTRACT):
                wrong.append(f"{module} imports {target}, not part of {other}'s contract")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_module_is_longer_than_the_limit():
    long = {
        str(path.relative_to(ROOT)): n
        for path in [*source_files(), *(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"
