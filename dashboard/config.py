"""Configuration read from the environment (twelve-factor style).

Every setting has a ``DASHBOARD_`` environment variable. ``create_app`` accepts a
mapping that overrides them, which is how tests point the app at their database.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from limits import parse_many

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("ar", "fr", "en")
MAX_REQUEST_BYTES = 64 * 1024 * 1024


class ConfigError(RuntimeError):
    """Raised when the configuration cannot be used safely."""


def _no_running_settings() -> Mapping | None:
    return None


# The settings of the running application, for a service whose caller did not pass one
# (services take settings as parameters; this default keeps older callers working).
# The web layer points it at the Flask application's config (dashboard.web.settings).
_running_settings: Callable[[], Mapping | None] = _no_running_settings


def read_running_settings_from(source: Callable[[], Mapping | None]) -> None:
    global _running_settings
    _running_settings = source


def running_setting(name: str, default):
    """The running application's setting ``name``, else ``default`` (no application)."""
    settings = _running_settings()
    return default if settings is None else settings.get(name, default)


def _default_database_url() -> str:
    instance = PROJECT_ROOT / "instance"
    return f"sqlite:///{instance / 'dashboard.sqlite3'}"


def _flag(env, name: str, default: bool) -> bool:
    text = (env.get(name) or "").strip().lower()
    if text == "":
        return default
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be 1 or 0, not {text!r}")


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
        # Public pages show victim counts below this as "<5" (see dashboard/national/disclosure.py).
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
        # Shared cache of anonymous visitors' pages (redis://host:6379/0); empty: each
        # worker keeps its own. DASHBOARD_PAGE_CACHE=0 turns the cache off (benchmarks).
        self.REDIS_URL = env.get("DASHBOARD_REDIS_URL") or None
        self.PAGE_CACHE = _flag(env, "DASHBOARD_PAGE_CACHE", True)
        # The API's rate limits, in Flask-Limiter's syntax ("1000/hour;60/minute"): per
        # address for anonymous callers, per token for token holders.
        self.API_RATE_LIMIT = env.get("DASHBOARD_API_RATE_LIMIT") or "120/minute"
        self.API_TOKEN_RATE_LIMIT = env.get("DASHBOARD_API_TOKEN_RATE_LIMIT") or "600/minute"
        # Password of the demonstration accounts; empty: generated and printed once.
        self.DEMO_PASSWORD = env.get("DASHBOARD_DEMO_PASSWORD") or None

        # Set-password links are e-mailed through this SMTP server; without a host they go
        # to the server log (development).
        self.SMTP_HOST = env.get("DASHBOARD_SMTP_HOST") or None
        self.SMTP_SSL = _flag(env, "DASHBOARD_SMTP_SSL", False)
        self.SMTP_STARTTLS = _flag(env, "DASHBOARD_SMTP_STARTTLS", not self.SMTP_SSL)
        self.SMTP_PORT = _integer(env, "DASHBOARD_SMTP_PORT",
                                  465 if self.SMTP_SSL else 587 if self.SMTP_STARTTLS else 25)
        self.SMTP_USERNAME = env.get("DASHBOARD_SMTP_USERNAME") or None
        self.SMTP_PASSWORD = env.get("DASHBOARD_SMTP_PASSWORD") or None
        self.MAIL_FROM = env.get("DASHBOARD_MAIL_FROM") or None
        # The address users reach the dashboard at, for the links in e-mails
        # (e.g. https://dashboard.cnclteh.ma); development falls back to the request's host.
        self.PUBLIC_URL = env.get("DASHBOARD_PUBLIC_URL") or None
        # `notify` reminds focal points this many days before a report is due.
        self.REMINDER_DAYS = _integer(env, "DASHBOARD_REMINDER_DAYS", 7)

        # Cookie and request settings. Flask defines these keys with its own defaults
        # (cookie "session", no SameSite, 31 days, no size limit), so they are set here, where
        # create_app's mapping can still override them. None means "derived from ENV and
        # SESSION_IDLE_MINUTES" once the mapping is merged (see auth.init_app).
        self.SESSION_COOKIE_NAME = "dashboard_session"
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = None  # production: True
        self.PERMANENT_SESSION_LIFETIME = None  # SESSION_IDLE_MINUTES
        self.SESSION_REFRESH_EACH_REQUEST = True
        self.WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
        self.WTF_CSRF_SSL_STRICT = None  # production: True
        # Largest request body: an evidence file of up to 45 MB (base64 in a callback, 4/3 of
        # the size) still reaches the server, which then says it is over 10 MB.
        self.MAX_CONTENT_LENGTH = MAX_REQUEST_BYTES


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
    if not 1 <= config.get("REMINDER_DAYS", 7) <= 90:
        raise ConfigError("DASHBOARD_REMINDER_DAYS must be a number of days from 1 to 90")
    if config["FRESHNESS_DAYS"] <= 0:
        raise ConfigError("DASHBOARD_FRESHNESS_DAYS must be a positive number of days")
    for key in ("API_RATE_LIMIT", "API_TOKEN_RATE_LIMIT"):
        try:
            parse_many(str(config.get(key) or ""))
        except ValueError:
            raise ConfigError(f"DASHBOARD_{key} must be a rate such as 120/minute or 1000/hour;60/minute, "
                              f"not {config.get(key)!r}") from None
    if config.get("REDIS_URL") and not str(config["REDIS_URL"]).startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError("DASHBOARD_REDIS_URL must be a redis://, rediss:// or unix:// URL")
    if config.get("SMALL_CELL_THRESHOLD", 5) < 2:
        raise ConfigError("DASHBOARD_SMALL_CELL_THRESHOLD must be 2 or more")
    if config.get("SMTP_HOST"):
        if not config.get("MAIL_FROM"):
            raise ConfigError("DASHBOARD_MAIL_FROM is required when DASHBOARD_SMTP_HOST is set")
        if config.get("SMTP_SSL") and config.get("SMTP_STARTTLS"):
            raise ConfigError("DASHBOARD_SMTP_SSL and DASHBOARD_SMTP_STARTTLS exclude each other")
        if config["ENV"] == "production" and not config.get("PUBLIC_URL"):
            raise ConfigError("DASHBOARD_PUBLIC_URL is required in production when DASHBOARD_SMTP_HOST is set "
                              "(the links in e-mails point to it)")
    public_url = config.get("PUBLIC_URL")
    if public_url and not str(public_url).startswith(("https://", "http://")):
        raise ConfigError(f"DASHBOARD_PUBLIC_URL must start with https:// or http://, not {public_url!r}")
    max_bytes = config.get("MAX_CONTENT_LENGTH")
    if max_bytes is not None and (not isinstance(max_bytes, int) or max_bytes <= 0):
        raise ConfigError("MAX_CONTENT_LENGTH must be a positive number of bytes")
    as_of = config.get("AS_OF")
    if as_of and not isinstance(as_of, dt.date):
        try:
            dt.date.fromisoformat(as_of)
        except ValueError:
            raise ConfigError(f"DASHBOARD_AS_OF must be a date like 2026-11-22, not {as_of!r}") from None
