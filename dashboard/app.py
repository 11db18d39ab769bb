"""The application factory: the one module that puts every layer together.

It builds the Flask server (settings, database, translations, sign-in, headers, routes),
mounts Dash on it with the pages of ``layouts/`` and the callbacks of ``callbacks/``, and
checks every callback request against what the pages send. Nothing in ``dashboard`` imports
this module; ``cli`` and the tests do.
"""
from __future__ import annotations

import importlib
import pkgutil
import secrets
from pathlib import Path

from dash import Dash
from flask import Flask, current_app, jsonify

import callbacks
import layouts
from dashboard import cache, db, i18n
from dashboard import config as config_module
from dashboard.web import (
    api,
    auth,
    calendar_feed,
    callback_inputs,
    delivery,
    headers,
    open_data,
    page_cache,
    reporting,
    reports,
    routes,
)
from dashboard.web import settings as web_settings
from dashboard.web.dash_app import init_dash
from layouts.shell import shell

PAGES_FOLDER = Path(layouts.__file__).parent


def create_app(test_config: dict | None = None) -> Flask:
    # Named after the package: translations and the instance folder are found from its root.
    app = Flask("dashboard", instance_relative_config=False)
    settings = vars(config_module.Config())
    if test_config:
        settings.update(test_config)
    config_module.validate(settings)
    if not settings.get("SECRET_KEY"):
        # Development only (validate() refuses production without a key).
        settings["SECRET_KEY"] = secrets.token_hex(32)
    app.config.update(settings)
    # Services called without a setting read this application's (see dashboard.web.settings).
    web_settings.install()

    # First registered, so its after-request hook runs last: it compresses the final body.
    delivery.init_app(app)
    db.init_app(app)
    cache.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    routes.init_app(app)
    open_data.init_app(app)
    reports.init_app(app)
    reporting.init_app(app)
    calendar_feed.init_app(app)
    app.add_url_rule("/healthz", "healthz", healthz)

    dash_app = init_dash(app, PAGES_FOLDER, shell)
    api.init_app(app, dash_app)
    register_callbacks(dash_app)
    # Every callback request is checked against what the pages send before Dash runs it.
    callback_inputs.init_app(app, dash_app)
    # After those checks: an anonymous visitor's page load answered from the cache.
    page_cache.init_app(app, dash_app)
    headers.init_app(app)
    return app


def register_callbacks(dash_app: Dash) -> None:
    """Each module of ``callbacks/`` registers its page's callbacks: a new page's module is
    found without being listed anywhere."""
    for info in sorted(pkgutil.iter_modules(callbacks.__path__), key=lambda m: m.name):
        importlib.import_module(f"callbacks.{info.name}").register_callbacks(dash_app)


def healthz():
    status = {"app": "ok", "database": "ok"}
    try:
        db.ping(current_app.extensions["db_engine"])
    except Exception as exc:
        status["database"] = f"error: {exc.__class__.__name__}"
        return jsonify(status), 503
    return jsonify(status)
