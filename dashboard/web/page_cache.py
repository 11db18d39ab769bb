"""What an anonymous visitor's page load asks for, answered from a cache keyed by the data's
version.

Every visitor who is not signed in gets the same page for the same address, language and
data: the document, Dash's frame (``/_dash-layout``), its callback list
(``/_dash-dependencies``) and the page itself (the pages router's callback). Their bodies
are kept under a key that holds the data's version (``db.data_version``, raised by every
commit that changes data), the "as of" date, the settings that shape a page and the code's
version, so a change shows at the next request and no entry is ever stale. A hit skips Dash
(and its JSON encoding) entirely; the response still goes through every after-request hook
(cookies, security headers, compression). Signed-in users are never served from it: their
pages depend on who they are.

The cache is Redis when ``DASHBOARD_REDIS_URL`` is set (one for all workers), this
process's memory otherwise (``dashboard.cache``).
"""
from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

import brotli
from dash import Dash
from flask import Flask, Response, current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from dashboard.cache import make_cache
from dashboard.db import data_version, get_session
from dashboard.i18n import current_lang
from dashboard.web import delivery
from dashboard.web.auth import current_actor
from dashboard.web.context import as_of_date

DASH_PAGE_ENDPOINTS = ("/", "/<path:path>")
# Forms, not data: what they show depends on accounts and links, which the data's version
# does not follow.
UNCACHED_PAGES = ("/login", "/set-password", "/account")
ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."
SETTINGS_IN_PAGES = ("DATABASE_URL", "SMALL_CELL_THRESHOLD", "FRESHNESS_DAYS", "DEFAULT_LANG", "PUBLIC_URL")


def init_app(app: Flask, dash_app: Dash) -> None:
    """Registered after the CSRF and callback-input checks, which still run on every request."""
    if not app.config.get("PAGE_CACHE", True):
        return
    app.extensions["page_cache"] = make_cache(app.config.get("REDIS_URL"))
    app.extensions["page_cache_scope"] = _scope(app, dash_app)
    app.before_request(_answer_from_cache)
    app.after_request(_keep)


def _scope(app: Flask, dash_app: Dash) -> str:
    """What else a page depends on: the settings and the code that built it."""
    code = hashlib.sha256()
    for folder in sorted({Path(__file__).resolve().parents[2] / name for name in ("dashboard", "layouts")}):
        for path in sorted(folder.rglob("*.py")):
            code.update(path.read_bytes())
    for package in ("dash", "plotly", "dash-ag-grid", "dash-bootstrap-components"):
        code.update(metadata.version(package).encode())
    settings = json.dumps({key: str(app.config.get(key)) for key in SETTINGS_IN_PAGES}, sort_keys=True)
    code.update(settings.encode())
    code.update(dash_app.config.requests_pathname_prefix.encode())
    return code.hexdigest()[:16]


def _request_key() -> str | None:
    """The cache key of this request, or None when it is not one the cache answers."""
    if current_actor().is_authenticated:
        return None
    if request.method == "GET":
        if request.path == "/_dash-layout":
            part = "layout"
        elif request.path == "/_dash-dependencies":
            part = "dependencies"
        elif _is_document() and not _uncached(request.path):
            part = f"document {request.full_path}"
        else:
            return None
    elif request.method == "POST" and request.path == "/_dash-update-component":
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or body.get("output") != ROUTER_OUTPUT:
            return None
        inputs = {item.get("property"): item.get("value") for item in body.get("inputs", []) if isinstance(item, dict)}
        if not isinstance(inputs.get("pathname"), str) or _uncached(inputs["pathname"]):
            return None
        part = "page " + json.dumps([inputs.get("pathname"), inputs.get("search"), inputs.get("hash")])
    else:
        return None
    try:
        version = data_version(get_session())
    except SQLAlchemyError:
        # A database without the version (not upgraded yet): no cache, the page as usual.
        get_session().rollback()
        return None
    raw = " ".join([current_app.extensions["page_cache_scope"], str(version), as_of_date().isoformat(),
                    current_lang(), request.host, part])
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _uncached(path: str) -> bool:
    return any(path == page or path.startswith(page + "/") for page in UNCACHED_PAGES)


def _is_document() -> bool:
    """A page's HTML, which Dash serves from its two catch-all rules."""
    return request.url_rule is not None and request.url_rule.endpoint in DASH_PAGE_ENDPOINTS


def _answer_from_cache() -> Response | None:
    key = _request_key()
    if key is None:
        return None
    g.page_cache_key = key
    store = current_app.extensions["page_cache"]
    # Kept compressed too, once: a hit then costs no compression either.
    brotli_ok = delivery.choose_encoding(request.headers.get("Accept-Encoding", "")) == "br"
    cached = store.get(key + ":br") if brotli_ok else None
    encoded = cached is not None
    if cached is None:
        cached = store.get(key)
    if cached is None:
        return None
    g.page_cache_hit = True
    mimetype, _sep, body = cached.partition(b"\n")
    response = Response(body, mimetype=mimetype.decode())
    response.vary.add("Accept-Encoding")
    if encoded:
        response.headers["Content-Encoding"] = "br"
    return response


def _keep(response: Response) -> Response:
    key = g.get("page_cache_key")
    if key is None or g.get("page_cache_hit") or response.status_code != 200 or response.direct_passthrough:
        return response
    if "Content-Encoding" in response.headers or response.mimetype not in ("text/html", "application/json"):
        return response
    store = current_app.extensions["page_cache"]
    head, body = response.mimetype.encode() + b"\n", response.get_data()
    store.set(key, head + body)
    store.set(key + ":br", head + brotli.compress(body, quality=6))
    return response
