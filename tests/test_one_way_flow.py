"""The architecture holds: data flows one way, and the package has no import cycle.

The server reads the pipeline's files and imports only `election_kg.common` of the rest of the
package; `election_kg.cli` is the one module that imports both sides.
"""

import ast
from pathlib import Path

from tests.support.project import ROOT

PACKAGES = {"election_kg": ROOT / "scripts", "election_kg.server": ROOT / "server"}


def _modules() -> dict[str, Path]:
    found = {}
    for package, folder in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            relative = path.relative_to(folder).with_suffix("")
            if package == "election_kg" and relative.parts[0] == "server":
                continue
            parts = [p for p in relative.parts if p != "__init__"]
            found[".".join([package, *parts])] = path
    return found


def _imports(name: str, path: Path, modules: set[str]) -> set[str]:
    """The package's modules that `name` imports at module level or in functions (all of them count)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1]
                    + ([base] if base else [])
                )
            found |= {
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            }
    return {m for m in found if m in modules}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def test_the_server_imports_only_the_common_modules_of_the_pipeline():
    offending = {
        name: sorted(
            m
            for m in imported
            if not m.startswith(("election_kg.server", "election_kg.common")) and m != "election_kg"
        )
        for name, imported in _graph().items()
        if name.startswith("election_kg.server")
    }
    assert {k: v for k, v in offending.items() if v} == {}


def test_common_imports_nothing_else_of_the_package():
    offending = {
        name: sorted(m for m in imported if not m.startswith("election_kg.common"))
        for name, imported in _graph().items()
        if name.startswith("election_kg.common")
    }
    assert {k: v for k, v in offending.items() if v} == {}


def test_only_the_command_line_imports_both_sides():
    graph = _graph()
    both = sorted(
        name
        for name, imported in graph.items()
        if not name.startswith(("election_kg.server", "election_kg.bench"))
        and any(m.startswith("election_kg.server") for m in imported)
    )
    assert both == ["election_kg.cli"]


def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []
