"""Constants and plain helpers shared by the tests (fixtures live in conftest.py).

Test modules import from here (``from helpers import seed``): pytest puts ``tests/`` on
``sys.path`` (see ``pythonpath`` in pyproject.toml).
"""
from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.db import make_engine, session_scope
from dashboard.ingest.loader import load_all
from dashboard.models import Base, User
from dashboard.permissions import PUBLIC, Actor
from dashboard.workflow import accounts

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
PLAN_SMALL = FIXTURES_DIR / "plan_small.yaml"
AS_OF = "2026-11-22"
AS_OF_DATE = dt.date.fromisoformat(AS_OF)
FRESHNESS_DAYS = 90
SERVER_URL_ENV = "DASHBOARD_TEST_DATABASE_URL"
ON_POSTGRESQL = bool(os.environ.get(SERVER_URL_ENV))
PASSWORD = "correct horse battery staple"
# The browser tests' demo accounts (accounts.ensure_demo_accounts) use this password.
DEMO_PASSWORD = "browser-test-password"
# The test accounts, by key: (role, entity). MJ and PMP both lead measures of plan_small.
TEST_USERS = {
    "focal_mj": ("focal_point", "MJ"),
    "focal_pmp": ("focal_point", "PMP"),
    "committee": ("committee", None),
    "secretariat": ("secretariat", None),
    "admin": ("admin", None),
}


def email_of(key: str) -> str:
    return f"{key.replace('_', '.')}@test.cnclteh.ma"


def create_test_users(session: Session) -> None:
    for key, (role, entity) in TEST_USERS.items():
        accounts.create_user(session, accounts.SYSTEM, email_of(key), key.replace("_", " ").title(),
                             role, entity, PASSWORD)


def actor_of(session: Session, key: str | None, address: str = "") -> Actor:
    """The services' view of a test account (``None``: the anonymous public)."""
    if key is None:
        return PUBLIC
    user = session.scalar(select(User).where(User.email == email_of(key)))
    return Actor(user_id=user.id, email=user.email, name=user.name, role=user.role,
                 entity_id=user.entity_id, address=address)


def seed(url: str) -> None:
    """Reference data, tests/fixtures/plan_small.yaml and the test accounts."""
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            load_all(session, data_dir=DATA_DIR, demo=False, plan_file=PLAN_SMALL)
            create_test_users(session)
    finally:
        engine.dispose()


def snapshot(session_or_conn) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: equal snapshots mean no change."""
    result = {}
    for table in Base.metadata.sorted_tables:
        query = select(table).order_by(*table.primary_key.columns)
        result[table.name] = [tuple(row) for row in session_or_conn.execute(query)]
    return result


def user_id(app: Flask, key: str) -> tuple[int, int]:
    """(id, session epoch) of a test account in ``app``'s database."""
    with app.extensions["db_sessionmaker"]() as session:
        user = session.scalar(select(User).where(User.email == email_of(key)))
        return user.id, user.session_epoch


def log_in_as(client: FlaskClient, key: str | None) -> FlaskClient:
    """Give ``client`` the session cookie of a test account (``None``: stay anonymous).

    The log-in form itself is tested in test_login.py; other tests start logged in.
    """
    if key is None:
        return client
    uid, epoch = user_id(client.application, key)
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = f"{uid}:{epoch}"
        flask_session["_fresh"] = True
        flask_session["seen_at"] = int(time.time())
    return client
