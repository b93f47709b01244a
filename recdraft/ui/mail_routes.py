"""``/mail/unsubscribe?t=TOKEN``: the one-click unsubscribe link every message carries (no sign-in).

``GET`` shows one button in the person's language (a mail scanner that follows links must not
unsubscribe anyone); ``POST`` — the button, or a mail program's one-click request (RFC 8058,
``List-Unsubscribe-Post``) — turns that kind of message off. The token is signed with RECDRAFT_SECRET
(``recdraft.mail.compose``): it names one person and one kind, and cannot be made for anyone else.
"""

from __future__ import annotations

import html

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse

from recdraft.i18n import best_language, t


def _db():
    from recdraft.ui.state import database

    return database()


def _kind_words(kind: str, lang: str) -> str:
    return t(f"mail.kind.{kind}", lang) if kind != "all" else ""


def _page(lang: str, body: str, status: int = 200) -> HTMLResponse:
    title = html.escape(t("mail.unsub.title", lang))
    doc = (
        f'<!doctype html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>'
        f'<body style="font-family:sans-serif;max-width:40em;margin:3em auto;padding:0 1em">'
        f"<h1>{title}</h1>{body}</body></html>"
    )
    response = HTMLResponse(doc, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the address
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
    )
    return response


async def unsubscribe(request: Request) -> HTMLResponse:
    from recdraft.services import notifications

    token = request.query_params.get("t", "")
    fallback = best_language((request.headers.get("accept-language") or "").split(",")[0].split(";")[0] or None)
    if request.method == "POST":
        done = await run_in_threadpool(lambda: notifications.unsubscribe(_db(), token=token))
        if done is None:
            return _page(fallback, f"<p>{html.escape(t('mail.unsub.bad', fallback))}</p>", 400)
        lang, kind = done
        if kind == "all":
            return _page(lang, f"<p>{html.escape(t('mail.unsub.done_all', lang))}</p>")
        return _page(lang, f"<p>{html.escape(t('mail.unsub.done', lang, kind=_kind_words(kind, lang)))}</p>")
    found = await run_in_threadpool(lambda: notifications.describe_token(_db(), token=token))
    if found is None:
        return _page(fallback, f"<p>{html.escape(t('mail.unsub.bad', fallback))}</p>", 400)
    lang, kind = found
    question = (
        t("mail.unsub.confirm_all", lang)
        if kind == "all"
        else t("mail.unsub.confirm", lang, kind=_kind_words(kind, lang))
    )
    return _page(
        lang,
        f"<p>{html.escape(question)}</p>"
        f'<form method="post"><button type="submit" style="font-size:1.1em;padding:.4em 1.2em">'
        f"{html.escape(t('mail.unsub.button', lang))}</button></form>",
    )
