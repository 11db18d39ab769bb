"""Engine and session handling.

One engine per app. A request (page load or Dash callback) gets one session from
``get_session()``; it is closed when the app context ends. Services never create
sessions themselves: they take one as their first argument.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import TextClause

from dashboard.models import DataVersion

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _ensure_sqlite_folder(url: str) -> None:
    """SQLite creates the file but not its folder (``instance/`` on a fresh clone)."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///").split("?")[0]).parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str, echo: bool = False) -> Engine:
    _ensure_sqlite_folder(url)
    engine = create_engine(url, echo=echo, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "after_execute", _note_write)
    event.listen(engine, "commit", _raise_data_version)
    event.listen(engine, "rollback", _forget_write)
    return engine


# Writes to these change nothing a page shows (sign-in, its throttling, the trail of who did
# what): they leave the data's version, and every cache keyed by it, as it was.
UNVERSIONED_TABLES = frozenset({"data_version", "user_account", "login_attempt", "password_link",
                                "audit_event", "alembic_version"})


_WRITTEN_TABLE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO)\s+\"?(\w+)", re.IGNORECASE)


def _note_write(conn, statement, *_args) -> None:
    if isinstance(statement, UpdateBase):
        table = getattr(statement.table, "name", None)
    elif isinstance(statement, str | TextClause):
        match = _WRITTEN_TABLE.match(str(statement))
        table = match.group(1).lower() if match else None
        if table is None:
            return
    else:
        return
    if table not in UNVERSIONED_TABLES:
        conn.info["data_changed"] = True


def _raise_data_version(conn) -> None:
    """Runs just before the database commits: the new version is part of the same
    transaction as the change, for every session, command and worker alike."""
    if not conn.info.pop("data_changed", False):
        return
    cursor = conn.connection.driver_connection.cursor()
    try:
        if conn.info.get("has_data_version") or _has_data_version(cursor, conn.dialect.name):
            conn.info["has_data_version"] = True
            cursor.execute("UPDATE data_version SET version = version + 1")
    finally:
        cursor.close()


def _has_data_version(cursor, dialect: str) -> bool:
    """False in a database not yet upgraded to it (a restore, an older revision's tests):
    asked without an error, which would end a PostgreSQL transaction."""
    if dialect == "postgresql":
        cursor.execute("SELECT to_regclass('data_version') IS NOT NULL")
    else:
        cursor.execute("SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'data_version'")
    return bool(cursor.fetchone()[0])


def _forget_write(conn) -> None:
    conn.info.pop("data_changed", None)


def data_version(session: Session) -> int:
    """The number the last commit that changed data left. Asked at every anonymous page
    load, so in plain SQL: the ORM's statement handling costs four times the query."""
    return session.connection().exec_driver_sql(_VERSION_SQL).scalar() or 0


_VERSION_SQL = f"SELECT version FROM {DataVersion.__tablename__} WHERE id = 1"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"], app.config.get("SQL_ECHO", False))
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def get_session() -> Session:
    """The current request's session, created on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A transaction for command-line work: commit on success, roll back on error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str):
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema to ``revision`` with Alembic."""
    from alembic import command

    _ensure_sqlite_folder(url)
    command.upgrade(alembic_config(url), revision)


def ping(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
