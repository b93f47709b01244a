"""Every message a service can raise is in the catalogue, so Kazakh and Russian readers get it in their language.

The messages are found in the source (``raise InvalidInput("…")``, ``deny_unless(…, f"…")``, validators'
``ValueError``): a new message without a translation fails here, naming the file and line.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from recdraft.i18n import LANGS, WORD_PREFIX, catalog, translate_service_message

ROOT = Path(__file__).resolve().parents[2]
ERRORS = {"InvalidInput", "PermissionDenied", "NotFound", "InvalidTransition", "NotSignedIn", "SignInFailed",
          "BackupError", "TooManyAttempts", "ValueError", "Conflict"}
SAMPLE = "Ω7"  # a value no template contains, put where the code puts a run-time value


def _message_node(node: ast.Call) -> ast.expr | None:
    name = getattr(node.func, "id", getattr(node.func, "attr", ""))
    if name in ERRORS and node.args:
        return node.args[0]
    if name == "deny_unless" and len(node.args) > 1:
        return node.args[1]
    return None


def raised_messages() -> list[tuple[str, str]]:
    """(where, an example of the message as raised) for every literal message in services and schemas."""
    found = []
    for folder in ("services", "schemas"):
        for path in sorted((ROOT / "recdraft" / folder).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                arg = _message_node(node) if isinstance(node, ast.Call) else None
                where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.append((where, arg.value))
                elif isinstance(arg, ast.JoinedStr):
                    found.append((where, "".join(part.value if isinstance(part, ast.Constant) else SAMPLE
                                                 for part in arg.values)))
    return found


def test_the_source_scan_finds_the_services_messages():
    messages = [text for _, text in raised_messages()]
    assert len(messages) > 100
    assert "You cannot flag your own comment; edit it instead." in messages
    assert f"Voting round {SAMPLE} is already closed." in messages


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_message_a_service_raises_is_translated(lang):
    missing = [f"{where}: {text}" for where, text in raised_messages()
               if translate_service_message(text, lang) is None]
    assert missing == [], "add these to recdraft/i18n/catalog/services.json:\n" + "\n".join(missing)


def test_run_time_values_are_carried_into_the_translation():
    ru = translate_service_message("Voting round 12 is already closed.", "ru")
    kk = translate_service_message("Voting round 12 is already closed.", "kk")
    assert ru and "12" in ru and ru != "Voting round 12 is already closed."
    assert kk and "12" in kk and any(ch in kk for ch in "әғқңөұүһі")


def test_known_words_in_a_message_are_translated_too():
    words = {key[len(WORD_PREFIX):]: entry for key, entry in catalog().items() if key.startswith(WORD_PREFIX)}
    assert "Title" in words
    ru = translate_service_message("Title cannot be empty", "ru")
    assert ru is not None and words["Title"]["ru"] in ru and "Title" not in ru


def test_unknown_messages_and_english_are_left_alone():
    assert translate_service_message("Something nobody wrote", "ru") is None
    assert translate_service_message("You cannot flag your own comment; edit it instead.", "en") == \
        "You cannot flag your own comment; edit it instead."


def test_word_entries_name_themselves_and_templates_keep_their_fields():
    for key, entry in catalog().items():
        if key.startswith(WORD_PREFIX):
            assert entry["en"] == key[len(WORD_PREFIX):], key
        elif key.startswith("svc."):
            fields = {f for _, f, _, _ in string.Formatter().parse(entry["en"]) if f is not None}
            for lang in LANGS:
                assert {f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f is not None} == fields, \
                    (key, lang)


def test_numbers_are_written_for_the_language_and_typed_names_are_never_translated():
    ru = translate_service_message("Title is too long: at most 50,000 characters (this one has 50,123)", "ru")
    assert ru is not None and "50\u202f000" in ru and "50\u202f123" in ru
    # A user name that happens to be a program word ("draft" is a status) stays as typed.
    assert "draft" in translate_service_message("The user name 'draft' is already taken.", "ru")
    assert "черновик" not in translate_service_message("The user name 'draft' is already taken.", "ru").lower()
