"""Every word of the interface comes from the catalogues, in Kazakh, Russian and English."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from recdraft.i18n import LANGS, catalog, missing_translations, t
from recdraft.i18n.formats import format_date, format_datetime, format_number

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*(ROOT / "recdraft" / "ui").rglob("*.py"), ROOT / "streamlit_app.py"])
ALLOW = "# i18n: not text"

# Streamlit calls whose label / body a person reads.
TEXT_CALLS = {
    "title",
    "header",
    "subheader",
    "caption",
    "markdown",
    "write",
    "text",
    "button",
    "form_submit_button",
    "text_input",
    "text_area",
    "selectbox",
    "multiselect",
    "radio",
    "checkbox",
    "toggle",
    "number_input",
    "date_input",
    "time_input",
    "file_uploader",
    "download_button",
    "error",
    "warning",
    "info",
    "success",
    "toast",
    "expander",
    "tabs",
    "metric",
    "link_button",
    "page_link",
    "Page",
    "dialog",
    "popover",
    "slider",
    "select_slider",
    "segmented_control",
    "pills",
    "badge",
    "chat_input",
    "feedback",
    "status",
    "spinner",
    "latex",
}
TEXT_KEYWORDS = {"label", "body", "title", "help", "placeholder", "caption", "text", "value_label"}
# Receivers that are not Streamlit (loggers write for operators, in English).
NOT_STREAMLIT = {"log", "logger", "logging", "warnings", "_LOGGER"}
LETTER = re.compile(r"[^\W\d_]")
# Markup that is not a word: HTML entities (&nbsp;), Streamlit colour directives (:gray[…]) and icons.
MARKUP = re.compile(
    r"&#?\w+;|:(?:red|orange|yellow|green|blue|violet|gray|grey|rainbow|primary)"
    r"(?:-background|-badge)?\[|:material/\w+:"
)


def _words(text: str) -> bool:
    return bool(LETTER.search(MARKUP.sub("", text)))


def _has_letters(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _words(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and _words(str(v.value)) for v in node.values)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(_has_letters(e) for e in node.elts)
    return False


def _receiver(node: ast.Attribute) -> str:
    value = node.value
    while isinstance(value, (ast.Attribute, ast.Call, ast.Subscript)):
        value = value.func if isinstance(value, ast.Call) else value.value
    return value.id if isinstance(value, ast.Name) else ""


def _allowed(lines: list[str], node: ast.AST) -> bool:
    return any(ALLOW in lines[i - 1] for i in range(node.lineno, (node.end_lineno or node.lineno) + 1))


def _literal_text_calls(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name not in TEXT_CALLS:
            continue
        if isinstance(func, ast.Attribute) and _receiver(func) in NOT_STREAMLIT:
            continue
        if isinstance(func, ast.Name) and name != "Page":
            continue
        candidates = list(node.args[:1]) + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        if name == "Page":
            candidates = [k.value for k in node.keywords if k.arg == "title"]
        if any(_has_letters(c) for c in candidates) and not _allowed(lines, node):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.get_source_segment(source, node)[:90]}")
    return found


def _key_calls(path: Path) -> list[tuple[int, ast.AST]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in {"tr", "t"}:
                out.append((node.lineno, node.args[0]))
    return out


def test_every_message_has_kazakh_russian_and_english():
    assert missing_translations() == []


def test_every_message_entry_names_only_the_three_languages():
    odd = {key: sorted(set(entry) - set(LANGS)) for key, entry in catalog().items() if set(entry) - set(LANGS)}
    assert odd == {}


def test_every_translation_uses_the_same_placeholders_as_english():
    def fields(text: str) -> set[str]:
        return set(re.findall(r"{(\w+)}", text))

    wrong = [
        (key, code)
        for key, entry in catalog().items()
        for code in LANGS
        if fields(entry.get(code, "")) != fields(entry["en"])
    ]
    assert wrong == []


def test_every_key_the_interface_asks_for_is_in_the_catalogue():
    keys = catalog()
    missing = []
    for path in SOURCES:
        for line, arg in _key_calls(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                if arg.value not in keys:
                    missing.append(f"{where}: {arg.value}")
            elif isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
                prefix = str(arg.values[0].value)
                if not any(key.startswith(prefix) for key in keys):
                    missing.append(f"{where}: {prefix}…")
    assert missing == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_pages_hold_no_literal_user_facing_text(path):
    assert _literal_text_calls(path) == []


def test_the_literal_text_check_catches_what_it_should(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import streamlit as st\n"
        'st.button("Save")\n'
        'box.caption(f"{n} comments")\n'
        'st.tabs(["One", tr("x")])\n'
        'st.text_input(tr("k"), help="Type here")\n'
        'st.Page("p.py", title="Home")\n'
        'st.caption("—")\n'
        'st.markdown(f":gray[{x}] :material/home: &nbsp;")\n'
        "st.text(value)\n"
        'log.warning("for operators")\n'
        'st.info("recdraft")  # i18n: not text\n',
        encoding="utf-8",
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        found = _literal_text_calls(sample)
    finally:
        ROOT = saved
    assert [line.split(":")[1] for line in found] == ["2", "3", "4", "5", "6"]


def test_kazakh_messages_use_kazakh_letters_not_look_alikes():
    # Latin "i" or "I" inside a Cyrillic word is a typical mistake for the Kazakh "і" (U+0456).
    mixed = re.compile(r"[\u0400-\u04ff][iI]|[iI][\u0400-\u04ff]")
    wrong = [key for key, entry in catalog().items() if mixed.search(entry.get("kk", ""))]
    assert wrong == []


def test_dates_numbers_and_times_are_written_for_each_language():
    import datetime as dt

    day = dt.date(2025, 2, 6)
    assert format_date(day, "en") == "6 February 2025"
    assert format_date(day, "ru") == "6 февраля 2025 г."
    assert format_date(day, "kk") == "2025 жылғы 6 ақпан"
    assert format_number(12345.5, "en") == "12,345.5"
    assert format_number(12345.5, "ru") == "12\u202f345,5"
    assert format_number(1234567, "kk") == "1\u202f234\u202f567"
    moment = dt.datetime(2025, 2, 6, 9, 5, tzinfo=dt.UTC)
    assert format_datetime(moment, "ru", "Asia/Almaty").endswith("14:05")
    assert format_datetime(moment, "en", "Europe/London") == "6 February 2025, 09:05"
    assert format_datetime(moment, "kk", "No/Such_Zone").startswith("2025 жылғы 6 ақпан")


def test_a_missing_message_is_an_error_not_a_silent_key():
    with pytest.raises(KeyError):
        t("no.such.key", "en")
