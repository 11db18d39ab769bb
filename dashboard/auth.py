"""Log-in sessions, CSRF protection and the routes that serve protected files.

Flask-Login keeps the user id in Flask's signed session cookie (HttpOnly, SameSite=Lax,
Secure in production). The id carries the account's ``session_epoch``, so a password
reset, a role change or a deactivation ends every open session at the next request.
A session also ends after ``SESSION_IDLE_MINUTES`` without a request.

Every POST, Dash callbacks included, needs the CSRF token: Flask-WTF checks it, and the
``_csrf_token`` cookie set here is what the Dash renderer sends back as ``X-CSRFToken``.
"""
from __future__ import annotations

import datetime as dt
import time
from html import escape
from urllib.parse import urlencode

from flask import (
    Flask,
    Response,
    current_app,
    g,
    redirect,
    request,
    send_file,
    session,
)
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFProtect, generate_csrf
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix

from . import accounts, audit, evidence
from .db import get_session
from .errors import Forbidden, NotFound
from .i18n import current_lang, direction
from .models import User
from .permissions import PUBLIC, Actor

CSRF_COOKIE = "_csrf_token"
MAX_REQUEST_BYTES = 64 * 1024 * 1024  # files too big are refused with a message, not a 413
_UNPROTECTED_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon")

login_manager = LoginManager()
csrf = CSRFProtect()


class SessionUser(UserMixin):
    """The logged-in account as loaded for one request."""

    def __init__(self, user: User):
        self.user_id = user.id
        self.email = user.email
        self.name = user.name
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
    production = app.config.get("ENV") == "production"
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("SESSION_COOKIE_SECURE", production)
    app.config.setdefault("SESSION_COOKIE_NAME", "dashboard_session")
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"]))
    app.config.setdefault("SESSION_REFRESH_EACH_REQUEST", True)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # valid as long as the session
    app.config.setdefault("WTF_CSRF_SSL_STRICT", production)
    app.config.setdefault("MAX_CONTENT_LENGTH", MAX_REQUEST_BYTES)
    if app.config.get("TRUSTED_PROXIES"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"], x_proto=1)

    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    app.before_request(_end_idle_session)
    app.after_request(_set_csrf_cookie)
    app.add_url_rule("/logout", "logout", logout, methods=["POST"])
    app.add_url_rule("/evidence/<int:evidence_id>", "evidence_file", evidence_file)
    app.add_url_rule("/admin/audit.csv", "audit_csv", audit_export)


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
    db = get_session()
    try:
        result = accounts.authenticate(db, email, password, request_address(),
                                       production=current_app.config.get("ENV") == "production")
        db.commit()
    except Exception:
        db.rollback()
        raise
    if result.ok:
        session.clear()  # a fresh session (and CSRF token) for the logged-in user
        session.permanent = True
        login_user(SessionUser(result.user))
        session["seen_at"] = int(time.time())
        g.pop("actor", None)
        g.pop("csrf_token", None)
    return result


def logout():
    actor = current_actor()
    if actor.is_authenticated:
        db = get_session()
        accounts.record_logout(db, actor)
        db.commit()
    logout_user()
    session.clear()
    return redirect("/")


def evidence_file(evidence_id: int):
    try:
        item, path = evidence.evidence_file(get_session(), current_app.config["UPLOAD_DIR"],
                                            current_actor(), evidence_id)
    except NotFound:
        return _refusal(404)
    except Forbidden:
        return _refusal(403 if current_actor().is_authenticated else 401)
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
        return _refusal(403 if current_actor().is_authenticated else 401)
    stamp = audit.utcnow().strftime("%Y%m%d-%H%M")
    return Response(
        "\ufeff" + text,  # a byte-order mark, so spreadsheets read the Arabic as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"',
                 "Cache-Control": "private, no-store"},
    )


def _refusal(status: int) -> Response:
    """A short page in the user's language for the routes outside Dash (files, CSV)."""
    lang = current_lang()
    message = {
        401: _("Please log in to see this."),
        403: _("Your account is not allowed to see this."),
        404: _("There is no such file."),
    }[status]
    links = [("/", _("Back to the summary"))]
    if status == 401:
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
    def day(name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(args.get(name, "")[:10])
        except ValueError:
            return None

    return audit.AuditFilter(actor=args.get("actor", "")[:254], object=args.get("object", "")[:120],
                             action=args.get("action", "")[:40], date_from=day("from"), date_to=day("to"))
