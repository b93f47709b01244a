"""Data for researchers (issue 18, item 10): one ZIP of CSV and XLSX tables with a data dictionary.

Built on the withheld-names world (tests/integration/test_withheld_names.py) plus an anonymous round and
a comment that looks like a formula; opened with the standard library and with openpyxl.
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from recdraft.errors import PermissionDenied
from recdraft.services import moderation, research
from recdraft.services._base import SYSTEM
from tests.factories import cast_votes, make_comment, make_recommendation, make_round
from tests.integration.test_withheld_names import WITHHELD, _leaks, withheld_world

FORMULA = '=HYPERLINK("http://evil.example","click")'
TABLES = ("recommendations", "revisions", "comments", "votes")


@pytest.fixture
def exported(db):
    w, ids = withheld_world(db)
    make_comment(w, "expert2", FORMULA, rec=ids["rec2"], approve_by="moderator")
    hidden = make_comment(w, "expert2", "Never exported", rec=ids["rec2"]).id
    moderation.moderate_comment(db, actor_id=w["moderator"], comment_id=hidden, action="reject", reason="Off topic")
    rec3 = make_recommendation(w, "expert", title="Train volunteers", status="discussion").id
    anonymous = make_round(w, [rec3], rules={"anonymous": True})
    cast_votes(w, anonymous, rec3, {"expert": "agree", "voter": "agree", "commenter": "agree"})
    out = research.export_research(db, actor_id=w["moderator"], roundtable_id=w.roundtable_id)
    return w, ids, out


def _csv_tables(zf: zipfile.ZipFile) -> dict[str, list[list[str]]]:
    return {
        name: list(csv.reader(io.StringIO(zf.read(f"{name}.csv").decode("utf-8-sig"))))
        for name in (*TABLES, "data_dictionary")
    }


def test_every_column_of_every_csv_and_sheet_is_in_the_data_dictionary(exported):
    _, _, out = exported
    zf = zipfile.ZipFile(io.BytesIO(out.content))
    assert zf.testzip() is None
    assert {"README.txt", "research.xlsx", "data_dictionary.csv", *(f"{t}.csv" for t in TABLES)} <= set(zf.namelist())
    tables = _csv_tables(zf)
    dictionary = tables["data_dictionary"]
    assert dictionary[0] == list(research.DICTIONARY_COLUMNS)
    described = {(row[0], row[1]) for row in dictionary[1:]}
    assert all(row[3].strip() and row[4].strip() and row[5].strip() for row in dictionary[1:])
    book = load_workbook(io.BytesIO(zf.read("research.xlsx")))
    assert set(book.sheetnames) == set(TABLES)
    for name in TABLES:
        header = tables[name][0]
        assert {(f"{name}.csv", c) for c in header} <= described and len(set(header)) == len(header)
        in_order = [(row[0], row[1]) for row in dictionary[1:] if row[0] == f"{name}.csv"]
        assert in_order == [(f"{name}.csv", c) for c in header]  # described in the order of the file
        sheet_rows = [[("" if v is None else str(v)) for v in row] for row in book[name].iter_rows(values_only=True)]
        assert sheet_rows[0] == header
        assert sheet_rows == tables[name], name  # the sheet and the CSV say the same
        assert len(tables[name]) - 1 == out.rows[name]
    assert out.rows["recommendations"] >= 2 and out.rows["votes"] >= 3


def test_no_withheld_name_no_live_formula_no_hidden_comment_and_anonymous_votes_stay_anonymous(exported):
    w, ids, out = exported
    zf = zipfile.ZipFile(io.BytesIO(out.content))
    for name in zf.namelist():
        data = zf.read(name)
        if name.endswith(".xlsx"):
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                for part in inner.namelist():
                    text = inner.read(part).decode("utf-8", errors="replace")
                    assert _leaks(text) == [], (name, part)
                    assert "<f>" not in text and "<f " not in text, (name, part)  # no formula cell at all
        else:
            assert _leaks(data.decode("utf-8-sig")) == [], name
    tables = _csv_tables(zf)
    bodies = [row[5] for row in tables["comments"][1:]]
    assert "'" + FORMULA in bodies and FORMULA not in bodies
    assert "Never exported" not in zf.read("comments.csv").decode("utf-8-sig")
    book = load_workbook(io.BytesIO(zf.read("research.xlsx")))
    cells = [c for row in book["comments"].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells) and "'" + FORMULA in [c.value for c in cells]
    # Withheld people are the memo's "Participant N"; the commenter keeps one label everywhere.
    authors = {row[3] for row in tables["comments"][1:]}
    assert "Participant 1" in authors and "Expert" in authors
    revision_authors = {row[3] for row in tables["revisions"][1:]}
    assert "Participant 1" in revision_authors
    header = tables["votes"][0]
    col = {c: header.index(c) for c in header}
    anonymous = [row for row in tables["votes"][1:] if row[col["anonymous"]] == "yes"]
    named = [row for row in tables["votes"][1:] if row[col["anonymous"]] == "no"]
    assert sorted(row[col["voter"]] for row in anonymous) == ["Voter 1", "Voter 2", "Voter 3"]
    assert all(row[col["organisation"]] == "" and row[col["cast_at"]] == "" for row in anonymous)
    assert {row[col["voter"]] for row in named} >= {"Expert", "Expert2", "Participant 1", "Participant 2"}
    assert WITHHELD["voter"][1] not in {row[col["voter"]] for row in named}


def test_only_moderators_admins_and_the_command_line_export_and_it_is_audited(exported, db):
    w, _, _ = exported
    for who in ("expert", "observer", "outsider"):
        with pytest.raises(PermissionDenied):
            research.export_research(db, actor_id=w[who], roundtable_id=w.roundtable_id)
    assert research.export_research(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, lang="ru").content
    assert research.export_research(db, actor_id=SYSTEM, roundtable_id=w.roundtable_id, lang="kk").content
    from sqlalchemy import select

    from recdraft.db.models import AuditEvent

    with db.read() as s:
        actors = [a for (a,) in s.execute(select(AuditEvent.actor_id).where(AuditEvent.action == "research.export"))]
    assert actors == [w["moderator"], w["admin"], None]
