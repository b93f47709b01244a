"""Every message recdraft raises is a catalogue key with Kazakh, Russian and English, and its parameters.

The source of every module in ``recdraft/`` is read: each ``raise SomeError(…)`` of recdraft's errors (and
``InvalidValue`` in validators, ``deny_unless(…, key)`` in services) must name its message by a literal
key of the catalogues, with a non-empty text in kk, ru and en, and pass exactly the parameters that text
uses. Validators reach people too: ``raise ValueError("…")`` is refused in the layers a person's input
goes through (domain, schemas, services, export, mail, config), which raise ``InvalidValue`` instead.
An error raised from a variable (``raise already``) is checked where it is built.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from recdraft.i18n import LANGS, catalog

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "recdraft").rglob("*.py"))
# Exceptions whose first argument is a message key: recdraft's error tree (found in the source, so a new
# subclass is covered without a change here) and InvalidValue.
NOT_KEYED = {"RecdraftError"}  # the base class takes a key too, but is only subclassed
OWN_ARGUMENTS = {
    "field",
    "retry_after",
    "current",
    "yours",
    "current_revision_id",
    "saved_draft_id",
    "current_revision_number",
    "current_author_name",
    "current_saved_at",
}
# Where a plain ValueError would reach a person (validators, parsers of settings and files).
NO_PLAIN_VALUE_ERRORS = ("domain", "schemas", "services", "export", "mail", "config.py", "i18n")


def _error_classes() -> set[str]:
    """recdraft's own exception classes that take a message key (subclasses of RecdraftError, InvalidValue;
    every subclass keeps its base's ``(key, /, **params)`` signature)."""
    bases: dict[str, set[str]] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
    keyed = {"RecdraftError", "InvalidValue"}
    changed = True
    while changed:
        changed = False
        for name, parents in bases.items():
            if name not in keyed and parents & keyed:
                keyed.add(name)
                changed = True
    return keyed


ERRORS = _error_classes()


def _name(func: ast.expr) -> str:
    return getattr(func, "id", getattr(func, "attr", ""))


def _placeholders(text: str) -> set[str]:
    return {field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(text) if field}


def _constants(tree: ast.Module) -> dict[str, str]:
    """The module's constants that hold a string (``FAILED_MESSAGE = "svc.sign_in_failed"``)."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = node.value.value
    return out


def _calls() -> list[tuple[str, ast.Call, str]]:
    """(where, call, kind) for every construction of a keyed error and every deny_unless; a module
    constant given as the message is replaced by its value, so it is checked like a literal."""
    found = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _constants(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                node.args = [
                    ast.Constant(constants[a.id]) if isinstance(a, ast.Name) and a.id in constants else a
                    for a in node.args
                ]
        rel = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            where = f"{rel}:{node.lineno}"
            if name in ERRORS - NOT_KEYED:
                found.append((where, node, "error"))
            elif name == "deny_unless":
                found.append((where, node, "deny"))
            elif name == "Msg" and node.args:
                found.append((where, node, "msg"))
    return found


CALLS = _calls()


def _problem(call: ast.Call, kind: str) -> str | None:
    args = call.args[1:] if kind == "deny" else call.args
    if not args:
        return "no message key"
    first = args[0]
    if isinstance(first, ast.Call) and _name(first.func) == "Msg":
        return None  # the Msg is checked where it is built
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        # A key chosen at run time from a table of literal keys (a dict of keys) is checked by that table's test.
        if isinstance(first, ast.Name | ast.Attribute | ast.Subscript | ast.Call | ast.IfExp):
            return None
        return f"the message is not a key: {ast.unparse(first)[:80]}"
    key = first.value
    entry = catalog().get(key)
    if entry is None:
        return f"{key!r} is not in the catalogues"
    missing = [lang for lang in LANGS if not (entry.get(lang) or "").strip()]
    if missing:
        return f"{key!r} has no text in {', '.join(missing)}"
    if any(isinstance(k, ast.keyword) and k.arg is None for k in call.keywords):
        return None  # **params: checked by the caller's own test
    given = {k.arg for k in call.keywords if k.arg} - (OWN_ARGUMENTS if kind == "error" else set())
    wanted = set().union(*(_placeholders(entry[lang]) for lang in LANGS))
    if given != wanted:
        return f"{key!r} wants {sorted(wanted)} and is given {sorted(given)}"
    return None


def test_the_scan_finds_the_errors():
    assert {"NotFound", "PermissionDenied", "InvalidInput", "Conflict", "InvalidValue"} <= ERRORS
    assert len(CALLS) > 200


@pytest.mark.parametrize("path", sorted({where.split(":")[0] for where, _, _ in CALLS}))
def test_every_raised_message_is_a_key_with_kk_ru_en(path):
    problems = [
        f"{where}: {problem}"
        for where, call, kind in CALLS
        if where.split(":")[0] == path and (problem := _problem(call, kind))
    ]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    "path",
    [p for p in SOURCES if p.relative_to(ROOT / "recdraft").parts[0] in NO_PLAIN_VALUE_ERRORS],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_plain_value_error_with_a_message_reaches_a_person(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    plain = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise)
        and isinstance(node.exc, ast.Call)
        and _name(node.exc.func) == "ValueError"
        and node.exc.args
    ]
    assert plain == [], "raise InvalidValue(key, …) instead:\n" + "\n".join(plain)
