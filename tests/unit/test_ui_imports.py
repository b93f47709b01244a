"""The UI's modules import each other in one direction: no cycle in recdraft.ui (function-level imports too).

state ← language ← auth; messages ← language; screens.signin ← auth, language, messages; context ← all of
those; widgets and screens ← context; nav (the router) on top. A cycle makes a module work only when another
was imported first (the old circle auth ↔ context ↔ nav ↔ pages/signin); each module must also import alone.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "recdraft" / "ui"
PAGES = UI / "pages"


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module(p): p for p in sorted(UI.rglob("*.py")) if PAGES not in p.parents}


def _imports(path: Path, name: str) -> set[str]:
    """The recdraft.ui modules ``path`` imports, wherever the import statement is (a package's __init__ not
    counted for ``from package import module``)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(path, name) for name, path in MODULES.items()}


def _cycle() -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(GRAPH):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_import_graph_of_recdraft_ui_has_no_cycle():
    assert _cycle() is None, " → ".join(_cycle() or [])


def test_sign_in_rendering_and_language_state_are_not_in_the_context():
    assert "recdraft.ui.nav" not in GRAPH["recdraft.ui.context"]
    assert "recdraft.ui.context" not in GRAPH["recdraft.ui.auth"]
    assert "recdraft.ui.context" not in GRAPH["recdraft.ui.screens.signin"]
    assert "recdraft.ui.context" not in GRAPH["recdraft.ui.language"]


@pytest.mark.parametrize(
    "name",
    [
        "recdraft.ui.context",
        "recdraft.ui.auth",
        "recdraft.ui.nav",
        "recdraft.ui.screens.signin",
        "recdraft.ui.language",
        "recdraft.ui.messages",
    ],
)
def test_each_shell_module_imports_alone_in_a_fresh_interpreter(name):
    done = subprocess.run(
        [sys.executable, "-c", f"import {name}"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
