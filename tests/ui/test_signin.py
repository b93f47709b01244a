"""Signing in and out: the form, invitations, demo hints, the claim code and the cookie routes."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from recdraft.errors import NotFound, NotSignedIn
from recdraft.services import accounts, sso
from recdraft.ui import asgi, auth
from tests.tools import run_coroutine
from tests.ui.conftest import ACCOUNTS, DEMO_PASSWORD, TOKEN_KEY, texts, token_for, user_id

SIGNIN = "signin_username"


def _fill(at, username: str, password: str):
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    at.button(key="signin_submit").click()
    return at.run()


def test_signed_out_people_see_the_sign_in_form_in_english(app_as):
    at = app_as(None)
    assert not at.exception
    assert [w.label for w in at.text_input] == ["Username", "Password"]
    assert at.button(key="signin_submit").label == "Sign in"
    assert TOKEN_KEY not in at.session_state


def test_the_sign_in_form_speaks_russian_and_kazakh(app_as):
    assert [w.label for w in app_as(None, lang="ru").text_input] == ["Имя пользователя", "Пароль"]
    at = app_as(None, lang="kk")
    assert [w.label for w in at.text_input] == ["Пайдаланушы аты", "Құпиясөз"]
    assert at.button(key="signin_submit").label == "Кіру"


def test_a_wrong_password_shows_one_message_and_keeps_the_person_out(app_as):
    at = _fill(app_as(None), "expert3", "not the password")
    assert [e.value for e in at.error] == ["The user name or password is not correct."]
    assert at.text_input(key=SIGNIN) is not None
    assert TOKEN_KEY not in at.session_state


def test_the_wrong_password_message_is_translated(app_as):
    at = _fill(app_as(None, lang="kk"), "expert3", "not the password")
    assert [e.value for e in at.error] == ["Пайдаланушы аты немесе құпиясөз қате."]


def test_the_right_password_signs_in_and_issues_a_claim_code_bound_to_this_browser(app_as, ui_db, monkeypatch):
    monkeypatch.setattr(auth, "browser_id", lambda: "this-browser")
    at = _fill(app_as(None), "expert4", DEMO_PASSWORD)
    assert not at.exception
    token = at.session_state[TOKEN_KEY]
    assert accounts.authenticate(ui_db, token=token).username == "expert4"
    code = at.session_state[auth.CLAIM_KEY]
    assert accounts.claim_pending(ui_db, code=code)
    assert "Sign out" in [b.label for b in at.button]
    # The token itself is never written into the page.
    assert token not in texts(at) and code not in texts(at)
    # Another browser cannot use the code; this one can, once.
    with pytest.raises(NotFound):
        accounts.redeem_claim(ui_db, code=code, browser="another-browser")
    assert accounts.redeem_claim(ui_db, code=code, browser="this-browser") == token


def test_without_a_pre_session_cookie_the_tab_is_signed_in_but_no_claim_is_issued(app_as):
    at = _fill(app_as(None), "expert4", DEMO_PASSWORD)
    assert TOKEN_KEY in at.session_state and auth.CLAIM_KEY not in at.session_state


def test_demo_mode_lists_the_demo_accounts(app_as, monkeypatch):
    assert "expert6" not in texts(app_as(None))
    monkeypatch.setenv("RECDRAFT_DEMO", "1")
    shown = texts(app_as(None))
    for name in ("admin", "moderator", "expert1", "expert6", "observer"):
        assert name in shown
    assert "demo" in shown


def test_no_single_sign_on_button_unless_it_is_configured(app_as):
    at = app_as(None)
    assert not [b for b in at.button if b.key == "signin_sso"]


def test_signing_out_ends_the_session_on_the_server_at_once(app_as, ui_db, monkeypatch):
    monkeypatch.setattr(auth, "browser_id", lambda: "this-browser")
    at = app_as("expert5")
    token = at.session_state[TOKEN_KEY]
    at.button(key="nav_signout").click().run()
    assert at.text_input(key=SIGNIN) is not None
    with pytest.raises(NotSignedIn):
        accounts.authenticate(ui_db, token=token)
    assert at.session_state[auth.CLEAR_COOKIE_KEY] is True
    # The frame that deletes the cookie carries a sign-out code only this browser can use.
    code = at.session_state[auth.LOGOUT_CODE_KEY]
    assert accounts.redeem_claim(ui_db, code=code, browser="this-browser", purpose="sign_out") == ""


def test_deactivation_takes_effect_on_the_next_click(app_as, ui_db):
    at = app_as("expert6")
    assert "Sign out" in [b.label for b in at.button]
    admin = user_id(ui_db, "admin")
    target = user_id(ui_db, "expert6")
    accounts.set_active(ui_db, actor_id=admin, user_id=target, active=False)
    try:
        at.run()
        assert at.text_input(key=SIGNIN) is not None
    finally:
        accounts.set_active(ui_db, actor_id=admin, user_id=target, active=True)


def test_an_invitation_link_lets_a_new_expert_choose_a_name_and_password(app_as, ui_db):
    admin = user_id(ui_db, "admin")
    rt_id = 1
    invite = accounts.create_invitation(
        ui_db,
        actor_id=admin,
        roundtable_id=rt_id,
        role="expert",
        display_name="Aigerim Nurlanovna",
        organisation="KazNU",
    )
    at = app_as(None, run=False)
    at.query_params["invite"] = invite.token
    at.run()
    assert not at.exception
    assert at.text_input(key="invite_name").value == "Aigerim Nurlanovna"
    at.text_input(key="invite_username").input("aigerim")
    at.text_input(key="invite_password").input("a long password")
    at.text_input(key="invite_password_again").input("a different one")
    at.button(key="invite_submit").click().run()
    assert [e.value for e in at.error] == ["The two passwords differ. Type the same password twice."]
    at.text_input(key="invite_password_again").input("a long password")
    at.button(key="invite_submit").click().run()
    assert not at.exception and not at.error
    user = accounts.authenticate(ui_db, token=at.session_state[TOKEN_KEY])
    assert user.username == "aigerim" and user.display_name == "Aigerim Nurlanovna"
    assert "invite" not in at.query_params

    again = app_as(None, run=False)
    again.query_params["invite"] = invite.token
    again.run()
    assert [e.value for e in again.error] == [
        "This invitation link is not valid any more. Ask the organisers for a new one."
    ]


# --- the claim code and the cookie routes ---------------------------------------------------------------


def _request(
    path: str,
    query: str = "",
    headers: dict[str, str] | None = None,
    scheme: str = "http",
    client: tuple[str, int] = ("198.51.100.7", 50000),
) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": path,
            "query_string": query.encode(),
            "headers": raw,
            "scheme": scheme,
            "server": ("testserver", 80),
            "root_path": "",
            "client": client,
        }
    )


def _set_cookie(response) -> str:
    return "; ".join(v.decode() for k, v in response.raw_headers if k == b"set-cookie")


BROWSER = "browser-of-the-person"


def _claim(db, role: str = "expert2") -> tuple[str, str]:
    token = token_for(db, role)
    return token, accounts.issue_claim(db, browser=BROWSER, token=token)


def _cookies(**values: str) -> str:
    return "; ".join(f"{k}={v}" for k, v in values.items())


def test_the_claim_route_sets_an_httponly_strict_cookie_once_in_the_browser_that_asked(ui_env, ui_db):
    token, code = _claim(ui_db)
    response = run_coroutine(
        asgi.claim(
            _request(
                "/auth/claim",
                f"code={code}",
                {"Sec-Fetch-Site": "same-origin", "Cookie": _cookies(recdraft_browser=BROWSER)},
            )
        )
    )
    cookie = _set_cookie(response)
    assert response.status_code == 200
    assert f"recdraft_session={token}" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Path=/" in cookie and "Secure" not in cookie
    again = run_coroutine(
        asgi.claim(_request("/auth/claim", f"code={code}", {"Cookie": _cookies(recdraft_browser=BROWSER)}))
    )
    assert again.status_code == 410 and _set_cookie(again) == ""
    assert token.encode() not in response.body


def test_someone_elses_claim_code_opened_in_this_browser_signs_nobody_in(ui_env, ui_db):
    """Login CSRF: the attacker's own unused code, sent as a link, must not put the victim in their session."""
    _, code = _claim(ui_db)
    for cookie in ({"recdraft_browser": "the-victims-browser"}, {}):
        response = run_coroutine(asgi.claim(_request("/auth/claim", f"code={code}", {"Cookie": _cookies(**cookie)})))
        assert response.status_code == 410 and _set_cookie(response) == ""
    assert accounts.claim_pending(ui_db, code=code), "the code stays usable by the browser it was issued to"


def test_the_cookie_is_secure_behind_a_trusted_https_proxy(ui_env, ui_db, monkeypatch):
    headers = {"X-Forwarded-Proto": "https", "Cookie": _cookies(recdraft_browser=BROWSER)}
    _, code = _claim(ui_db)
    untrusted = run_coroutine(asgi.claim(_request("/auth/claim", f"code={code}", headers)))
    assert "Secure" not in _set_cookie(untrusted), "anyone can send X-Forwarded-Proto: only a proxy is believed"
    monkeypatch.setenv("RECDRAFT_TRUSTED_PROXIES", "198.51.100.0/24")
    _, code = _claim(ui_db)
    assert "Secure" in _set_cookie(run_coroutine(asgi.claim(_request("/auth/claim", f"code={code}", headers))))
    _, code = _claim(ui_db)
    direct = _request("/auth/claim", f"code={code}", {"Cookie": _cookies(recdraft_browser=BROWSER)}, scheme="https")
    assert "Secure" in _set_cookie(run_coroutine(asgi.claim(direct)))


def test_other_sites_cannot_use_the_auth_routes(ui_env, ui_db):
    _, code = _claim(ui_db)
    cookie = _cookies(recdraft_browser=BROWSER)
    for route, query in ((asgi.claim, f"code={code}"), (asgi.logout, ""), (asgi.language, "value=kk")):
        response = run_coroutine(route(_request("/auth/x", query, {"Sec-Fetch-Site": "cross-site", "Cookie": cookie})))
        assert response.status_code == 403 and _set_cookie(response) == ""
    assert accounts.claim_pending(ui_db, code=code)


def test_a_bare_logout_link_signs_nobody_out(ui_env, ui_db):
    token = token_for(ui_db, "expert2")
    for query in ("", "code=made-up"):
        response = run_coroutine(
            asgi.logout(
                _request(
                    "/auth/logout",
                    query,
                    {
                        "Sec-Fetch-Site": "same-origin",
                        "Cookie": _cookies(recdraft_session=token, recdraft_browser=BROWSER),
                    },
                )
            )
        )
        assert response.status_code == 410 and _set_cookie(response) == ""
    assert accounts.authenticate(ui_db, token=token).username == "expert2"


def test_the_logout_route_with_this_browsers_code_ends_the_session_and_deletes_the_cookie(ui_env, ui_db):
    token = token_for(ui_db, "expert2")
    code = accounts.issue_claim(ui_db, browser=BROWSER, purpose="sign_out")
    elsewhere = run_coroutine(
        asgi.logout(
            _request(
                "/auth/logout",
                f"code={code}",
                {"Cookie": _cookies(recdraft_session=token, recdraft_browser="another-browser")},
            )
        )
    )
    assert elsewhere.status_code == 410
    response = run_coroutine(
        asgi.logout(
            _request(
                "/auth/logout", f"code={code}", {"Cookie": _cookies(recdraft_session=token, recdraft_browser=BROWSER)}
            )
        )
    )
    assert response.status_code == 200
    assert 'recdraft_session=""' in _set_cookie(response) and "Max-Age=0" in _set_cookie(response)
    with pytest.raises(NotSignedIn):
        accounts.authenticate(ui_db, token=token)


def test_the_language_route_accepts_only_the_three_languages():
    ok = run_coroutine(asgi.language(_request("/auth/language", "value=kk")))
    assert ok.status_code == 200 and "recdraft_lang=kk" in _set_cookie(ok)
    bad = run_coroutine(asgi.language(_request("/auth/language", "value=<script>")))
    assert bad.status_code == 400 and _set_cookie(bad) == ""


def test_streamlit_run_finds_the_app_with_the_auth_routes():
    from pathlib import Path

    from streamlit.web.server.app_discovery import discover_asgi_app

    result = discover_asgi_app(Path(__file__).resolve().parents[2] / "streamlit_app.py")
    assert result.is_asgi_app and result.import_string == "streamlit_app:app"
    assert {r.path for r in asgi.ROUTES} == {"/auth/claim", "/auth/logout", "/auth/language", "/mail/unsubscribe"}


# --- single sign-on ------------------------------------------------------------------------------------


def test_single_sign_on_opens_a_session_for_the_account_with_that_email(ui_db):
    signed = sso.sign_in_sso(ui_db, email="  J.Aebischer@Example.org ")
    assert signed.user.username == ACCOUNTS["expert1"]
    assert accounts.authenticate(ui_db, token=signed.token).username == "expert1"
    with pytest.raises(NotFound):
        sso.sign_in_sso(ui_db, email="nobody@example.org")
    with pytest.raises(NotFound):
        sso.sign_in_sso(ui_db, email="not an address")


# --- my account ----------------------------------------------------------------------------------------

ACCOUNT = "recdraft/ui/pages/account.py"


def test_changing_my_password_keeps_this_session_and_ends_the_others(app_as, ui_db):
    other = token_for(ui_db, "expert3")
    at = app_as("expert3", ACCOUNT)
    mine = at.session_state[TOKEN_KEY]
    at.text_input(key="account_current").input(DEMO_PASSWORD)
    at.text_input(key="account_new").input("a much better password")
    at.text_input(key="account_again").input("a much better password")
    at.button(key="account_password_submit").click().run()
    assert not at.error, [e.value for e in at.error]
    assert accounts.authenticate(ui_db, token=mine).username == "expert3"
    with pytest.raises(NotSignedIn):
        accounts.authenticate(ui_db, token=other)


def test_a_wrong_current_password_is_explained(app_as):
    at = app_as("expert3", ACCOUNT, lang="ru")
    at.text_input(key="account_current").input("wrong")
    at.text_input(key="account_new").input("a much better password")
    at.text_input(key="account_again").input("a much better password")
    at.button(key="account_password_submit").click().run()
    assert [e.value for e in at.error] == ["Текущий пароль указан неверно."]


def test_consenting_to_be_named(app_as, ui_db):
    from recdraft.services import roundtables

    at = app_as("expert6", ACCOUNT)
    before = next(
        m
        for m in roundtables.list_members(ui_db, actor_id=user_id(ui_db, "expert6"), roundtable_id=1)
        if m.username == "expert6"
    ).consent_named
    at.toggle(key="account_consent").set_value(not before).run()
    after = next(
        m
        for m in roundtables.list_members(ui_db, actor_id=user_id(ui_db, "expert6"), roundtable_id=1)
        if m.username == "expert6"
    ).consent_named
    assert after is (not before)
