"""AppTest fixtures shared by every UI test: a demo database and ``app_as(role)``.

    def test_observers_get_no_admin_page(app_as):
        at = app_as("observer")                        # the whole app (streamlit_app.py), signed in
        at = app_as("admin", "recdraft/ui/pages/admin.py")   # ...then switched to a page file
        at = app_as(None)                              # signed out: the sign-in page

Roles map to demo accounts: admin (a system administrator), moderator, expert (= expert1), expert2 ..
expert6, observer; ``None`` or "signed_out" means not signed in. The app reads the database from
``RECDRAFT_DATABASE_URL``: a copy of one demo database (loaded once per test session, ~3 s) is made for
each test, so a test may change data without disturbing any other. ``ui_db`` is that database, to
arrange data or check what a click did.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from recdraft.db.engine import Database
from recdraft.db.models import Base
from recdraft.services import accounts
from recdraft.services.demo import load_demo
from tests.factories import World, world_of

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "streamlit_app.py"
TIMEOUT = 30
DEMO_PASSWORD = "demo"
ACCOUNTS = {
    "admin": "admin",
    "moderator": "moderator",
    "expert": "expert1",
    "observer": "observer",
    **{f"expert{i}": f"expert{i}" for i in range(1, 7)},
}
TOKEN_KEY = "recdraft_token"
LANG_KEY = "recdraft_lang"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the demo loaded, checkpointed so that copying the one file copies everything."""
    path = tmp_path_factory.mktemp("ui-template") / "demo.sqlite3"
    db = Database(f"sqlite:///{path}")
    Base.metadata.create_all(db.engine)
    load_demo(db, password=DEMO_PASSWORD)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture
def ui_db_url(demo_template: Path, tmp_path: Path) -> str:
    """This test's own copy of the demo database (a file copy: a few milliseconds)."""
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def ui_db(ui_db_url: str) -> Iterator[Database]:
    """A handle on the database the app under test uses."""
    db = Database(ui_db_url)
    yield db
    db.dispose()


def _clear_app_caches() -> None:
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def ui_env(ui_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app at this module's database (and forget the previous module's engine)."""
    monkeypatch.setenv("RECDRAFT_DATABASE_URL", ui_db_url)
    monkeypatch.delenv("RECDRAFT_DEMO", raising=False)
    _clear_app_caches()
    yield ui_db_url
    _clear_app_caches()


def token_for(db: Database, role: str) -> str:
    """A fresh sign-in session token for the demo account behind ``role``."""
    return accounts.sign_in(db, username=ACCOUNTS[role], password=DEMO_PASSWORD).token


def user_id(db: Database, role: str) -> int:
    return accounts.find_user(db, username=ACCOUNTS[role]).id


AppAs = Callable[..., AppTest]


@pytest.fixture
def app_as(ui_env: str, ui_db: Database) -> AppAs:
    """Factory: ``app_as(role, page=None, *, lang="en", run=True)`` → an AppTest of the whole app.

    Signed in as the role's demo account (a token in session state, as after the sign-in form), in
    ``lang``; when ``page`` (a file path like "recdraft/ui/pages/admin.py") is given, switched to it.
    With ``run=False`` the AppTest is returned before its first run (set query_params etc. first).
    """

    def make(role: str | None, page: str | None = None, *, lang: str = "en", run: bool = True) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        at.session_state[LANG_KEY] = lang
        if role not in (None, "signed_out"):
            at.session_state[TOKEN_KEY] = token_for(ui_db, role)
        if not run:
            return at
        at.run()
        if page is not None:
            at.switch_page(page).run()
        return at

    return make


def page_alone(db: Database, role: str, page: str) -> AppTest:
    """The page file run on its own (as when someone types its address), signed in as ``role``, in English."""
    at = AppTest.from_file(str(ROOT / page), default_timeout=30)
    at.session_state[LANG_KEY] = "en"
    at.session_state[TOKEN_KEY] = token_for(db, role)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Every text a person can read on the page (main area and sidebar), joined by newlines."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "caption",
        "markdown",
        "text",
        "info",
        "warning",
        "error",
        "success",
        "exception",
    ):
        for element in getattr(at, kind):
            parts.append(str(element.value))
    for kind in (
        "button",
        "text_input",
        "text_area",
        "selectbox",
        "checkbox",
        "toggle",
        "radio",
        "date_input",
        "number_input",
        "multiselect",
    ):
        for widget in getattr(at, kind):
            parts.append(str(getattr(widget, "label", "")))
    for block in ("expander", "tabs"):
        for b in getattr(at, block, []):
            parts.append(str(getattr(b, "label", "")))
    parts.extend(str(m.label) + " " + str(m.value) for m in at.metric)
    return "\n".join(parts)


def page_titles(at: AppTest) -> list[str]:
    """The titles of the pages st.navigation offers in this run."""
    return [str(info.get("page_name", "")) for info in at._registered_pages.values()]


def page_files(at: AppTest) -> set[str]:
    """The page files (relative to the repository) st.navigation offers in this run."""
    out = set()
    for info in at._registered_pages.values():
        script = info.get("script_path")
        if script:
            out.add(Path(str(script)).resolve().relative_to(ROOT).as_posix())
    return out


def demo_world(db: Database) -> World:
    """The demo roundtable (id 1) for the factories: its people by the names of ACCOUNTS."""
    return world_of(db, 1, ACCOUNTS)
