"""The read-only JSON API, ``/api/v1``: the blueprint, its rate limits, its errors as
JSON, its OpenAPI document (``/api/v1/openapi.json``) and documentation page
(``/api/v1/docs``, Swagger UI from ``assets/vendor/swagger-ui``).

Rate limits: ``API_RATE_LIMIT`` per address for anonymous callers (default 120/minute),
``API_TOKEN_RATE_LIMIT`` per token (default 600/minute); counted in Redis when
``REDIS_URL`` is set (shared by every worker), else in this process's memory.
"""
from __future__ import annotations

import hashlib
import json

from dash import Dash
from flask import Flask, Response, current_app, g, jsonify, request, url_for
from flask_limiter import Limiter
from werkzeug.exceptions import HTTPException

from dashboard.web.api import errors, handlers, openapi
from dashboard.web.api.handlers import api
from dashboard.web.auth import csrf, request_address

DEFAULT_LIMIT = "120/minute"
DEFAULT_TOKEN_LIMIT = "600/minute"
DOCS_FOLDER = "swagger-ui"  # under assets/vendor: kept out of the Dash pages' script tags


def _token_key() -> str | None:
    """A token's limit key: the hash of a token that is valid (an invalid one counts
    against its address, so made-up tokens do not escape the address limit)."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    try:
        handlers.api_actor()
    except errors.ApiError:
        return None
    return "token:" + hashlib.sha256(header.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _rate_key() -> str:
    return _token_key() or "address:" + request_address()


def _rate_limit() -> str:
    if _token_key():
        return current_app.config.get("API_TOKEN_RATE_LIMIT", DEFAULT_TOKEN_LIMIT)
    return current_app.config.get("API_RATE_LIMIT", DEFAULT_LIMIT)


@api.get("/openapi.json")
def openapi_document() -> Response:
    return Response(json.dumps(openapi.document(), ensure_ascii=False), mimetype="application/json")


DOCS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CNCLTEH API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/vendor/swagger-ui/swagger-ui.css">
</head><body><div id="swagger-ui"></div>
<script src="/assets/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/api/v1/docs/start.js"></script>
</body></html>"""

# An own file, not an inline script: the Content-Security-Policy allows scripts from
# this server only. No "try it out" against other servers, no validator badge (it calls
# a remote service).
DOCS_START = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({url: "/api/v1/openapi.json", dom_id: "#swagger-ui", validatorUrl: null,
                               deepLinking: true, presets: [SwaggerUIBundle.presets.apis]});
});
"""


@api.get("/docs")
def docs() -> Response:
    return Response(DOCS_PAGE, mimetype="text/html")


@api.get("/")
def index() -> Response:
    return jsonify({"openapi": url_for("api.openapi_document"), "docs": url_for("api.docs")})


@api.get("/<path:_unknown>")
def unknown(_unknown: str) -> Response:
    # Before Dash's catch-all, which would answer its HTML shell.
    raise errors.not_found()


@api.get("/docs/start.js")
def docs_start() -> Response:
    return Response(DOCS_START, mimetype="text/javascript")


api.register_error_handler(errors.ApiError, errors.from_api_error)
api.register_error_handler(HTTPException, errors.from_http_exception)
api.register_error_handler(Exception, errors.from_exception)


def _no_cookies(response: Response) -> Response:
    """An API answer sets no cookie (language, session, CSRF): it does not depend on one,
    and an anonymous answer may then be kept by a shared cache."""
    if request.path.startswith(api.url_prefix + "/"):
        response.headers.remove("Set-Cookie")
    return response


def init_app(app: Flask, dash_app: Dash | None = None) -> None:
    # Redis out of reach: counted in memory meanwhile rather than failing the request.
    limiter = Limiter(_rate_key, app=app, storage_uri=app.config.get("REDIS_URL") or "memory://",
                      headers_enabled=True, key_prefix="api", swallow_errors=True,
                      in_memory_fallback_enabled=True)
    limiter.limit(_rate_limit, key_func=_rate_key)(api)
    app.extensions["api_limiter"] = limiter
    csrf.exempt(api)  # GET only: a POST gets 405 as JSON, not the CSRF page
    if "api" not in app.blueprints:
        app.register_blueprint(api)
    # Unmatched addresses under /api/ (no blueprint yet) answer JSON too.
    app.register_error_handler(404, _api_or_default)
    app.register_error_handler(405, _api_or_default)
    # Registered first, so it runs last, after the hooks that set cookies.
    app.after_request_funcs.setdefault(None, []).insert(0, _no_cookies)
    if dash_app is not None:
        dash_app.config.assets_path_ignore = [*(dash_app.config.assets_path_ignore or []), f"^{DOCS_FOLDER}$"]


def _api_or_default(error: HTTPException):
    if request.path.startswith(api.url_prefix + "/") or request.path == api.url_prefix:
        g.lang = handlers.api_lang()
        return errors.from_http_exception(error)
    return error
