"""Operations on the command line: pruning log-in attempts, and what ``serve`` gives gunicorn
and Dash."""
from __future__ import annotations

import datetime as dt
import gc
import os

import pytest
from sqlalchemy import func, select

from dashboard.cli import main
from dashboard.db import make_engine, session_scope
from dashboard.models import LoginAttempt
from dashboard.workflow import audit
from helpers import SERVER_URL_ENV


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """The CLI reads its settings from the environment: start each test from none."""
    for name in list(os.environ):
        if name.startswith("DASHBOARD_") and name != SERVER_URL_ENV:
            monkeypatch.delenv(name)


# --- pruning log-in attempts ------------------------------------------------------------------


def test_prune_login_attempts_deletes_only_old_ones(monkeypatch, capsys, writable_url):
    now = audit.utcnow()
    engine = make_engine(writable_url)
    with session_scope(engine) as session:
        for days in (1, 6, 8, 40, 400):
            session.add(LoginAttempt(email="someone@example.org", address="192.0.2.1",
                                     attempted_at=now - dt.timedelta(days=days), succeeded=False))
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", writable_url)
    assert main(["prune-login-attempts", "--days", "7"]) == 0
    assert capsys.readouterr().out == "3 log-in attempts older than 7 days deleted\n"
    with engine.connect() as conn:
        ages = sorted((now - when).days for when in conn.scalars(select(LoginAttempt.attempted_at)))
    assert ages == [1, 6]
    assert main(["prune-login-attempts"]) == 0  # default: 30 days
    assert capsys.readouterr().out == "0 log-in attempts older than 30 days deleted\n"
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(LoginAttempt)) == 2
    engine.dispose()


@pytest.mark.parametrize("days", ["0", "-3", "seven"])
def test_prune_login_attempts_wants_a_positive_number_of_days(capsys, days):
    with pytest.raises(SystemExit) as stopped:
        main(["prune-login-attempts", "--days", days])
    assert stopped.value.code == 2
    assert "--days" in capsys.readouterr().err


# --- serve -------------------------------------------------------------------------------------


def test_serve_gives_gunicorn_the_app_and_the_worker_count(monkeypatch, seeded_url):
    """``serve`` builds the app once and hands it to gunicorn with DASHBOARD_WORKERS workers
    (the real server is started in test_server.py)."""
    from dashboard.web import server

    seen = {}

    def run(self):
        seen.update(options=self.options, app=self.application)

    monkeypatch.setenv("DASHBOARD_DATABASE_URL", seeded_url)
    monkeypatch.setenv("DASHBOARD_WORKERS", "3")
    monkeypatch.setattr(server.ProductionServer, "run", run)
    try:
        assert main(["serve", "--port", "0", "--threads", "2"]) == 0
    finally:
        seen["app"].extensions["db_engine"].dispose()
    assert seen["options"]["workers"] == 3
    assert seen["options"]["threads"] == 2
    assert seen["options"]["bind"] == "127.0.0.1:0"
    assert "dash" in seen["app"].extensions


def test_serve_debug_makes_no_outside_request(monkeypatch, seeded_url):
    """Dash's dev tools would ask dash-version.plotly.com for its latest version."""
    from dash import Dash

    seen = {}
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", seeded_url)
    monkeypatch.setattr(Dash, "run", lambda self, **options: seen.update(options=options, app=self.server))
    try:
        assert main(["serve", "--debug", "--port", "0"]) == 0
    finally:
        gc.unfreeze()
        seen["app"].extensions["db_engine"].dispose()
    assert seen["options"]["debug"] is True
    assert seen["options"]["dev_tools_disable_version_check"] is True
