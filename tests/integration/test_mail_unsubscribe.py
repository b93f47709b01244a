"""``/mail/unsubscribe``: no sign-in, GET only asks (a link scanner unsubscribes nobody), POST — the button or a
mail program's RFC 8058 one-click request — stops that kind of message; a forged token changes nothing."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.routing import Route

from recdraft.services import comments, notifications, outbox
from recdraft.ui import mail_routes
from tests.integration.test_mail_outbox import _rec, mail_world, smtp  # noqa: F401 - the SMTP server fixture
from tests.tools import run_coroutine


def _call(app, method: str, url: str, body: bytes = b"") -> tuple[int, str]:
    parts = urlsplit(url)
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "scheme": "https",
        "path": parts.path,
        "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(),
        "root_path": "",
        "headers": [
            (b"host", b"recdraft.school.example"),
            (b"accept-language", b"kk-KZ"),
            (b"content-type", b"application/x-www-form-urlencoded"),
        ],
        "client": ("203.0.113.5", 5000),
        "server": ("recdraft.school.example", 443),
    }
    sent: list[dict] = []
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    run_coroutine(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    text = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body").decode()
    return status, text


def test_get_asks_post_stops_and_a_forged_token_is_refused(db, smtp, monkeypatch):
    monkeypatch.setattr(mail_routes, "_db", lambda: db)
    app = Starlette(routes=[Route("/mail/unsubscribe", mail_routes.unsubscribe, methods=["GET", "POST"])])
    world = mail_world(db)
    rec_id = _rec(world)
    comments.post_comment(db, actor_id=world["expert2"], recommendation_id=rec_id, body="A point")
    outbox.send_outbox(db)
    url = smtp.to("expert@example.org")[0].message["List-Unsubscribe"].strip("<>")

    status, page = _call(app, "GET", url)
    assert status == 200 and 'lang="ru"' in page and '<form method="post">' in page
    assert "Новые комментарии к моим рекомендациям" in page
    assert notifications.my_preferences(db, actor_id=world["expert"])["comment_new"] == "now"  # only asked

    forged = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
    status, page = _call(app, "POST", forged, b"List-Unsubscribe=One-Click")
    assert status == 400 and 'lang="kk"' in page and "Бұл сілтеме жарамсыз" in page
    assert notifications.my_preferences(db, actor_id=world["expert"])["comment_new"] == "now"

    status, page = _call(app, "POST", url, b"List-Unsubscribe=One-Click")  # what a mail program sends
    assert status == 200 and "больше не будут приходить" in page
    assert notifications.my_preferences(db, actor_id=world["expert"])["comment_new"] == "off"
    assert notifications.my_preferences(db, actor_id=world["expert"])["round_result"] == "now"  # only that kind
