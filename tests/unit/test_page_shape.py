"""One page shape: every file in recdraft/ui/pages/ is a thin entry running its screen's ``render``.

A page file is what ``st.navigation`` runs as a script: a docstring, ``from recdraft.ui.screens.<name>
import render`` and ``render()`` — nothing else. The page's code lives in ``recdraft/ui/screens/<name>.py``
(or the package ``recdraft/ui/screens/<name>/``), which defines ``render``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p for p in (ROOT / "recdraft" / "ui" / "pages").glob("*.py") if p.name != "__init__.py")
SCREENS = ROOT / "recdraft" / "ui" / "screens"


def _screen_source(name: str) -> Path | None:
    for candidate in (SCREENS / f"{name}.py", SCREENS / name / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_the_page_file_is_a_docstring_an_import_of_its_screen_and_render(page: Path):
    body = ast.parse(page.read_text(encoding="utf-8")).body
    assert len(body) == 3, f"{page.name}: {len(body)} statements, expected docstring, import, render()"
    doc, imported, call = body
    assert isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant) and isinstance(doc.value.value, str)
    assert doc.value.value.strip(), f"{page.name}: the docstring says nothing"
    assert isinstance(imported, ast.ImportFrom) and imported.level == 0
    assert imported.module == f"recdraft.ui.screens.{page.stem}", imported.module
    assert [(a.name, a.asname) for a in imported.names] == [("render", None)]
    assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)
    assert isinstance(call.value.func, ast.Name) and call.value.func.id == "render"
    assert not call.value.args and not call.value.keywords


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_the_screen_defines_render(page: Path):
    source = _screen_source(page.stem)
    assert source is not None, f"no recdraft/ui/screens/{page.stem}.py (or package) for {page.name}"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    imported = {a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
    assert "render" in defined | imported, f"{source.relative_to(ROOT)} defines no render()"
