"""Talking to the SMTP server: one connection for a batch, and failures sorted into "try again later"
(a 4xx answer, the server unreachable) and "this address will never work" (a 5xx answer)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from types import TracebackType

from recdraft.mail.settings import MailSettings


class TemporaryFailure(Exception):
    """Try again later: the server is down or answered 4xx."""


class ServerUnavailable(TemporaryFailure):
    """No connection (or it broke): nothing more can be sent in this batch."""


class PermanentFailure(Exception):
    """The server refused this message for good (5xx): the address is recorded as refused."""


def _code_failure(code: int, detail: object) -> Exception:
    text = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
    message = f"{code} {text}".strip()
    return PermanentFailure(message) if 500 <= code < 600 else TemporaryFailure(message)


class Connection:
    """``with Connection(settings) as c: c.send(msg, to)``; raises ServerUnavailable when it cannot connect."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Connection:
        s = self.settings
        try:
            if s.security == "tls":
                self.smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=ssl.create_default_context())
            else:
                self.smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                if s.security == "starttls":
                    self.smtp.starttls(context=ssl.create_default_context())
            if s.user:
                self.smtp.login(s.user, s.password)
        except smtplib.SMTPAuthenticationError as exc:
            self._drop()
            raise ServerUnavailable(f"the SMTP server refused the sign-in: {exc.smtp_code}") from None
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            raise ServerUnavailable(f"cannot reach {s.host}:{s.port}: {exc}") from None
        return self

    def send(self, msg: EmailMessage, to_addr: str) -> None:
        """Send one message. Raises PermanentFailure, TemporaryFailure or ServerUnavailable."""
        assert self.smtp is not None
        try:
            self.smtp.send_message(msg, from_addr=self.settings.sender, to_addrs=[to_addr])
        except smtplib.SMTPRecipientsRefused as exc:
            code, detail = next(iter(exc.recipients.values()), (550, b"refused"))
            raise _code_failure(code, detail) from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise _code_failure(exc.smtp_code, exc.smtp_error) from None
        except smtplib.SMTPResponseException as exc:
            raise _code_failure(exc.smtp_code, exc.smtp_error) from None
        except OSError as exc:  # SMTPServerDisconnected and every socket error (SMTPException is an OSError)
            self._drop()
            raise ServerUnavailable(f"connection lost: {exc}") from None

    def _drop(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.close()
            except Exception:  # noqa: BLE001 - already broken
                pass
        self.smtp = None

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._drop()
