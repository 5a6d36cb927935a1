"""The data flows one way: the server reads the pipeline's files and imports only its shared modules."""

import ast
from pathlib import Path

SERVER = Path(__file__).resolve().parent.parent / "server"
SHARED = {"scripts.iris", "scripts.vocab", "scripts.formats", "scripts.offline"}


def _imported_pipeline_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "scripts"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "scripts":
            found |= {f"scripts.{alias.name}" for alias in node.names} if node.module == "scripts" else {node.module}
    return found


def test_server_imports_only_the_shared_modules_of_the_pipeline():
    offending = {str(p.relative_to(SERVER.parent)): sorted(_imported_pipeline_modules(p) - SHARED)
                 for p in sorted(SERVER.rglob("*.py"))}
    assert {k: v for k, v in offending.items() if v} == {}
