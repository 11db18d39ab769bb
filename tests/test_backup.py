"""Backup and restore (dashboard/backup.py, ``python -m dashboard backup|restore``).

On PostgreSQL the source is a schema of database ``test`` (see conftest's ``Databases``);
a restore goes into a database created for the test, whose search_path names that same
schema (pg_dump keeps names schema-qualified, so the tables come back where they were).
"""
from __future__ import annotations

import io
import json
import os
import secrets
import shutil
import sqlite3
import tarfile
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url

from dashboard import backup
from dashboard.backup import BackupError, create_backup, restore_backup
from dashboard.cli import main
from dashboard.db import make_engine, session_scope, upgrade
from dashboard.devtools.testing import DashClient
from dashboard.models import AuditEvent
from dashboard.workflow import accounts, audit
from helpers import ON_POSTGRESQL, PASSWORD, SERVER_URL_ENV, email_of, snapshot
from tests.evidence_support import submit_evidence


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """The CLI reads its settings from the environment: start each test from none."""
    for name in list(os.environ):
        if name.startswith("DASHBOARD_") and name != SERVER_URL_ENV:
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def postgresql_tools():
    if ON_POSTGRESQL and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        reason = "pg_dump and pg_restore are missing: apt-get install postgresql-client"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def restore_target(databases, tmp_path):
    """``restore_target(source_url)``: the URL of a new, empty database to restore into."""
    created: list[str] = []
    admin = create_engine(databases.server_url, isolation_level="AUTOCOMMIT") if databases.server_url else None

    def _make(source_url: str) -> str:
        name = f"restore_{secrets.token_hex(6)}"
        if admin is None:
            return f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        options = make_url(source_url).query["options"]  # -csearch_path=<the source's schema>
        return (make_url(databases.server_url).set(database=name)
                .update_query_dict({"options": options}).render_as_string(hide_password=False))

    yield _make
    if admin is not None:
        with admin.connect() as conn:
            for name in created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def row_counts(url: str) -> dict[str, int]:
    """Rows of every table the database has (not only the models' tables)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
            return {name: conn.scalar(text(f'SELECT count(*) FROM "{name}"')) for name in names}
    finally:
        engine.dispose()


def rows_of(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return snapshot(conn)
    finally:
        engine.dispose()


def schema_of(url: str) -> str:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(text("SELECT current_schema()"))
    finally:
        engine.dispose()


def log_in(app, key: str) -> DashClient:
    dash = DashClient.in_language(app, "en")
    response = dash.call(
        "login-redirect.href",
        inputs={"login-submit.n_clicks": 1},
        state={"login-email.value": email_of(key), "login-password.value": PASSWORD, "login-next.data": None},
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.get_json()["response"]["login-redirect"]["href"].startswith("/")
    return dash


# --- the round trip ---------------------------------------------------------------------------


def test_backup_then_restore_into_an_empty_database(monkeypatch, capsys, make_app, writable_url, uploads,
                                                    restore_target, tmp_path):
    evidence_id, content = submit_evidence(writable_url, uploads)
    archive = tmp_path / "dashboard-backup.tar.gz"
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", writable_url)
    monkeypatch.setenv("DASHBOARD_UPLOAD_DIR", str(uploads))
    assert main(["backup", str(archive)]) == 0
    assert "backup written" in capsys.readouterr().out
    assert archive.stat().st_mode & 0o077 == 0  # password hashes and evidence: owner only

    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.loads(tar.extractfile("manifest.json").read())
    stored = next(iter(manifest["uploads"]["files"]))
    assert names == {"manifest.json", manifest["database"]["file"], f"uploads/{stored}"}
    assert manifest["database"]["tables"] == row_counts(writable_url)
    assert manifest["database"]["alembic_revision"] and manifest["app_version"]
    assert manifest["uploads"]["count"] == 1 and manifest["created_at"].endswith("Z")

    target = restore_target(writable_url)
    restored_uploads = tmp_path / "restored-uploads"
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", target)
    monkeypatch.setenv("DASHBOARD_UPLOAD_DIR", str(restored_uploads))
    assert main(["restore", str(archive)]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "1 evidence files written" in out

    # Every table, every row.
    assert row_counts(target) == row_counts(writable_url) == manifest["database"]["tables"]
    assert rows_of(target) == rows_of(writable_url)
    assert (restored_uploads / stored).read_bytes() == content

    # The restored dashboard works: a log-in, then the evidence file for its entity's focal point.
    app = make_app(DATABASE_URL=target, UPLOAD_DIR=str(restored_uploads))
    focal = log_in(app, "focal_mj")
    download = focal.client.get(f"/evidence/{evidence_id}")
    assert download.status_code == 200 and download.data == content
    assert app.test_client().get(f"/evidence/{evidence_id}").status_code == 401


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(writable_url, uploads, restore_target,
                                                                    tmp_path):
    archive = tmp_path / "b.tar.gz"
    create_backup(writable_url, uploads, archive)
    target = restore_target(writable_url)
    if ON_POSTGRESQL:
        engine = make_engine(target)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema_of(writable_url)}"'))
        engine.dispose()
    upgrade(target)  # the tables exist, without rows: init-db was run on it
    before = rows_of(target)

    with pytest.raises(BackupError, match=r"not empty.*--force"):
        restore_backup(archive, target, tmp_path / "restored-uploads")
    assert rows_of(target) == before
    assert not (tmp_path / "restored-uploads").exists() or not any((tmp_path / "restored-uploads").iterdir())

    report = restore_backup(archive, target, tmp_path / "restored-uploads", force=True)
    assert not report.problems
    assert rows_of(target) == rows_of(writable_url)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="schemas and search_path are PostgreSQL's")
def test_restore_refuses_a_search_path_that_would_not_find_the_tables(databases, writable_url, uploads,
                                                                       tmp_path):
    archive = tmp_path / "b.tar.gz"
    create_backup(writable_url, uploads, archive)
    other_schema = databases.new()  # same database, another (empty) schema first on the path
    try:
        with pytest.raises(BackupError, match="search_path"):
            restore_backup(archive, other_schema, tmp_path / "restored-uploads", force=True)
        assert row_counts(other_schema) == {}
    finally:
        databases.drop(other_schema)


# --- consistency while the dashboard writes ---------------------------------------------------


def audit_writer(url: str, stop: threading.Event, written: list[int], errors: list[BaseException]) -> None:
    """Append audit rows, one transaction each, until told to stop."""
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _keep_the_wal(dbapi_connection, _record):
            # No automatic checkpoint: every new row stays in the write-ahead log.
            dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")
    try:
        while not stop.is_set():
            with session_scope(engine) as session:
                audit.record(session, accounts.SYSTEM, "backup.probe", "audit", written[0])
            written[0] += 1
    except BaseException as exc:
        errors.append(exc)
    finally:
        engine.dispose()


def audit_rows(url: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(select(AuditEvent).order_by(AuditEvent.id))]
    finally:
        engine.dispose()


def test_a_backup_taken_while_writing_is_consistent(writable_url, uploads, restore_target, tmp_path):
    initial = len(audit_rows(writable_url))
    stop, written, errors = threading.Event(), [0], []
    writer = threading.Thread(target=audit_writer, args=(writable_url, stop, written, errors), daemon=True)
    writer.start()
    try:
        while written[0] < 300 and writer.is_alive():
            stop.wait(0.01)
        committed_before = initial + written[0]
        plain_copy = None
        if not ON_POSTGRESQL:
            # What `cp dashboard.sqlite3` gets: the main file without the write-ahead log.
            plain_copy = tmp_path / "plain-copy.sqlite3"
            shutil.copyfile(make_url(writable_url).database, plain_copy)
        archive = tmp_path / "b.tar.gz"
        report = create_backup(writable_url, uploads, archive)
        committed_after = initial + written[0]
        while written[0] < committed_after - initial + 50 and writer.is_alive():
            stop.wait(0.01)  # and it goes on writing after the backup
    finally:
        stop.set()
        writer.join(timeout=30)
    assert not errors, errors

    in_backup = report.manifest["database"]["tables"]["audit_event"]
    assert committed_before <= in_backup <= committed_after
    if plain_copy is not None:
        with sqlite3.connect(plain_copy) as conn:
            copied = conn.execute("SELECT count(*) FROM audit_event").fetchone()[0]
        assert copied < committed_before <= in_backup  # the plain copy misses the WAL's rows

    target = restore_target(writable_url)
    restore_backup(archive, target, tmp_path / "restored-uploads")
    source_rows = audit_rows(writable_url)
    assert len(source_rows) > in_backup
    # The restored trail is exactly the source's first rows: nothing missing, nothing torn.
    assert audit_rows(target) == source_rows[:in_backup]
    assert row_counts(target) == report.manifest["database"]["tables"]


# --- what the backup and the restore refuse or report -----------------------------------------


def test_a_missing_evidence_file_makes_the_backup_fail_loudly(monkeypatch, capsys, writable_url, uploads,
                                                              tmp_path):
    submit_evidence(writable_url, uploads)
    (stored,) = list(uploads.iterdir())
    stored.unlink()
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", writable_url)
    monkeypatch.setenv("DASHBOARD_UPLOAD_DIR", str(uploads))
    assert main(["backup", str(tmp_path / "b.tar.gz")]) == 1
    err = capsys.readouterr().err
    assert f"evidence file missing from {uploads}: {stored.name}" in err and "incomplete" in err


def test_the_backup_never_overwrites_a_file(writable_url, uploads, tmp_path):
    existing = tmp_path / "b.tar.gz"
    existing.write_bytes(b"yesterday's backup")
    with pytest.raises(BackupError, match="exists already"):
        create_backup(writable_url, uploads, existing)
    assert existing.read_bytes() == b"yesterday's backup"


def test_without_pg_dump_the_backup_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(backup.shutil, "which", lambda _name: None)
    with pytest.raises(BackupError, match=r"pg_dump is not installed.*postgresql-client"):
        create_backup("postgresql+psycopg://dashboard@127.0.0.1:5432/dashboard", tmp_path, tmp_path / "b.tar.gz")


def rewrite(archive: Path, change, extra: dict[str, bytes] | None = None) -> None:
    """Rebuild ``archive`` with ``change(name, bytes) -> bytes`` applied to each member and
    the ``extra`` members added at the end."""
    with tarfile.open(archive) as tar:
        members = [(info.name, tar.extractfile(info).read()) for info in tar.getmembers()]
    with tarfile.open(archive, "w:gz") as tar:
        for name, content in [*members, *(extra or {}).items()]:
            content = change(name, content)
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


def test_a_damaged_archive_is_refused_before_anything_is_written(writable_url, uploads, restore_target,
                                                                 tmp_path):
    submit_evidence(writable_url, uploads)
    archive = tmp_path / "b.tar.gz"
    create_backup(writable_url, uploads, archive)
    rewrite(archive, lambda name, content: content + b"x" if name.startswith("uploads/") else content)
    target = restore_target(writable_url)
    restored = tmp_path / "restored-uploads"
    with pytest.raises(BackupError, match="damaged"):
        restore_backup(archive, target, restored)
    assert row_counts(target) == {}
    assert not any(restored.iterdir())


def test_names_in_the_archive_never_choose_where_files_go(writable_url, uploads, restore_target, tmp_path):
    archive = tmp_path / "b.tar.gz"
    create_backup(writable_url, uploads, archive)
    target = restore_target(writable_url)

    def escape(name, content):
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest["uploads"]["files"] = {"../../escaped.pdf": {"sha256": "0" * 64, "size": 1}}
        return json.dumps(manifest).encode()

    rewrite(archive, escape)
    with pytest.raises(BackupError, match="does not list its evidence files"):
        restore_backup(archive, target, tmp_path / "a" / "b")

    archive.unlink()
    create_backup(writable_url, uploads, archive)
    rewrite(archive, lambda _name, content: content, extra={"uploads/../../escaped.pdf": b"%PDF-"})
    with pytest.raises(BackupError, match="which its manifest does not list"):
        restore_backup(archive, target, tmp_path / "a" / "b")
    assert not (tmp_path / "escaped.pdf").exists() and not (tmp_path / "a" / "escaped.pdf").exists()
    assert row_counts(target) == {}


@pytest.mark.parametrize("content", [b"", b"not an archive", b"\x1f\x8b\x08\x00broken"])
def test_a_file_that_is_not_a_backup_is_refused(tmp_path, content):
    path = tmp_path / "b.tar.gz"
    path.write_bytes(content)
    with pytest.raises(BackupError, match=r"not a backup archive|damaged"):
        restore_backup(path, f"sqlite:///{tmp_path / 'target.sqlite3'}", tmp_path / "uploads")


def test_a_backup_restores_only_into_its_own_kind_of_database(writable_url, uploads, tmp_path):
    archive = tmp_path / "b.tar.gz"
    create_backup(writable_url, uploads, archive)
    other = "sqlite:///" + str(tmp_path / "t.sqlite3") if ON_POSTGRESQL \
        else "postgresql+psycopg://dashboard@127.0.0.1:1/none"
    with pytest.raises(BackupError, match="restores into"):
        restore_backup(archive, other, tmp_path / "uploads")


def test_the_restore_checks_the_alembic_revision(blank_db_url, uploads, restore_target, tmp_path):
    from alembic.script import ScriptDirectory

    from dashboard.db import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config(blank_db_url))
    head = scripts.get_current_head()
    older = scripts.get_revision(head).down_revision
    upgrade(blank_db_url, older)
    archive = tmp_path / "older.tar.gz"
    create_backup(blank_db_url, uploads, archive)
    report = restore_backup(archive, restore_target(blank_db_url), tmp_path / "restored")
    assert report.revision == older and not report.problems
    assert report.notes == [(f"the database is at revision {older}, older than this version's {head}: "
                            "run `python -m dashboard init-db` to upgrade it")]

    engine = make_engine(blank_db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    newer = tmp_path / "newer.tar.gz"
    create_backup(blank_db_url, uploads, newer)
    report = restore_backup(newer, restore_target(blank_db_url), tmp_path / "restored-newer")
    assert report.problems == [(f"revision 9999_from_the_future is unknown to this version of the dashboard "
                               f"(head {head}): the backup comes from a newer version; "
                               "install that version before serving")]
