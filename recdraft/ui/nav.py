"""The router: which pages each person gets, built on every run from their role read fresh.

Pages are files in ``recdraft/ui/pages/`` (AppTest's ``switch_page`` takes file paths), each a thin entry
running ``recdraft.ui.screens.<name>.render``. Who sees which page, from their standing in the current
roundtable (``StandingView``: role, actions, whether they vote), read fresh on every run:

==================  =============================================================
overview            every member
recommendations     every member
draft               contributors: admin, moderator, expert
vote                whoever votes in the roundtable (``StandingView.voter``: experts; moderators and admins
                    when it lets moderators vote), in every phase (past votes stay readable)
results             every member
moderation          moderators and admins
memo                admins
participants        admins
roundtables         organisers, system administrators and the admins of any roundtable; also anyone
                    who takes part in no roundtable yet (it says how to get in)
admin               admins (system administrators are admins of every roundtable)
account             everyone signed in
==================  =============================================================

Hiding a page only tidies the menu: every action a page offers is checked again by its service.
Every page's address stays registered (hidden): signed out, it shows the sign-in form and, once signed
in, the same address opens the page; a role without the page is told so instead of "page not found".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from recdraft.domain.policy import Action
from recdraft.domain.roles import Role
from recdraft.schemas.views import RoundtableView, StandingView, UserView
from recdraft.ui import a11y, auth
from recdraft.ui.context import (
    choose_roundtable,
    current_role,
    current_roundtable,
    current_user,
    list_my_roundtables,
    page_run,
    show_unexpected_error,
    standing,
)
from recdraft.ui.language import lang, language_switch, localized, tr
from recdraft.ui.screens import signin

PAGES_DIR = Path(__file__).resolve().parent / "pages"
# The browser tab's icon: an emoji, which Streamlit's browser code draws itself (a Material icon would be
# fetched from Google; an image file costs a media request and ~0.2 s on every first render).
FAVICON = "⚖️"
ALL = frozenset(Role)
CONTRIBUTORS = frozenset({Role.ADMIN, Role.MODERATOR, Role.EXPERT})
STAFF = frozenset({Role.ADMIN, Role.MODERATOR})
ADMINS = frozenset({Role.ADMIN})
Allowed = Callable[[StandingView | None, RoundtableView | None], bool]


def _may_vote(standing: StandingView | None, _rt: RoundtableView | None) -> bool:
    """The Vote page: whoever the service says votes in this roundtable (it stays in the menu once final, to
    show past votes; the page itself then offers a ballot only when ``Action.VOTE`` is in their actions)."""
    return standing is not None and (standing.voter or Action.VOTE in standing.actions)


@dataclass(frozen=True)
class PageSpec:
    """One page: its file, menu title key, icon, section and who may see it."""

    name: str
    section: str
    icon: str
    allowed: Allowed
    needs_roundtable: bool = True
    title: str | None = None  # the menu title's catalogue key, when not ``nav.<name>``
    # Offered to this person whatever their role in the current roundtable (and without one).
    for_person: Callable[[UserView], bool] | None = None

    @property
    def path(self) -> Path:
        return PAGES_DIR / f"{self.name}.py"

    @property
    def title_key(self) -> str:
        return self.title or f"nav.{self.name}"


def _roles(roles: frozenset[Role]) -> Allowed:
    return lambda standing, _rt: standing is not None and standing.role in roles


def _manages_roundtables(user: UserView) -> bool:
    """Organisers and system administrators; admins of any of their roundtables; someone in none yet."""
    if user.is_system_admin or user.is_organiser:
        return True
    tables = list_my_roundtables(user)
    return not tables or any(current_role(user, rt.id) == Role.ADMIN for rt in tables)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "work", ":material/home:", _roles(ALL)),
    PageSpec("recommendations", "work", ":material/description:", _roles(ALL)),
    PageSpec("draft", "work", ":material/edit_note:", _roles(CONTRIBUTORS)),
    PageSpec("import_recommendations", "work", ":material/upload_file:", _roles(CONTRIBUTORS), title="import.ui.nav"),
    PageSpec("vote", "work", ":material/how_to_vote:", _may_vote),
    PageSpec("results", "work", ":material/bar_chart:", _roles(ALL)),
    PageSpec("live", "work", ":material/smartphone:", _roles(ALL)),
    # Who translates: authors, moderators and admins (services.translations checks each recommendation).
    PageSpec("translations", "work", ":material/translate:", _roles(CONTRIBUTORS)),
    PageSpec("moderation", "manage", ":material/shield_person:", _roles(STAFF)),
    PageSpec("presenter", "manage", ":material/co_present:", _roles(STAFF)),
    PageSpec("memo", "manage", ":material/article:", _roles(ADMINS)),
    PageSpec("participants", "manage", ":material/group:", _roles(ADMINS), title="participants.nav"),
    PageSpec(
        "roundtables",
        "manage",
        ":material/table_restaurant:",
        _roles(ADMINS),
        needs_roundtable=False,
        title="roundtables.nav",
        for_person=_manages_roundtables,
    ),
    PageSpec("admin", "manage", ":material/admin_panel_settings:", _roles(ADMINS), needs_roundtable=False),
    PageSpec("account", "personal", ":material/person:", lambda standing, rt: True, needs_roundtable=False),
)
SECTIONS = ("work", "manage", "personal")


def visible_pages(user: UserView, rt: RoundtableView | None, found: StandingView | None) -> list[PageSpec]:
    """The pages this person gets now, in menu order."""
    out = []
    for spec in PAGES:
        if spec.for_person is not None and spec.for_person(user):
            out.append(spec)
            continue
        if rt is None:
            # No roundtable yet: a system administrator still manages accounts; everyone has their account.
            if spec.name == "admin" and user.is_system_admin or not spec.needs_roundtable:
                out.append(spec)
            continue
        if spec.allowed(found, rt):
            out.append(spec)
    return out


def _st_page(spec: PageSpec, *, default: bool = False) -> st.Page:
    # The default page is served at the root ("" reserves no other address); its own address is kept by
    # the hidden alias ``_own_address`` — otherwise a bookmark of /overview showed "Page not found".
    return st.Page(
        spec.path, title=tr(spec.title_key), icon=spec.icon, url_path="" if default else spec.name, default=default
    )


def _own_address(spec: PageSpec) -> st.Page:
    """The default page again at its own address (/overview), for bookmarks and a sign-in started there."""
    return st.Page(spec.path, title=tr(spec.title_key), icon=spec.icon, url_path=spec.name, visibility="hidden")


def signin_page() -> st.Page:
    return st.Page(
        PAGES_DIR / "signin.py", title=tr("nav.signin"), icon=":material/login:", url_path="signin", default=True
    )


def _not_allowed() -> None:
    st.warning(tr("core.not_allowed"))


def _hidden(spec: PageSpec, render: Callable[[], None]) -> st.Page:
    """A page's address kept working (a bookmark, a reload) without the page: ``render`` runs instead."""
    return st.Page(render, title=tr(spec.title_key), url_path=spec.name, visibility="hidden")


def _who_am_i(user: UserView, rt: RoundtableView | None, role: Role | None) -> None:
    box = st.sidebar.container(key="nav_user")
    box.caption(tr("nav.signed_in_as"))
    box.text(user.display_name)
    if role:
        box.caption(tr(f"role.{role}"))
    tables = list_my_roundtables(user) if rt is not None else []
    if rt is not None and len(tables) > 1:
        ids = [t.id for t in tables]
        titles = {t.id: localized(t.title) for t in tables}

        def switched() -> None:
            choose_roundtable(st.session_state["nav_roundtable"])

        # Chosen elsewhere (the Roundtables page, a new roundtable): the switch starts afresh from ``index``.
        if st.session_state.get("nav_roundtable", rt.id) != rt.id:
            del st.session_state["nav_roundtable"]
        box.selectbox(
            tr("nav.roundtable"),
            ids,
            index=ids.index(rt.id),
            format_func=titles.__getitem__,
            key="nav_roundtable",
            on_change=switched,
        )
    if box.button(tr("nav.sign_out"), key="nav_signout", icon=":material/logout:", width="stretch"):
        auth.end_session()
        st.rerun()


def build_navigation() -> st.Page:
    """Pages and sidebar for this run: the sign-in page when signed out, else the person's pages."""
    user = current_user()
    if user is None:
        # Every page's address shows the sign-in form; after signing in the same address opens the page.
        hidden = [_hidden(spec, signin.render) for spec in PAGES]
        return st.navigation([signin_page(), *hidden], position="hidden")
    try:
        rt = current_roundtable(user)
    except Exception as exc:  # noqa: BLE001 - a damaged stored roundtable must not lock out its repair
        if not user.is_system_admin:
            raise
        # A system administrator still gets the Admin page (and its restore control) without it.
        show_unexpected_error(exc)
        rt = None
    found = standing(user, rt.id) if rt is not None else None
    specs = visible_pages(user, rt, found)
    sections: dict[str, list[st.Page]] = {}
    menu: dict[str, list[tuple[PageSpec, st.Page]]] = {}
    own_address = _own_address(specs[0]) if specs else None
    for i, spec in enumerate(specs):
        page = _st_page(spec, default=i == 0)
        section = tr(f"nav.section.{spec.section}")
        sections.setdefault(section, []).append(page)
        # The menu links the first page by its own address: a page that stays itself when, after an action
        # on it, another page becomes the first one (creating the first roundtable makes Overview the first).
        menu.setdefault(section, []).append((spec, own_address if i == 0 and own_address else page))
    offered = {spec.name for spec in specs}
    refused = [_hidden(spec, _not_allowed) for spec in PAGES if spec.name not in offered]
    if sections and own_address is not None:
        next(iter(sections.values())).extend([own_address, *refused])
    # Streamlit's own sidebar menu is a list whose items axe reports as misplaced (list / listitem, serious):
    # the menu is recdraft's own: page links under section captions (see docs/accessibility.md).
    nav = st.navigation(sections, position="hidden")
    # The language first: someone who cannot read the current one finds it at the top, and its list opens
    # downwards into the room it needs however long the menu below it grows.
    language_switch(st.sidebar)
    _menu(menu)
    _who_am_i(user, rt, found.role if found is not None else None)
    return nav


def _menu(menu: dict[str, list[tuple[PageSpec, st.Page]]]) -> None:
    """The sidebar's page links, by section: plain links (Tab and Enter reach every one)."""
    box = st.sidebar.container(key="nav_pages")
    for section, entries in menu.items():
        box.caption(section)
        for spec, page in entries:
            box.page_link(page, label=tr(spec.title_key), icon=spec.icon, width="stretch")


def run_app() -> None:
    """The whole app for one run: page config, router, sidebar, cookie frames, then the chosen page."""
    # "auto": open beside the page on a desktop, closed on a phone (at 360 px an open sidebar covers the page).
    st.set_page_config(page_title="recdraft", page_icon=FAVICON, layout="wide", initial_sidebar_state="auto")
    with page_run():
        try:
            nav = build_navigation()
            a11y.page_language(lang())  # <html lang> follows the interface language (see a11y.py)
            signed_in = current_user() is not None
            if signed_in:
                # Before the page, so that a page ending its run early (st.stop) cannot skip them.
                with st.sidebar:
                    auth.render_cookie_frames()
            nav.run()
            if not signed_in:
                # The sign-in page never stops early, and has no sidebar to put them in.
                auth.render_cookie_frames()
        except Exception as exc:  # noqa: BLE001 - the last line of defence: log it, apologise, no trace
            show_unexpected_error(exc)
