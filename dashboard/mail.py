"""E-mail: the links that let a person set their own password.

Sent through the SMTP server of ``DASHBOARD_SMTP_HOST`` (standard library ``smtplib``),
with STARTTLS or TLS and a login when configured. Without a host (development) the link
is written to the server log instead. The message is sent after the link is committed:
a failed delivery leaves a valid link nobody received, and the page says to send a new one.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from html import escape
from urllib.parse import urlencode

from flask import current_app, has_request_context, request

from dashboard.config import LANGUAGES
from dashboard.i18n import current_lang, direction, using_language
from dashboard.i18n import gettext as _

log = logging.getLogger("dashboard.mail")
SMTP_TIMEOUT = 15  # seconds: an unreachable server must not hold the page for long
SET_PASSWORD_PATH = "/set-password"


@dataclass(frozen=True)
class PasswordLinkMail:
    """What a set-password e-mail needs (the token is never stored in clear)."""

    email: str
    name: str
    token: str
    purpose: str  # "create" or "reset"
    hours: int  # how long the link stays valid


@dataclass(frozen=True)
class Delivery:
    """How a link went out: "sent" by e-mail, "logged" (no mail server), or "failed"."""

    outcome: str
    error: str = ""


def base_url(config) -> str:
    """Where users reach the dashboard: DASHBOARD_PUBLIC_URL, else (development) this request's host."""
    if config.get("PUBLIC_URL"):
        return str(config["PUBLIC_URL"]).rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://127.0.0.1:8050"


def link_url(base: str, token: str, lang: str | None = None) -> str:
    params = {"token": token, **({"lang": lang} if lang else {})}
    return f"{base}{SET_PASSWORD_PATH}?{urlencode(params)}"


def _languages() -> list[str]:
    """The actor's language first, then the others."""
    first = current_lang()
    return [first] + [lang for lang in LANGUAGES if lang != first]


def _texts(item: PasswordLinkMail, base: str) -> list[tuple[str, str, str, str]]:
    """(lang, subject, body, url) in each language, leaving out a text that is not translated
    yet (the same as one already given)."""
    seen, blocks = set(), []
    for lang in _languages():
        url = link_url(base, item.token, lang)
        with using_language(lang):
            subject = _("CNCLTEH dashboard: choose your password")
            greeting = _("Hello %(name)s,", name=item.name)
            if item.purpose == "create":
                lead = _("An account was created for you on the dashboard that monitors the national plan "
                         "against trafficking in persons (CNCLTEH). To choose your password, open this "
                         "link within %(hours)d hours:", hours=item.hours)
                end = _("The link works once. If you did not expect this message, you can ignore it.")
            else:
                lead = _("A new password was requested for your account on the CNCLTEH dashboard. To "
                         "choose it, open this link within %(hours)d hours:", hours=item.hours)
                end = _("The link works once and replaces any earlier one. Until you choose a new "
                        "password, you cannot log in. If you did not ask for this, tell the secretariat.")
        key = (subject, lead)
        if key in seen:
            continue
        seen.add(key)
        blocks.append((lang, subject, f"{greeting}\n\n{lead}\n\n{url}\n\n{end}", url))
    return blocks


def password_link_message(item: PasswordLinkMail, base: str, sender: str) -> EmailMessage:
    """The e-mail, in the actor's language first and then the others (plain text and HTML)."""
    blocks = _texts(item, base)
    message = EmailMessage()
    message["Subject"] = " / ".join(subject for _lang, subject, _body, _url in blocks)
    message["From"] = sender
    message["To"] = item.email
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("\n\n----------\n\n".join(body for _lang, _subject, body, _url in blocks))
    html_blocks = []
    for lang, _subject, body, url in blocks:
        paragraphs = "".join(
            f'<p><a href="{escape(url)}">{escape(url)}</a></p>' if part == url else f"<p>{escape(part)}</p>"
            for part in body.split("\n\n"))
        html_blocks.append(f'<div lang="{lang}" dir="{direction(lang)}">{paragraphs}</div>')
    message.add_alternative("<!DOCTYPE html><html><body>" + "<hr>".join(html_blocks) + "</body></html>",
                            subtype="html")
    return message


def send(config, message: EmailMessage) -> None:
    """Hand ``message`` to the configured SMTP server (raises on failure)."""
    host, port = config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25)
    context = ssl.create_default_context()
    if config.get("SMTP_SSL"):
        server = smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT, context=context)
    else:
        server = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
    with server:
        if config.get("SMTP_STARTTLS") and not config.get("SMTP_SSL"):
            server.starttls(context=context)
        if config.get("SMTP_USERNAME"):
            server.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
        server.send_message(message)


def deliver_password_link(item: PasswordLinkMail, config=None) -> Delivery:
    """E-mail the link, or log it when no mail server is configured. Never raises."""
    config = config if config is not None else current_app.config
    base = base_url(config)
    if not config.get("SMTP_HOST"):
        log.warning("no mail server (DASHBOARD_SMTP_HOST): the %s link for %s, valid %d hours, is %s",
                    item.purpose, item.email, item.hours, link_url(base, item.token))
        return Delivery("logged")
    try:
        send(config, password_link_message(item, base, config["MAIL_FROM"]))
    except (OSError, smtplib.SMTPException) as exc:
        # The link itself stays out of the log: it is a credential.
        log.error("could not e-mail the %s link to %s: %s", item.purpose, item.email, exc)
        return Delivery("failed", exc.__class__.__name__)
    log.info("%s link e-mailed to %s", item.purpose, item.email)
    return Delivery("sent")
