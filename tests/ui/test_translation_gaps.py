"""The interface's last English words in Kazakh and Russian: file boxes, date boxes, language names, the
rows-per-page box (issue 12)."""

from __future__ import annotations

import pytest

from recdraft.i18n import t

ADMIN_PAGE = "recdraft/ui/pages/admin.py"
MEMO_PAGE = "recdraft/ui/pages/memo.py"


def _uploaders(at) -> list:
    return [e for e in at.get("file_uploader")]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("kk", "«Жүктеу» батырмасымен таңдаңыз: JSON, 200 МБ-қа дейін"), ("ru", "кнопкой «Загрузить»: JSON, до 200 МБ")],
)
def test_the_backup_file_box_says_what_it_takes_in_the_interface_language(app_as, lang, words):
    at = app_as("admin", ADMIN_PAGE, lang=lang)
    [box] = _uploaders(at)
    assert words in box.proto.help
    assert "Drag" not in box.proto.help and "Browse" not in box.proto.help


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_memo_check_file_box_says_what_it_takes_in_the_interface_language(app_as, lang):
    at = app_as("admin", MEMO_PAGE, lang=lang)
    helps = [box.proto.help for box in _uploaders(at)]
    assert helps and all("DOCX, JSON, PDF" in h and t("ui.upload.button", lang) in h for h in helps), helps


@pytest.mark.parametrize(("lang", "format_words"), [("kk", "КК.АА.ЖЖЖЖ"), ("ru", "ДД.ММ.ГГГГ")])
def test_date_boxes_give_their_format_in_the_interface_language(app_as, lang, format_words):
    at = app_as("admin", ADMIN_PAGE, lang=lang)
    held_on = at.date_input(key="admin_set_held_on")
    assert format_words in held_on.help and "YYYY" not in held_on.help
    assert format_words in at.date_input(key="admin_audit_dates").help
    at = app_as("admin", "recdraft/ui/pages/roundtables.py", lang=lang)
    assert format_words in at.date_input(key="rt_new_held_on").help


def test_a_language_named_in_a_kazakh_sentence_is_named_in_kazakh():
    import streamlit as st

    from recdraft.ui.widgets.labels import language_in_words, language_name

    st.session_state["recdraft_lang"] = "kk"
    try:
        sentence = t("recs.only_in", "kk", language=language_in_words("en"))
        assert sentence.endswith("мына тілде жазылған: ағылшын тілі.")
        assert "English" not in sentence
        assert language_name("en") == "English"  # a tab of English text still names it in English
        st.session_state["recdraft_lang"] = "ru"
        assert language_in_words("kk") == "казахский"
        st.session_state["recdraft_lang"] = "en"
        assert language_in_words("ru") == "Russian"
    finally:
        st.session_state.clear()


def test_the_browser_script_puts_the_file_box_words_in_each_language_and_widens_the_rows_per_page_box():
    from recdraft.ui import a11y

    assert "</" not in a11y._SCRIPT.replace("</script>", "")
    for code in ("kk", "ru"):
        for key in ("ui.upload.button", "ui.upload.drop"):
            assert t(key, code).encode("ascii", "backslashreplace").decode() in a11y._SCRIPT.replace("\\\\", "\\")
    assert "Upload" in a11y._SCRIPT and "per file" in a11y._SCRIPT  # the English words it replaces
    # "По 10 на странице" no longer ends in "По 10 на страни…": the box is wide enough for it.
    assert ".st-key-recs_page_size { width: 13.5rem" in a11y.HEAD


def test_a_link_naming_a_language_opens_the_app_in_it_once(app_as):
    """``?lang=ru`` (a link in a message) switches the interface, is taken off the address, and stays chosen."""
    at = app_as("expert", lang="en", run=False)
    at.query_params["lang"] = "ru"
    at.run()
    assert "Выйти" in [b.label for b in at.button]
    assert "lang" not in at.query_params
    assert at.session_state["recdraft_lang"] == "ru"
    at.run()
    assert "Выйти" in [b.label for b in at.button]
    other = app_as(None, run=False)
    other.query_params["lang"] = "de"  # not a language of the interface: ignored
    other.run()
    assert [w.label for w in other.text_input] == ["Username", "Password"]
