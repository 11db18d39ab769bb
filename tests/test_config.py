"""Configuration (dashboard/config.py): environment variables and refused settings."""
from __future__ import annotations

import pytest

from dashboard.app import create_app
from dashboard.config import Config, ConfigError, validate

ENV_VARS = (
    "DASHBOARD_ENV",
    "DASHBOARD_SECRET_KEY",
    "DASHBOARD_DATABASE_URL",
    "DASHBOARD_DEFAULT_LANG",
    "DASHBOARD_FRESHNESS_DAYS",
    "DASHBOARD_AS_OF",
    "DASHBOARD_DATA_DIR",
    "DASHBOARD_SQL_ECHO",
    "DASHBOARD_SMTP_HOST",
    "DASHBOARD_SMTP_PORT",
    "DASHBOARD_SMTP_USERNAME",
    "DASHBOARD_SMTP_PASSWORD",
    "DASHBOARD_SMTP_STARTTLS",
    "DASHBOARD_SMTP_SSL",
    "DASHBOARD_MAIL_FROM",
    "DASHBOARD_PUBLIC_URL",
    "DASHBOARD_SESSION_IDLE_MINUTES",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """Each test starts from no DASHBOARD_ variable, whatever the shell exported."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    # Never the default instance/ database of the project.
    return f"sqlite:///{tmp_path / 'config.sqlite3'}"


def test_defaults():
    config = Config({})
    assert config.ENV == "development"
    assert config.DEFAULT_LANG == "ar"
    assert config.FRESHNESS_DAYS == 90
    assert config.SECRET_KEY is None
    assert config.AS_OF is None
    assert config.SQL_ECHO is False
    assert config.DATABASE_URL.startswith("sqlite:///") and config.DATABASE_URL.endswith("dashboard.sqlite3")


def test_environment_is_read():
    config = Config({
        "DASHBOARD_ENV": "production",
        "DASHBOARD_SECRET_KEY": "s3cret",
        "DASHBOARD_DATABASE_URL": "postgresql+psycopg://u@db/x",
        "DASHBOARD_DEFAULT_LANG": "fr",
        "DASHBOARD_FRESHNESS_DAYS": "30",
        "DASHBOARD_AS_OF": "2026-01-31",
        "DASHBOARD_DATA_DIR": "/srv/data",
        "DASHBOARD_SQL_ECHO": "1",
    })
    assert (config.ENV, config.SECRET_KEY, config.DATABASE_URL) == (
        "production", "s3cret", "postgresql+psycopg://u@db/x"
    )
    assert (config.DEFAULT_LANG, config.FRESHNESS_DAYS, config.AS_OF, config.DATA_DIR, config.SQL_ECHO) == (
        "fr", 30, "2026-01-31", "/srv/data", True
    )


def test_empty_secret_and_url_count_as_unset():
    config = Config({"DASHBOARD_SECRET_KEY": "", "DASHBOARD_DATABASE_URL": ""})
    assert config.SECRET_KEY is None
    assert config.DATABASE_URL.endswith("dashboard.sqlite3")


def test_production_without_secret_key_refuses_to_start(monkeypatch, sqlite_url):
    monkeypatch.setenv("DASHBOARD_ENV", "production")
    with pytest.raises(ConfigError, match="DASHBOARD_SECRET_KEY is required"):
        create_app({"DATABASE_URL": sqlite_url})


def test_production_with_secret_key_starts(monkeypatch, sqlite_url):
    monkeypatch.setenv("DASHBOARD_ENV", "production")
    monkeypatch.setenv("DASHBOARD_SECRET_KEY", "a-long-random-key")
    app = create_app({"DATABASE_URL": sqlite_url})
    assert app.config["SECRET_KEY"] == "a-long-random-key"
    app.extensions["db_engine"].dispose()


def test_development_gets_a_random_secret_key(sqlite_url):
    first = create_app({"DATABASE_URL": sqlite_url})
    second = create_app({"DATABASE_URL": sqlite_url})
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] != second.config["SECRET_KEY"]
    for app in (first, second):
        app.extensions["db_engine"].dispose()


@pytest.mark.parametrize("lang", ["de", "", "AR", "ar_MA"])
def test_bad_default_lang_is_refused(monkeypatch, sqlite_url, lang):
    monkeypatch.setenv("DASHBOARD_DEFAULT_LANG", lang)
    with pytest.raises(ConfigError, match="DASHBOARD_DEFAULT_LANG must be one of ar, fr, en"):
        create_app({"DATABASE_URL": sqlite_url})


def test_bad_default_lang_from_test_config_is_refused(sqlite_url):
    with pytest.raises(ConfigError):
        create_app({"DATABASE_URL": sqlite_url, "DEFAULT_LANG": "es"})


@pytest.mark.parametrize("days", ["0", "-5"])
def test_non_positive_freshness_is_refused(monkeypatch, sqlite_url, days):
    monkeypatch.setenv("DASHBOARD_FRESHNESS_DAYS", days)
    with pytest.raises(ConfigError, match="DASHBOARD_FRESHNESS_DAYS"):
        create_app({"DATABASE_URL": sqlite_url})


def test_default_language_is_arabic(sqlite_url):
    app = create_app({"DATABASE_URL": sqlite_url})
    assert app.config["DEFAULT_LANG"] == "ar"
    page = app.test_client().get("/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    app.extensions["db_engine"].dispose()


def test_default_language_from_the_environment(monkeypatch, sqlite_url):
    monkeypatch.setenv("DASHBOARD_DEFAULT_LANG", "en")
    app = create_app({"DATABASE_URL": sqlite_url})
    page = app.test_client().get("/").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page
    app.extensions["db_engine"].dispose()


def test_database_url_from_the_environment_is_honoured(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'from-env.sqlite3'}"
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", url)
    app = create_app()
    assert app.config["DATABASE_URL"] == url
    engine = app.extensions["db_engine"]
    assert engine.url.database == str(tmp_path / "from-env.sqlite3")
    assert app.test_client().get("/healthz").status_code == 200
    assert (tmp_path / "from-env.sqlite3").exists()
    engine.dispose()


def test_test_config_overrides_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    url = f"sqlite:///{tmp_path / 'override.sqlite3'}"
    app = create_app({"DATABASE_URL": url})
    assert app.extensions["db_engine"].url.database == str(tmp_path / "override.sqlite3")
    app.extensions["db_engine"].dispose()


def test_validate_accepts_the_defaults():
    validate(vars(Config({})))


def test_non_numeric_freshness_is_a_config_error(monkeypatch, sqlite_url):
    monkeypatch.setenv("DASHBOARD_FRESHNESS_DAYS", "ninety")
    with pytest.raises(ConfigError):
        create_app({"DATABASE_URL": sqlite_url})


def test_invalid_as_of_date_is_a_config_error(sqlite_url):
    with pytest.raises(ConfigError):
        create_app({"DATABASE_URL": sqlite_url, "AS_OF": "31/12/2026"})


def test_small_cell_threshold_from_the_environment():
    assert Config({"DASHBOARD_SMALL_CELL_THRESHOLD": "10"}).SMALL_CELL_THRESHOLD == 10
    assert Config({}).SMALL_CELL_THRESHOLD == 5
    with pytest.raises(ConfigError):
        validate(vars(Config({"DASHBOARD_SMALL_CELL_THRESHOLD": "1"})))


# --- mail, cookies and request size --------------------------------------------------------


def test_mail_settings_from_the_environment():
    config = Config({"DASHBOARD_SMTP_HOST": "smtp.justice.gov.ma", "DASHBOARD_SMTP_USERNAME": "dashboard",
                     "DASHBOARD_SMTP_PASSWORD": "s3cret", "DASHBOARD_MAIL_FROM": "no-reply@cnclteh.ma",
                     "DASHBOARD_PUBLIC_URL": "https://dashboard.cnclteh.ma"})
    assert (config.SMTP_HOST, config.SMTP_PORT, config.SMTP_STARTTLS, config.SMTP_SSL) == (
        "smtp.justice.gov.ma", 587, True, False)
    assert (config.SMTP_USERNAME, config.SMTP_PASSWORD, config.MAIL_FROM, config.PUBLIC_URL) == (
        "dashboard", "s3cret", "no-reply@cnclteh.ma", "https://dashboard.cnclteh.ma")
    tls = Config({"DASHBOARD_SMTP_SSL": "1"})
    assert (tls.SMTP_PORT, tls.SMTP_STARTTLS, tls.SMTP_SSL) == (465, False, True)
    plain = Config({"DASHBOARD_SMTP_STARTTLS": "0", "DASHBOARD_SMTP_PORT": "2525"})
    assert (plain.SMTP_PORT, plain.SMTP_STARTTLS) == (2525, False)
    assert Config({}).SMTP_HOST is None  # development: links go to the log


@pytest.mark.parametrize("env, message", [
    ({"DASHBOARD_SMTP_HOST": "smtp.x.ma"}, "DASHBOARD_MAIL_FROM is required"),
    ({"DASHBOARD_SMTP_HOST": "smtp.x.ma", "DASHBOARD_MAIL_FROM": "a@x.ma", "DASHBOARD_SMTP_SSL": "1",
      "DASHBOARD_SMTP_STARTTLS": "1"}, "exclude each other"),
    ({"DASHBOARD_SMTP_HOST": "smtp.x.ma", "DASHBOARD_MAIL_FROM": "a@x.ma", "DASHBOARD_ENV": "production",
      "DASHBOARD_SECRET_KEY": "k"}, "DASHBOARD_PUBLIC_URL is required"),
    ({"DASHBOARD_PUBLIC_URL": "dashboard.cnclteh.ma"}, "must start with https://"),
])
def test_unusable_mail_settings_are_refused(env, message):
    with pytest.raises(ConfigError, match=message):
        validate(vars(Config(env)))


def test_a_flag_that_is_not_a_flag_is_refused():
    with pytest.raises(ConfigError, match="DASHBOARD_SMTP_STARTTLS must be 1 or 0"):
        Config({"DASHBOARD_SMTP_STARTTLS": "maybe"})


def test_cookie_and_size_settings_replace_flask_s_defaults(monkeypatch, sqlite_url):
    """Flask defines these keys (cookie "session", no SameSite, 31 days, no size limit), so a
    ``setdefault`` never took effect: they are set, and derived from ENV and the idle minutes."""
    monkeypatch.setenv("DASHBOARD_SESSION_IDLE_MINUTES", "20")
    app = create_app({"DATABASE_URL": sqlite_url})
    assert app.config["SESSION_COOKIE_NAME"] == "dashboard_session"
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax" and app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 20 * 60
    assert app.config["MAX_CONTENT_LENGTH"] == 64 * 1024 * 1024
    app.extensions["db_engine"].dispose()
    monkeypatch.setenv("DASHBOARD_ENV", "production")
    monkeypatch.setenv("DASHBOARD_SECRET_KEY", "a-long-random-key")
    app = create_app({"DATABASE_URL": sqlite_url})
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["WTF_CSRF_SSL_STRICT"] is True
    app.extensions["db_engine"].dispose()


def test_a_request_size_limit_must_be_positive(sqlite_url):
    with pytest.raises(ConfigError, match="MAX_CONTENT_LENGTH"):
        create_app({"DATABASE_URL": sqlite_url, "MAX_CONTENT_LENGTH": 0})


def test_the_api_rate_limit_comes_from_the_environment(monkeypatch, sqlite_url):
    monkeypatch.setenv("DASHBOARD_API_RATE_LIMIT", "2/minute")
    app = create_app({"DATABASE_URL": sqlite_url})
    client = app.test_client()
    assert [client.get("/api/v1/").status_code for _ in range(3)] == [200, 200, 429]
    app.extensions["db_engine"].dispose()


@pytest.mark.parametrize("key", ["DASHBOARD_API_RATE_LIMIT", "DASHBOARD_API_TOKEN_RATE_LIMIT"])
def test_a_rate_limit_that_is_not_one_refuses_to_start(monkeypatch, sqlite_url, key):
    monkeypatch.setenv(key, "many")
    with pytest.raises(ConfigError, match=key):
        create_app({"DATABASE_URL": sqlite_url})
