"""``/my/calendar.ics``: the signed-in user's reporting calendar as an iCalendar file
(RFC 5545), one all-day event per measure update or indicator value due.

Written by hand rather than with a library: the file has one kind of component and four
kinds of property, and the rules that matter (escaping, folding lines at 75 octets without
cutting a UTF-8 character, CRLF, stable UIDs) are a few lines each.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, Flask, Response, current_app, request

from dashboard import mail
from dashboard.errors import Forbidden, UserError
from dashboard.i18n import gettext as _
from dashboard.web.auth import refusal_page
from dashboard.web.context import request_context
from dashboard.workflow import calendar

calendar_feed = Blueprint("calendar_feed", __name__)
PRODID = "-//CNCLTEH//Reporting calendar//EN"


def init_app(app: Flask) -> None:
    app.register_blueprint(calendar_feed)


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """A content line folded into lines of at most 75 octets (3.1), never inside a character."""
    data = line.encode("utf-8")
    parts, start, limit = [], 0, 75
    while len(data) - start > limit:
        end = start + limit
        while end > start and (data[end] & 0xC0) == 0x80:  # a continuation byte: step back
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74  # a continuation line starts with one space
    parts.append(data[start:])
    return "\r\n ".join(part.decode("utf-8") for part in parts)


def summary(item: calendar.CalendarItem) -> str:
    if item.kind == "measure":
        return _("Update due: %(code)s %(name)s", code=item.code, name=item.name)
    return _("Value due for %(period)s: %(code)s %(name)s", period=item.period, code=item.code, name=item.name)


def ics(items: list[calendar.CalendarItem], base: str, host: str, stamp: dt.datetime, name: str) -> bytes:
    states = calendar.state_labels()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(name)}"]
    for item in items:
        url = f"{base}{item.path}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{item.uid_key}@{host}",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{item.due_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{item.due_on + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(summary(item))}",
            f"DESCRIPTION:{escape_text(states[item.state] + ' · ' + item.entity + ' · ' + url)}",
            f"URL:{url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("".join(fold(line) + "\r\n" for line in lines)).encode("utf-8")


@calendar_feed.get("/my/calendar.ics")
def my_calendar() -> Response:
    """The signed-in focal point's calendar (the secretariat and committee: every body's, or
    one body's with ``?entity=ACRONYM``)."""
    ctx = request_context()
    entity = request.args.get("entity", "", type=str)[:40] or None
    try:
        items = calendar.reporting_calendar(ctx.session, ctx.actor, ctx.lang, ctx.as_of, ctx.freshness_days,
                                            entity)
    except Forbidden:
        return refusal_page(403 if ctx.actor.is_authenticated else 401)
    except UserError:
        return refusal_page(404)
    base = mail.base_url(current_app.config)
    host = base.split("://", 1)[-1].split("/", 1)[0] or "dashboard"
    stamp = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    body = ics(items, base, host, stamp, _("CNCLTEH reporting calendar"))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": 'attachment; filename="reporting-calendar.ics"',
        "Cache-Control": "private, no-store",
    })
