"""Messages: the words from the catalogues in the recipient's language, a plain-text and an HTML part,
headers that cannot be injected, and signed one-click unsubscribe tokens.

Pure functions: nothing here touches the database or the network.

- Text people wrote (titles, names, comments, reasons) is escaped in the HTML part (``html.escape``),
  so a comment reading ``<script>`` arrives as those characters.
- Header values (names, titles) lose CR, LF and every other control character before they reach
  ``email.message.EmailMessage`` (default policy, which would refuse them anyway).
- An unsubscribe token is ``payload.mac``: base64url of what it stands for (``u42:comment_new``) and the
  first 16 bytes of its HMAC-SHA256 under a key derived from ``RECDRAFT_SECRET``; no sign-in needed, and
  nobody can make one for another person.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime as rfc2822_date
from email.utils import make_msgid

from recdraft.i18n import t

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def one_line(value: str, limit: int = 200) -> str:
    """``value`` fit for a header: control characters (CR, LF, tabs …) become spaces, at most ``limit`` chars."""
    text = " ".join(_CONTROL.sub(" ", value or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _html_block(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.splitlines())


def render(
    kind: str,
    lang: str,
    *,
    params: dict[str, object],
    link: str,
    unsubscribe_url: str,
    quotes: list[tuple[str, str]] | None = None,
    body_key: str | None = None,
) -> Rendered:
    """The message ``kind`` in ``lang``: ``mail.<kind>.subject`` / ``.body`` / ``.action`` filled with ``params``.

    ``quotes`` are (label key, text a person wrote) shown under the body, escaped in HTML.
    """
    subject = one_line(t(f"mail.{kind}.subject", lang, **params), 250)
    body = _paragraphs(t(body_key or f"mail.{kind}.body", lang, **params))
    action = t(f"mail.{kind}.action", lang)
    quoted = [(t(label, lang), text) for label, text in (quotes or []) if text and text.strip()]
    footer = [t("mail.footer.why", lang)]
    text_parts = [*body]
    for label, text in quoted:
        text_parts.append(f"{label}:\n" + "\n".join(f"> {line}" for line in text.splitlines()))
    text_parts.append(f"{action}: {link}")
    text_parts.append("-- \n" + footer[0] + "\n" + t("mail.footer.unsubscribe", lang) + f": {unsubscribe_url}")
    html_parts = [f"<p>{_html_block(p)}</p>" for p in body]
    for label, text in quoted:
        html_parts.append(
            f"<p><strong>{html.escape(label)}:</strong></p>"
            f'<blockquote style="border-left:3px solid #ccc;margin:0 0 1em 0;padding-left:1em">'
            f"{_html_block(text)}</blockquote>"
        )
    html_parts.append(f'<p><a href="{html.escape(link, quote=True)}">{html.escape(action)}</a></p>')
    html_parts.append(
        f'<hr><p style="color:#666;font-size:90%">{html.escape(footer[0])}<br>'
        f'<a href="{html.escape(unsubscribe_url, quote=True)}">'
        f"{html.escape(t('mail.footer.unsubscribe', lang))}</a></p>"
    )
    return Rendered(subject=subject, text="\n\n".join(text_parts) + "\n", html=_page(lang, subject, html_parts))


def _page(lang: str, subject: str, parts: list[str]) -> str:
    return (
        f'<!doctype html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head><body>" + "\n".join(parts) + "</body></html>\n"
    )


def digest(lang: str, *, items: list[tuple[str, str, str]], link: str, unsubscribe_url: str) -> Rendered:
    """One daily message from (subject, plain text, html body) of each item, newest last."""
    subject = one_line(t("mail.digest.subject", lang, count=len(items)), 250)
    intro = t("mail.digest.body", lang, count=len(items))
    text_parts = [intro]
    html_parts = [f"<p>{_html_block(intro)}</p>"]
    for item_subject, item_text, item_html in items:
        body = item_text.split("\n-- \n", 1)[0].strip()
        text_parts.append(f"== {item_subject} ==\n{body}")
        inner = item_html.split("<body>", 1)[-1].split("<hr>", 1)[0]
        html_parts.append(f"<h3>{html.escape(item_subject)}</h3>{inner}")
    footer = t("mail.footer.why", lang)
    action = t("mail.digest.action", lang)
    text_parts.append(f"{action}: {link}")
    text_parts.append("-- \n" + footer + "\n" + t("mail.footer.unsubscribe", lang) + f": {unsubscribe_url}")
    html_parts.append(f'<p><a href="{html.escape(link, quote=True)}">{html.escape(action)}</a></p>')
    html_parts.append(
        f'<hr><p style="color:#666;font-size:90%">{html.escape(footer)}<br>'
        f'<a href="{html.escape(unsubscribe_url, quote=True)}">'
        f"{html.escape(t('mail.footer.unsubscribe', lang))}</a></p>"
    )
    return Rendered(subject=subject, text="\n\n".join(text_parts) + "\n", html=_page(lang, subject, html_parts))


def new_message_id(sender: str) -> str:
    """A Message-ID on the sender's domain, fixed when the message is queued (a retry keeps it)."""
    domain = sender.rsplit("@", 1)[-1] if "@" in sender else "recdraft.invalid"
    return make_msgid("recdraft", domain=one_line(domain, 100))


def build(
    *,
    sender: str,
    sender_name: str,
    reply_to: str,
    to_addr: str,
    to_name: str,
    subject: str,
    text: str,
    html_body: str,
    message_id: str,
    lang: str,
    unsubscribe_url: str,
    date,
) -> EmailMessage:
    """The message as sent: multipart/alternative (plain text, then HTML) with its headers."""
    msg = EmailMessage()
    msg["From"] = Address(display_name=one_line(sender_name), addr_spec=sender)
    msg["To"] = Address(display_name=one_line(to_name), addr_spec=one_line(to_addr, 320))
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Subject"] = one_line(subject, 250)
    msg["Date"] = rfc2822_date(date)
    msg["Message-ID"] = one_line(message_id, 200)
    msg["Auto-Submitted"] = "auto-generated"
    # RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs to the link.
    msg["List-Unsubscribe"] = f"<{one_line(unsubscribe_url, 2000)}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(text)
    msg.add_alternative(html_body, subtype="html")
    # After the parts exist: making a message multipart moves Content-* headers into its first part.
    msg["Content-Language"] = one_line(lang, 5)
    return msg


# --- unsubscribe tokens ----------------------------------------------------------------------------------


def _key(secret: str) -> bytes:
    return hashlib.sha256(b"recdraft-unsubscribe\x00" + secret.encode("utf-8")).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(payload: str, secret: str) -> str:
    """A token standing for ``payload`` (``u<user id>:<kind>`` or ``e<address>``)."""
    raw = payload.encode("utf-8")
    return _b64(raw) + "." + _b64(hmac.new(_key(secret), raw, hashlib.sha256).digest()[:16])


def verify(token: str, secret: str) -> str | None:
    """The payload of a genuine token, else None."""
    if not isinstance(token, str) or token.count(".") != 1 or len(token) > 1000:
        return None
    body, mac = token.split(".")
    try:
        raw, given = _unb64(body), _unb64(mac)
    except (ValueError, TypeError):
        return None
    expected = hmac.new(_key(secret), raw, hashlib.sha256).digest()[:16]
    if not hmac.compare_digest(given, expected):
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
