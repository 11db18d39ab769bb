"""Shared fixtures: databases on the backend under test, the seeded test plan, the app.

The tests run on SQLite (a temporary file) unless ``DASHBOARD_TEST_DATABASE_URL`` names a
PostgreSQL database, e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``; then every
database below is a fresh schema of that database (``search_path`` set through the URL's
``options``), dropped at the end. The schema is always built by the Alembic migrations, so
the migrations themselves are exercised on both backends: once per session into a template
(migrated, or migrated and seeded), which each test's database copies (see ``Databases``).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from dashboard.app import create_app
from dashboard.cache import RedisCache
from dashboard.db import make_engine, session_scope, upgrade
from dashboard.devtools.testing import DashClient
from dashboard.ingest.loader import load_all
from dashboard.models import Indicator, User
from dashboard.permissions import Actor
from dashboard.workflow import accounts, submissions
from helpers import (
    AS_OF,
    AS_OF_DATE,
    PENDING_VALUE,
    RESTRICTED,
    SERVER_URL_ENV,
    Databases,
    create_test_users,
    email_of,
    log_in_as,
    seed,
)

# Still imported from here by a few test modules until they import from helpers.
from helpers import DATA_DIR, PLAN_SMALL, REPO_ROOT, snapshot  # noqa: F401  isort: skip

accounts.use_fast_hashing()


@pytest.fixture(scope="session")
def databases(tmp_path_factory) -> Iterator[Databases]:
    factory = Databases(tmp_path_factory.mktemp("databases"), _server_url())
    try:
        yield factory
    finally:
        factory.close()


def _server_url() -> str | None:
    url = os.environ.get(SERVER_URL_ENV) or None
    if url and not url.startswith("postgresql"):
        raise pytest.UsageError(f"{SERVER_URL_ENV} must be a postgresql:// URL, not {url!r}")
    return url


@pytest.fixture(scope="session")
def db_url(databases) -> str:
    """The session's shared database: migrated with Alembic and seeded (``seeded_url``)."""
    return databases.seeded()


@pytest.fixture(scope="session")
def seeded_url(db_url) -> str:
    """``db_url``: the reference data, tests/fixtures/plan_small.yaml and the test
    accounts (``TEST_USERS``).

    Shared by the whole session: tests that write use ``session`` (rolled back) or a
    database of their own (``writable_url``, ``fresh_db_url``).
    """
    return db_url


@pytest.fixture(scope="session")
def engine(seeded_url) -> Iterator[Engine]:
    engine = make_engine(seeded_url)
    if engine.dialect.name == "sqlite":
        _sqlite_explicit_transactions(engine)
    yield engine
    engine.dispose()


def _sqlite_explicit_transactions(engine: Engine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, start transactions.

    Python's sqlite3 driver begins transactions lazily and on its own, so the SAVEPOINT
    that ``session`` nests in an outer transaction would escape the final rollback.
    """

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN")


@pytest.fixture
def session(engine) -> Iterator[Session]:
    """A session on the seeded database whose work is rolled back after the test.

    ``commit()`` inside a test only releases a savepoint; the outer transaction is
    rolled back at the end, so nothing leaks into other tests.
    """
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def blank_db_url(databases) -> Iterator[str]:
    """An empty database of this test's own, without any table (for ``init-db``)."""
    url = databases.new()
    yield url
    databases.drop(url)


@pytest.fixture
def fresh_db_url(databases) -> Iterator[str]:
    """A migrated, empty database of this test's own, for tests that write."""
    url = databases.migrated()
    yield url
    databases.drop(url)


@pytest.fixture
def engine_for() -> Iterator[Callable[[str], Engine]]:
    """Engines on other databases than the shared one, disposed after the test."""
    engines: list[Engine] = []

    def _make(url: str) -> Engine:
        engines.append(make_engine(url))
        return engines[-1]

    yield _make
    for created in engines:
        created.dispose()


@pytest.fixture
def make_app(seeded_url) -> Iterator[Callable[..., Flask]]:
    """``make_app(**config)``: the dashboard on the seeded database unless told otherwise."""
    apps: list[Flask] = []

    def _make(**config) -> Flask:
        settings = {"DATABASE_URL": seeded_url, "AS_OF": AS_OF, "TESTING": True, **config}
        apps.append(create_app(settings))
        return apps[-1]

    yield _make
    for created in apps:
        created.extensions["db_engine"].dispose()


@pytest.fixture
def app(make_app) -> Flask:
    return make_app()


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def dash_client(client) -> DashClient:
    return DashClient(client)


@pytest.fixture
def writable_url(databases) -> Iterator[str]:
    """A database of this test's own, seeded like ``seeded_url``: for tests that commit."""
    url = databases.seeded()
    yield url
    databases.drop(url)


@pytest.fixture
def uploads(tmp_path) -> Path:
    """The evidence folder of a test's own app."""
    return tmp_path / "uploads"


@pytest.fixture
def writable_app(make_app, writable_url, uploads) -> Flask:
    """The app on a database and an evidence folder of the test's own, for tests that write."""
    return make_app(DATABASE_URL=writable_url, UPLOAD_DIR=str(uploads))


@pytest.fixture
def writable_engine(engine_for, writable_url) -> Engine:
    """An engine on ``writable_url``, to look at what the app wrote."""
    return engine_for(writable_url)


@pytest.fixture
def login() -> Callable[[FlaskClient, str | None], FlaskClient]:
    """``login(client, "focal_mj")``: that client is now logged in as the test account."""
    return log_in_as


@pytest.fixture
def redis_url(tmp_path) -> Iterator[str]:
    """A Redis server of this test's own (Debian's redis-server), stopped after it."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is missing: `make test` installs Debian's redis-server")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            RedisCache(url).client.ping()
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def restricted_app(databases, tmp_path_factory) -> Iterator[Flask]:
    """The small test plan (one module's own database) where ``RESTRICTED`` (IND-02, reported
    by CNCLTEH on axis A1) is restricted and a value of IND-01 waits for validation
    (``PENDING_VALUE`` for 2025). IND-01 is sensitive: in 2024 its nationality breakdown is
    moroccan 138, foreign 2 (total 140)."""
    url = databases.new()
    upgrade(url)
    seed(url)
    uploads = tmp_path_factory.mktemp("uploads")
    app = create_app({"DATABASE_URL": url, "AS_OF": AS_OF, "TESTING": True, "UPLOAD_DIR": str(uploads)})
    engine = make_engine(url)
    with session_scope(engine) as session:
        session.query(Indicator).filter_by(code=RESTRICTED).update({"is_public": False})
        user = session.query(User).filter_by(email=email_of("focal_pmp")).one()
        focal = Actor(user_id=user.id, email=user.email, role=user.role, entity_id=user.entity_id)
        with app.test_request_context("/?lang=en"):
            submissions.submit_indicator_value(
                session, focal, "IND-01", submissions.ValueForm(period="2025", value=str(PENDING_VALUE)),
                uploads, AS_OF_DATE)
    engine.dispose()
    yield app
    app.extensions["db_engine"].dispose()
    databases.drop(url)


@pytest.fixture(scope="module")
def demo_app(databases) -> Iterator[Flask]:
    """The shipped data with the demonstration layer (one module's own database): the
    illustrative plan, regional figures and small counts, activities, programmes, the
    directory, and the test accounts."""
    url = databases.new()
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        load_all(session, DATA_DIR, demo=True)
        create_test_users(session)
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "AS_OF": AS_OF, "TESTING": True})
    yield app
    app.extensions["db_engine"].dispose()
    databases.drop(url)
