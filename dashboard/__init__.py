"""Monitoring dashboard of Morocco's national plan against trafficking in persons.

``create_app`` builds the Flask server, its database and translations, then mounts
the Dash application (pages in ``layouts/``, callbacks in ``callbacks/``).
"""
from __future__ import annotations

import datetime as dt
import secrets

from flask import Flask, current_app, jsonify

from . import auth, db, headers, i18n, statistics_export
from . import config as config_module


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    settings = vars(config_module.Config())
    if test_config:
        settings.update(test_config)
    config_module.validate(settings)
    if not settings.get("SECRET_KEY"):
        # Development only (validate() refuses production without a key).
        settings["SECRET_KEY"] = secrets.token_hex(32)
    app.config.update(settings)

    db.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    statistics_export.init_app(app)
    app.add_url_rule("/healthz", "healthz", healthz)

    from .web import init_dash

    init_dash(app)
    headers.init_app(app)
    return app


def as_of_date() -> dt.date:
    """The date progress is measured at: DASHBOARD_AS_OF, or today."""
    fixed = current_app.config.get("AS_OF")
    if isinstance(fixed, dt.date):
        return fixed
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


def healthz():
    status = {"app": "ok", "database": "ok"}
    try:
        db.ping(current_app.extensions["db_engine"])
    except Exception as exc:  # noqa: BLE001 - the health check reports any failure
        status["database"] = f"error: {exc.__class__.__name__}"
        return jsonify(status), 503
    return jsonify(status)
