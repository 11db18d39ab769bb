"""Constants and plain helpers shared by the tests (fixtures live in conftest.py).

Test modules import from here (``from helpers import seed``): pytest puts ``tests/`` on
``sys.path`` (see ``pythonpath`` in pyproject.toml).
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from dashboard.db import make_engine, session_scope, upgrade
from dashboard.devtools.testing import DashClient
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
# conftest's ``restricted_app``: the restricted indicator and the value waiting for validation.
RESTRICTED = "IND-02"
PENDING_VALUE = 150
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
    """Every row of every table, in primary-key order: equal snapshots mean no change. The
    data's version (bookkeeping, tested in test_page_cache.py) is left out."""
    result = {}
    for table in Base.metadata.sorted_tables:
        if table.name == "data_version":
            continue
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


class Databases:
    """Hands out isolated databases on the backend under test: blank (``new``), migrated
    (``migrated``) or migrated and seeded (``seeded``).

    Migrating and seeding take most of a second, so each is done once, into a template,
    and a test's database is a copy: the SQLite file through the backup API; on
    PostgreSQL a schema migrated by Alembic (DDL is fast there) into which the seeded
    template's rows are copied with INSERT ... SELECT, sequences included.
    """

    def __init__(self, tmp_dir: Path, server_url: str | None):
        self.tmp_dir = tmp_dir
        self.server_url = server_url
        self._admin: Engine | None = create_engine(server_url) if server_url else None
        self._schemas: dict[str, str] = {}  # url -> schema still to drop
        self._templates: dict[str, str] = {}  # "migrated" / "seeded" -> url
        self._count = 0

    def new(self) -> str:
        """An empty database without any table."""
        self._count += 1
        if self._admin is None:
            return f"sqlite:///{self.tmp_dir / f'db{self._count}.sqlite3'}"
        schema = f"test_{secrets.token_hex(6)}"
        with self._admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = (
            make_url(self.server_url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
        self._schemas[url] = schema
        return url

    def migrated(self) -> str:
        """A database of its own, migrated to head, without rows."""
        return self._copy(self._template("migrated"))

    def seeded(self) -> str:
        """A database of its own, migrated and seeded like ``seed``."""
        return self._copy(self._template("seeded"))

    def drop(self, url: str) -> None:
        """Remove a database handed out by this factory."""
        schema = self._schemas.pop(url, None)
        if schema is not None and self._admin is not None:
            with self._admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        elif url.startswith("sqlite:///") and url not in self._templates.values():
            path = Path(make_url(url).database)
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)

    def close(self) -> None:
        for url in list(self._schemas):
            self.drop(url)
        if self._admin is not None:
            self._admin.dispose()

    def _template(self, kind: str) -> str:
        if kind not in self._templates:
            url = self.new()
            upgrade(url)
            if kind == "seeded":
                seed(url)
            self._templates[kind] = url
        return self._templates[kind]

    def _copy(self, template_url: str) -> str:
        url = self.new()
        if self._admin is None:
            with closing(sqlite3.connect(make_url(template_url).database)) as source, \
                    closing(sqlite3.connect(make_url(url).database)) as target:
                source.backup(target)
            return url
        upgrade(url)
        if template_url == self._templates.get("seeded"):
            self._copy_rows(self._schemas[template_url], self._schemas[url])
        return url

    def _copy_rows(self, source: str, target: str) -> None:
        """Copy every row of schema ``source`` into the migrated, empty schema ``target``."""
        assert self._admin is not None
        with self._admin.begin() as conn:
            tables = set(inspect(conn).get_table_names(schema=source)) - {"alembic_version"}
            unknown = tables - set(Base.metadata.tables)
            assert not unknown, f"tables the models do not know, which a copy would miss: {sorted(unknown)}"
            # The migration wrote the data's version row; the template's replaces it.
            conn.execute(text(f'DELETE FROM "{target}"."data_version"'))
            for table in Base.metadata.sorted_tables:
                columns = ", ".join(f'"{column.name}"' for column in table.columns)
                conn.execute(text(f'INSERT INTO "{target}"."{table.name}" ({columns}) '
                                  f'SELECT {columns} FROM "{source}"."{table.name}"'))
            sequences = conn.execute(
                text("SELECT sequencename, last_value FROM pg_sequences "
                     "WHERE schemaname = :schema AND last_value IS NOT NULL"),
                {"schema": source},
            )
            for name, last_value in sequences:
                conn.execute(text("SELECT setval(:sequence, :value)"),
                             {"sequence": f'"{target}"."{name}"', "value": last_value})


def kpi_value(tree) -> str:
    """The figure of a key-figure card (its one ``kpi-value`` element), for exact assertions."""
    [value] = DashClient.components(tree, lambda node: "kpi-value" in str(node["props"].get("className", "")).split())
    return DashClient.text_of(value)


def indicator_grid_rows(dash, **filters) -> list[dict]:
    """The rows of ``/indicators``' table for ``filters``, as the grid asks for them."""
    return dash.grid_rows("indicators-grid", {f"indicators-{key}.value": filters.get(key, "")
                                              for key in ("axis", "type", "responsible")})


def without_isolates(text) -> str:
    """``text`` without the Unicode isolates that keep Latin runs in order inside Arabic."""
    return str(text).translate({0x2066: None, 0x2067: None, 0x2068: None, 0x2069: None})
