"""The dependency rule, checked on the source: ui → services → {domain, schemas, db, export}."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "recdraft"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(sub: str = "") -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py"))


def test_streamlit_is_imported_only_by_the_app_and_the_ui_package():
    offenders = []
    for path in [*_modules(), *ROOT.glob("*.py")]:
        rel = path.relative_to(ROOT).as_posix()
        if rel == "streamlit_app.py" or rel.startswith("recdraft/ui/"):
            continue
        if any(n == "streamlit" or n.startswith("streamlit.") for n in _imports(path)):
            offenders.append(rel)
    assert offenders == []


def _offenders(sub: str, forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for path in _modules(sub):
        bad = [n for n in _imports(path) if n.startswith(forbidden)]
        if bad:
            out.append(f"{path.relative_to(ROOT)}: {bad}")
    return out


def test_the_domain_imports_no_infrastructure():
    assert (
        _offenders(
            "domain",
            ("sqlalchemy", "streamlit", "docx", "recdraft.db", "recdraft.services", "recdraft.ui", "recdraft.export"),
        )
        == []
    )


def test_the_export_imports_no_database_code():
    assert _offenders("export", ("sqlalchemy", "streamlit", "recdraft.db", "recdraft.services", "recdraft.ui")) == []


def test_services_never_import_the_ui():
    assert _offenders("services", ("streamlit", "recdraft.ui")) == []


def test_the_database_layer_imports_no_services_or_ui():
    assert _offenders("db", ("streamlit", "recdraft.services", "recdraft.ui", "recdraft.export")) == []


def test_the_ui_does_not_touch_the_database_directly():
    assert _offenders("ui", ("sqlalchemy", "recdraft.db.models")) == []


def test_the_ui_never_decides_who_may():
    """recdraft/ui shows the actions the services computed (``StandingView``, views' ``actions``): it may name
    an ``Action`` but never asks the policy itself (``can``, ``actions``, ``refusal``, ``voting_roles``)."""
    asking = {"can", "actions", "refusal", "voting_roles"}
    offenders = []
    for path in _modules("ui"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "recdraft.domain.policy":
                offenders += [f"{rel}:{node.lineno} imports {a.name}" for a in node.names if a.name in asking]
            elif isinstance(node, ast.ImportFrom) and node.module == "recdraft.domain":
                offenders += [
                    f"{rel}:{node.lineno} imports the policy module" for a in node.names if a.name == "policy"
                ]
            elif isinstance(node, ast.Import):
                offenders += [
                    f"{rel}:{node.lineno} imports the policy module"
                    for a in node.names
                    if a.name == "recdraft.domain.policy"
                ]
    assert offenders == []
