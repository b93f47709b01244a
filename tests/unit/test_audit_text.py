"""The audit log reads as sentences in Kazakh, Russian and English (``services.activity.audit_text``).

Every audit action recdraft writes is found in the source (each ``audit(…, action=…)``), with the actions
named by an f-string listed here; each must have a label in the three languages, each detail key written
beside them a label too, and no sentence may show a catalogue key, a placeholder or JSON.
"""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from recdraft.domain.statuses import ModerationAction
from recdraft.i18n import LANGS, catalog
from recdraft.i18n.messages import Msg
from recdraft.schemas.views import AuditEventView
from recdraft.services.activity import audit_action_text, audit_object_text, audit_text

ROOT = Path(__file__).resolve().parents[2]
# Actions built from a variable: comment.{moderation action}, comment.{approve|reject}_edit, vote.{…}.
DYNAMIC = {
    "f'comment.{act.value}'": {f"comment.{a.value}" for a in ModerationAction},
    "f'comment.{decision}_edit'": {"comment.approve_edit", "comment.reject_edit"},
    "f'vote.{action}'": {"vote.cast", "vote.change", "vote.confirm"},
}


def _strings(node: ast.expr) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    source = ast.unparse(node)
    assert source in DYNAMIC, f"an audit action built as {source}: list what it can be in DYNAMIC"
    return DYNAMIC[source]


def _scan() -> tuple[set[str], set[str], set[str]]:
    actions: set[str] = set()
    keys: set[str] = set()
    objects: set[str] = set()
    for path in (ROOT / "recdraft").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "audit"):
                continue
            for kw in node.keywords:
                if kw.arg == "action":
                    actions |= _strings(kw.value)
                elif kw.arg == "object_type":
                    objects |= _strings(kw.value)
                elif kw.arg == "details" and isinstance(kw.value, ast.Dict):
                    keys |= {k.value for k in kw.value.keys if isinstance(k, ast.Constant)}
    return actions, keys, objects


ACTIONS, DETAIL_KEYS, OBJECT_TYPES = _scan()


def _clean(text: str) -> None:
    assert text.strip()
    for raw in ("audit.", "svc.", "{", "}", '"', "'key'", "params"):
        assert raw not in text, f"{raw!r} in {text!r}"


def test_the_scan_finds_the_actions():
    assert {"roundtable.phase", "membership.set", "vote.cast", "comment.hide", "memo.export"} <= ACTIONS
    assert {"from", "to", "recommendation_id", "round_id"} <= DETAIL_KEYS


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_has_a_label_in_every_language(action):
    entry = catalog().get(f"audit.action.{action}")
    assert entry and all((entry.get(lang) or "").strip() for lang in LANGS), action
    for lang in LANGS:
        details = {key: _sample(key) for key in sorted(DETAIL_KEYS)}
        event = AuditEventView(
            id=1,
            at=datetime(2026, 5, 1, tzinfo=UTC),
            actor_id=2,
            actor_name="Aigerim",
            roundtable_id=1,
            action=action,
            object_type="recommendation",
            object_id=12,
            details=details,
        )
        text = audit_text(event, lang)
        _clean(text)
        assert text.startswith(audit_action_text(action, lang))
        assert audit_action_text(action, lang) != audit_action_text("no.such.action", lang)


def _sample(key: str):
    return {
        "from": "drafting",
        "to": "voting",
        "numbers": {"5": [3, 4]},
        "final": True,
        "fields": ["title", "text"],
        "rows": {"users": 3},
        "sha256": "ab" * 32,
        "sent_at": None,
    }.get(key, 7)


@pytest.mark.parametrize("lang", LANGS)
def test_every_detail_key_and_object_has_a_label(lang):
    missing = sorted(key for key in DETAIL_KEYS if not (catalog().get(f"audit.detail.{key}") or {}).get(lang))
    assert missing == []
    for kind in OBJECT_TYPES:
        event = AuditEventView(
            id=1,
            at=datetime(2026, 5, 1, tzinfo=UTC),
            actor_id=None,
            actor_name=None,
            roundtable_id=1,
            action="x",
            object_type=kind,
            object_id=3,
            details={},
        )
        _clean(audit_object_text(event, lang))
        assert f"audit.object.{kind}" in catalog()


def test_values_are_named_in_the_language_and_stored_messages_are_rendered():
    phase = AuditEventView(
        id=1,
        at=datetime(2026, 5, 1, tzinfo=UTC),
        actor_id=2,
        actor_name="A",
        roundtable_id=1,
        action="roundtable.phase",
        object_type="roundtable",
        object_id=1,
        details={"from": "drafting", "to": "voting"},
    )
    assert audit_text(phase, "en") == "Phase changed: Before: Drafting; After: Voting"
    ru = catalog()
    assert (
        audit_text(phase, "ru")
        == f"Этап изменён: Было: {ru['phase.drafting']['ru']}; Стало: {ru['phase.voting']['ru']}"
    )
    assert "voting" not in audit_text(phase, "ru") and "voting" not in audit_text(phase, "kk")
    role = phase.model_copy(
        update={"action": "membership.set", "details": {"user_id": 4, "from": None, "to": "expert"}}
    )
    assert "—" in audit_text(role, "en") and catalog()["role.expert"]["kk"] in audit_text(role, "kk")
    note = phase.model_copy(
        update={"action": "recommendation.restore", "details": {"note": Msg("svc.not_participant").to_json()}}
    )
    for lang in LANGS:
        text = audit_text(note, lang)
        _clean(text)
        assert catalog()["svc.not_participant"][lang] in text


def test_the_command_line_is_named_in_the_language():
    event = AuditEventView(
        id=1,
        at=datetime(2026, 5, 1, tzinfo=UTC),
        actor_id=None,
        actor_name=None,
        roundtable_id=None,
        action="backup.restore",
        object_type="database",
        object_id=None,
        details={"replaced": True, "by": "cli", "rows": 12},
    )
    assert audit_text(event, "en") == "Backup restored: Replaced the data: yes; By: the command line; Rows: 12"
    assert "командная строка" in audit_text(event, "ru") and "пәрмен жолы" in audit_text(event, "kk")
    assert audit_object_text(event, "ru") == "база данных"
