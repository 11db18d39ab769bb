"""Log-in sessions, CSRF protection, request size limits and the routes that serve
protected files.

Flask-Login keeps the user id in Flask's signed session cookie ("dashboard_session":
HttpOnly, SameSite=Lax, Secure in production, for SESSION_IDLE_MINUTES). The id carries the
account's ``session_epoch``: logging out, a password change or reset, a role change or a
deactivation bumps it, which ends every session of the account at its next request, copies
of the cookie included. A session also ends after ``SESSION_IDLE_MINUTES`` without a request.

Every POST, Dash callbacks included, needs the CSRF token: Flask-WTF checks it, and the
``_csrf_token`` cookie set here is what the Dash renderer sends back as ``X-CSRFToken``.
A request body larger than ``MAX_CONTENT_LENGTH`` is refused with 413 before it is read.
"""
from __future__ import annotations

import datetime as dt
import time
from html import escape
from urllib.parse import urlencode

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    redirect,
    request,
    send_file,
    session,
)
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFProtect, generate_csrf
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard.db import get_session
from dashboard.errors import Forbidden, NotFound
from dashboard.i18n import current_lang, direction
from dashboard.i18n import gettext as _
from dashboard.models import User
from dashboard.permissions import PUBLIC, Actor
from dashboard.workflow import accounts, audit, evidence

CSRF_COOKIE = "_csrf_token"
# The API reads no session (a token or nobody): no session or CSRF cookie either.
_UNPROTECTED_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon", "/api/")

login_manager = LoginManager()
csrf = CSRFProtect()


class SessionUser(UserMixin):
    """The logged-in account as loaded for one request."""

    def __init__(self, user: User):
        self.user_id = user.id
        self.email = user.email
        self.name = accounts.person_name(user.name, user.is_demo)
        self.role = user.role
        self.entity_id = user.entity_id
        self.session_epoch = user.session_epoch

    def get_id(self) -> str:
        return f"{self.user_id}:{self.session_epoch}"


@login_manager.user_loader
def _load_user(session_id: str) -> SessionUser | None:
    user_id, _sep, epoch = session_id.partition(":")
    if not user_id.isdigit() or not epoch.isdigit():
        return None
    user = get_session().scalar(select(User).where(User.id == int(user_id)))
    if user is None or not user.is_active or user.session_epoch != int(epoch):
        return None
    if user.is_demo and current_app.config.get("ENV") == "production":
        return None
    return SessionUser(user)


def init_app(app: Flask) -> None:
    """Sessions, CSRF and size limits. The settings come from config.Config (so create_app's
    mapping can override them); those left as None there are derived here from ENV and
    SESSION_IDLE_MINUTES."""
    production = app.config.get("ENV") == "production"
    derived = {
        "SESSION_COOKIE_SECURE": production,
        "WTF_CSRF_SSL_STRICT": production,
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"]),
    }
    for key, value in derived.items():
        if app.config.get(key) is None:
            app.config[key] = value
    if app.config.get("TRUSTED_PROXIES"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"], x_proto=1)

    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    # Before CSRFProtect's own check, which may read the body.
    app.before_request(_refuse_large_body)
    csrf.init_app(app)
    app.before_request(_end_idle_session)
    app.after_request(_set_csrf_cookie)
    app.add_url_rule("/logout", "logout", logout, methods=["POST"])
    app.add_url_rule("/evidence/<evidence_id>", "evidence_file", evidence_file)
    app.add_url_rule("/admin/audit.csv", "audit_csv", audit_export)


def _refuse_large_body() -> None:
    """413 from the declared length, before any of the body is read. A chunked body (no
    length) is cut off by Werkzeug at MAX_CONTENT_LENGTH as it is read."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    length = request.content_length
    if limit and length is not None and length > limit:
        # No "Connection: close" here: PEP 3333 leaves hop-by-hop headers to the server
        # (WSGI servers refuse them); the server discards or closes on the unread body.
        abort(refusal_page(413))


def _end_idle_session() -> None:
    """Log out a session idle for longer than SESSION_IDLE_MINUTES (checked on the server,
    whatever the cookie's own expiry says)."""
    if request.path.startswith(_UNPROTECTED_PREFIXES):
        return  # static files: no need to touch (and re-send) the session cookie
    now = int(time.time())
    seen = session.get("seen_at")
    limit = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if "_user_id" in session and seen is not None and now - int(seen) > limit:
        logout_user()
        session.clear()
        g.session_expired = True
    if "_user_id" in session:
        session["seen_at"] = now


def _set_csrf_cookie(response: Response) -> Response:
    if request.path.startswith(_UNPROTECTED_PREFIXES):
        return response
    response.set_cookie(
        CSRF_COOKIE,
        generate_csrf(),
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=False,  # the Dash renderer reads it to send X-CSRFToken
    )
    return response


def request_address() -> str:
    return (request.remote_addr or "")[:64]


def current_actor() -> Actor:
    """The user behind this request, for the services (``PUBLIC`` when anonymous)."""
    cached = g.get("actor")
    if cached is not None:
        return cached
    if current_user and current_user.is_authenticated:
        actor = Actor(user_id=current_user.user_id, email=current_user.email, name=current_user.name,
                      role=current_user.role, entity_id=current_user.entity_id,
                      address=request_address())
    else:
        actor = Actor(address=request_address()) if request else PUBLIC
    g.actor = actor
    return actor


def log_in(email: str, password: str) -> accounts.LoginResult:
    """Check the credentials and open a session; the attempt is recorded either way."""
    production = current_app.config.get("ENV") == "production"
    return _commit_then_open(lambda db: accounts.authenticate(db, email, password, request_address(),
                                                              production=production))


def _commit_then_open(check) -> accounts.LoginResult:
    """Run a credential check in the request's session, commit what it recorded, and open a
    fresh session for the user when it succeeded."""
    db = get_session()
    try:
        result = check(db)
        db.commit()
    except Exception:
        db.rollback()
        raise
    if result.ok:
        _open_session(result.user)
    return result


def _open_session(user: User) -> None:
    session.clear()  # a fresh session (and CSRF token) for the logged-in user
    session.permanent = True
    login_user(SessionUser(user))
    session["seen_at"] = int(time.time())
    g.pop("actor", None)
    g.pop("csrf_token", None)


def change_password(current, password, confirmation) -> accounts.LoginResult:
    """The logged-in user changes their password: every session of the account ends, and this
    one starts afresh. A wrong current password is recorded like a failed log-in; a refused
    new password raises ``UserError`` and nothing is written."""
    actor = current_actor()
    return _commit_then_open(lambda db: accounts.change_password(db, actor, current, password, confirmation))


def set_password_and_log_in(token, password, confirmation) -> accounts.LoginResult:
    """Use a set-password link (raises ``UserError`` if refused, nothing written), then log in
    with the new password."""
    db = get_session()
    try:
        user = accounts.set_password_with_link(db, token, password, confirmation, request_address())
        email = user.email
        db.commit()
    except Exception:
        db.rollback()
        raise
    return log_in(email, password)


def logout():
    """End every session of the account (not just this cookie) and go to the summary."""
    actor = current_actor()
    if actor.is_authenticated:
        db = get_session()
        accounts.record_logout(db, actor)
        db.commit()
    logout_user()
    session.clear()
    return redirect("/")


def evidence_file(evidence_id: str):
    # Any text after /evidence/: digits within the database's integer range, or 404
    # (a 20-digit id overflowed PostgreSQL's integer and gave a 500).
    number = accounts.as_id(evidence_id)
    if number is None:
        return refusal_page(404)
    try:
        item, path = evidence.evidence_file(get_session(), current_app.config["UPLOAD_DIR"],
                                            current_actor(), number)
    except NotFound:
        return refusal_page(404)
    except Forbidden:
        return refusal_page(403 if current_actor().is_authenticated else 401)
    response = send_file(path, mimetype=item.content_type, as_attachment=True,
                         download_name=item.filename, conditional=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "sandbox"
    return response


def audit_export():
    """The filtered audit trail as CSV (the filters are the page's query parameters)."""
    filters = audit_filter_from(request.args)
    try:
        text = audit.audit_csv(get_session(), current_actor(), filters)
    except Forbidden:
        return refusal_page(403 if current_actor().is_authenticated else 401)
    stamp = audit.utcnow().strftime("%Y%m%d-%H%M")
    return Response(
        "\ufeff" + text,  # a byte-order mark, so spreadsheets read the Arabic as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"',
                 "Cache-Control": "private, no-store"},
    )


def refusal_page(status: int) -> Response:
    """A short page in the user's language for the routes outside Dash (files, CSV)."""
    lang = current_lang()
    message = {
        401: _("Please log in to see this."),
        403: _("Your account is not allowed to see this."),
        404: _("There is no such file."),
        413: _("The request is too large. Files of evidence are limited to 10 MB each."),
    }[status]
    links = [("/", _("Back to the summary"))]
    if status == 401 and request.method == "GET":
        links.insert(0, ("/login?" + urlencode({"next": request.full_path.rstrip("?")}), _("Log in")))
    items = " · ".join(f'<a href="{escape(href)}">{escape(label)}</a>' for href, label in links)
    page = (f'<!DOCTYPE html><html lang="{lang}" dir="{direction(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(message)}</title></head>"
            f'<body style="font-family: sans-serif; margin: 2rem"><p>{escape(message)}</p><p>{items}</p>'
            "</body></html>")
    return Response(page, status=status, mimetype="text/html",
                    headers={"Cache-Control": "private, no-store"})


def audit_filter_from(args) -> audit.AuditFilter:
    """The audit filters from query values, whatever was sent: text without NUL (PostgreSQL
    refuses it), dates that exist and leave room for the day after."""
    def text(name: str, limit: int) -> str:
        value = args.get(name, "")
        return value.replace("\x00", "")[:limit] if isinstance(value, str) else ""

    def day(name: str) -> dt.date | None:
        try:
            value = dt.date.fromisoformat(text(name, 10))
        except ValueError:
            return None
        return value if dt.date(1900, 1, 1) <= value <= dt.date(9998, 12, 31) else None

    return audit.AuditFilter(actor=text("actor", 254), object=text("object", 120),
                             action=text("action", 40), date_from=day("from"), date_to=day("to"))
