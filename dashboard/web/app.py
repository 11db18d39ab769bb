"""The Flask server: settings, database, translations, sign-in, headers, routes, then Dash."""
from __future__ import annotations

import secrets

from flask import Flask, current_app, jsonify

from dashboard import config as config_module
from dashboard import db, i18n
from dashboard.web import auth, headers, routes
from dashboard.web import settings as web_settings
from dashboard.web.dash_app import init_dash


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

    db.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    routes.init_app(app)
    app.add_url_rule("/healthz", "healthz", healthz)

    init_dash(app)
    headers.init_app(app)
    return app


def healthz():
    status = {"app": "ok", "database": "ok"}
    try:
        db.ping(current_app.extensions["db_engine"])
    except Exception as exc:
        status["database"] = f"error: {exc.__class__.__name__}"
        return jsonify(status), 503
    return jsonify(status)
