"""Configuration read from the environment (twelve-factor style).

Every setting has a ``DASHBOARD_`` environment variable. ``create_app`` accepts a
mapping that overrides them, which is how tests point the app at their database.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("ar", "fr", "en")


class ConfigError(RuntimeError):
    """Raised when the configuration cannot be used safely."""


def _default_database_url() -> str:
    instance = PROJECT_ROOT / "instance"
    return f"sqlite:///{instance / 'dashboard.sqlite3'}"


def _integer(env, name: str, default: int) -> int:
    text = env.get(name)
    if text is None or text == "":
        return default
    try:
        return int(text)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {text!r}") from None


class Config:
    """Settings as plain attributes; Flask's ``config.from_object`` reads the upper-case ones."""

    def __init__(self, environ: os._Environ | dict | None = None):
        env = os.environ if environ is None else environ
        self.ENV = env.get("DASHBOARD_ENV", "development")
        self.SECRET_KEY = env.get("DASHBOARD_SECRET_KEY") or None
        self.DATABASE_URL = env.get("DASHBOARD_DATABASE_URL") or _default_database_url()
        self.DEFAULT_LANG = env.get("DASHBOARD_DEFAULT_LANG", "ar")
        self.FRESHNESS_DAYS = _integer(env, "DASHBOARD_FRESHNESS_DAYS", 90)
        # Public pages show victim counts below this as "<5" (see dashboard/disclosure.py).
        self.SMALL_CELL_THRESHOLD = _integer(env, "DASHBOARD_SMALL_CELL_THRESHOLD", 5)
        # A fixed "as of" date makes screenshots and demos reproducible; empty means today.
        self.AS_OF = env.get("DASHBOARD_AS_OF") or None
        self.DATA_DIR = env.get("DASHBOARD_DATA_DIR") or str(PROJECT_ROOT / "data")
        self.SQL_ECHO = env.get("DASHBOARD_SQL_ECHO", "") == "1"
        # Evidence files: outside the web root, never served without a permission check.
        self.UPLOAD_DIR = env.get("DASHBOARD_UPLOAD_DIR") or str(PROJECT_ROOT / "instance" / "uploads")
        # A log-in session ends after this many minutes without a request.
        self.SESSION_IDLE_MINUTES = _integer(env, "DASHBOARD_SESSION_IDLE_MINUTES", 30)
        # How many reverse proxies set X-Forwarded-For in front of the app (0: none).
        self.TRUSTED_PROXIES = _integer(env, "DASHBOARD_TRUSTED_PROXIES", 0)
        # Password of the demonstration accounts; empty: generated and printed once.
        self.DEMO_PASSWORD = env.get("DASHBOARD_DEMO_PASSWORD") or None


def validate(config: dict) -> None:
    """Refuse settings that would be unsafe or meaningless."""
    if config["DEFAULT_LANG"] not in LANGUAGES:
        raise ConfigError(
            f"DASHBOARD_DEFAULT_LANG must be one of {', '.join(LANGUAGES)}, "
            f"not {config['DEFAULT_LANG']!r}"
        )
    if config["ENV"] == "production" and not config.get("SECRET_KEY"):
        raise ConfigError("DASHBOARD_SECRET_KEY is required when DASHBOARD_ENV=production")
    if config.get("SESSION_IDLE_MINUTES", 30) <= 0:
        raise ConfigError("DASHBOARD_SESSION_IDLE_MINUTES must be a positive number of minutes")
    if config["FRESHNESS_DAYS"] <= 0:
        raise ConfigError("DASHBOARD_FRESHNESS_DAYS must be a positive number of days")
    if config.get("SMALL_CELL_THRESHOLD", 5) < 2:
        raise ConfigError("DASHBOARD_SMALL_CELL_THRESHOLD must be 2 or more")
    as_of = config.get("AS_OF")
    if as_of and not isinstance(as_of, dt.date):
        try:
            dt.date.fromisoformat(as_of)
        except ValueError:
            raise ConfigError(f"DASHBOARD_AS_OF must be a date like 2026-11-22, not {as_of!r}") from None
