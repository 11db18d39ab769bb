"""Backup and restore: the database and the evidence files in one archive.

``create_backup`` takes a consistent copy while the dashboard serves:

* SQLite: the sqlite3 backup API (``Connection.backup``) copies the database as one
  reader sees it, rows still in the write-ahead log included (a plain ``cp`` of the
  file misses them);
* PostgreSQL: ``pg_dump`` in custom format, on a snapshot exported by a repeatable-read
  transaction that also counts the rows and lists the evidence files, so the manifest,
  the dump and the files describe the same moment.

Then it copies exactly the evidence files that copy of the database refers to (files are
written before their row is committed and never deleted, so every one is on disk).

The archive (a .tar.gz) holds ``manifest.json`` (format, time, app version, Alembic
revision, rows per table, files with their SHA-256), the database (``database.sqlite3``
or ``database.pgdump``) and ``uploads/``. ``restore_backup`` checks it whole, refuses a
database that is not empty (unless ``force``), restores the database and the files, then
checks the row counts and the Alembic revision.
"""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.engine import URL, make_url

from dashboard.db import alembic_config, make_engine

FORMAT = "tip-plan-dashboard-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads/"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.[a-z]{3,4}$")  # as evidence.STORED_NAME
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
PG_CLIENT_HINT = ("install the PostgreSQL client tools of the server's major version or newer "
                  "(Debian: apt-get install postgresql-client)")


class BackupError(RuntimeError):
    """A backup or a restore that cannot be done; the message says why."""


@dataclass
class BackupReport:
    path: Path
    manifest: dict
    # Evidence rows whose file is missing or differs from its recorded SHA-256.
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.mismatched


@dataclass
class RestoreReport:
    manifest: dict
    counts: dict[str, int]
    files_written: int
    files_present: int
    revision: str | None
    head: str | None
    problems: list[str] = field(default_factory=list)  # counts or revision that do not match
    notes: list[str] = field(default_factory=list)


# --- backup ---------------------------------------------------------------------------------


def create_backup(url: str, upload_dir: str | os.PathLike, target: str | os.PathLike) -> BackupReport:
    """Write the archive ``target`` (which must not exist yet) from the database at ``url``
    and the evidence folder ``upload_dir``."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists already: give the backup a new name")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a folder")
    dialect = _dialect(url)
    with tempfile.TemporaryDirectory(prefix="dashboard-backup-") as work:
        dump = Path(work) / DUMP_NAMES[dialect]
        if dialect == "sqlite":
            database = _sqlite_backup(url, dump)
        else:
            database = _pg_dump(url, dump)
        folder = Path(upload_dir)
        files, missing, mismatched = _hash_files(folder, database.pop("evidence"))
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "app_version": _app_version(),
            "database": {"dialect": dialect, "file": dump.name, **database},
            "uploads": {
                "count": len(files),
                "bytes": sum(item["size"] for item in files.values()),
                "files": files,
                "missing": missing,
                "mismatched": mismatched,
            },
        }
        _write_archive(target, manifest, dump, folder)
    return BackupReport(target, manifest, missing, mismatched)


def _dialect(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in DUMP_NAMES:
        raise BackupError(f"backup supports SQLite and PostgreSQL, not {name}")
    return name


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(f"{url}: not a SQLite database file")
    return Path(database)


def _sqlite_backup(url: str, dump: Path) -> dict:
    source_path = _sqlite_path(url)
    if not source_path.is_file():
        raise BackupError(f"{source_path}: no such database file")
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(dump)
    try:
        # One step (pages=-1): one read transaction, so one consistent state, WAL included.
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file in the archive
        return _describe_sqlite(copy)
    finally:
        copy.close()
        source.close()


def _describe_sqlite(conn: sqlite3.Connection) -> dict:
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    counts = {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}
    revision = None
    if "alembic_version" in tables:
        revision = (conn.execute("SELECT version_num FROM alembic_version").fetchone() or [None])[0]
    evidence = []
    if "evidence" in tables:
        evidence = conn.execute(
            "SELECT stored_name, sha256 FROM evidence WHERE kind = 'file' ORDER BY id").fetchall()
    return {"alembic_revision": revision, "tables": counts, "evidence": evidence}


def _pg_dump(url: str, dump: Path) -> dict:
    pg_dump = _pg_tool("pg_dump")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                # pg_dump reads this transaction's snapshot: the dump, the counts and the
                # list of evidence files below describe the same committed state.
                snapshot = conn.scalar(text("SELECT pg_export_snapshot()"))
                schema = conn.scalar(text("SELECT current_schema()"))
                if schema is None:
                    raise BackupError("the database's search_path names no existing schema")
                _run([pg_dump, "--format=custom", f"--snapshot={snapshot}",
                      f"--schema={_quoted_pattern(schema)}", f"--file={dump}", _pg_dbname(url)],
                     _pg_env(url), "pg_dump")
                described = _describe_pg(conn, schema)
    finally:
        engine.dispose()
    return {"schema": schema, **described}


def _describe_pg(conn: Connection, schema: str) -> dict:
    tables = list(conn.scalars(text(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = :schema AND table_type = 'BASE TABLE' ORDER BY table_name"), {"schema": schema}))
    counts = {name: conn.scalar(text(f'SELECT count(*) FROM "{schema}"."{name}"')) for name in tables}
    revision = None
    if "alembic_version" in tables:
        revision = conn.scalar(text(f'SELECT version_num FROM "{schema}".alembic_version'))
    evidence = []
    if "evidence" in tables:
        evidence = [tuple(row) for row in conn.execute(text(
            f"SELECT stored_name, sha256 FROM \"{schema}\".evidence WHERE kind = 'file' ORDER BY id"))]
    return {"alembic_revision": revision, "tables": counts, "evidence": evidence}


def _hash_files(folder: Path, evidence: list) -> tuple[dict, list[str], list[str]]:
    """The evidence files the copied database refers to: name -> {sha256, size}. Stored files
    never change, so the archive gets these same bytes when it reads them again."""
    files, missing, mismatched = {}, [], []
    for stored_name, recorded in evidence:
        if not STORED_NAME.match(stored_name or ""):
            missing.append(str(stored_name))
            continue
        try:
            digest, size = _file_digest(folder / stored_name)
        except FileNotFoundError:
            missing.append(stored_name)
            continue
        if recorded and digest != recorded:
            mismatched.append(stored_name)
        files[stored_name] = {"sha256": digest, "size": size}
    return files, missing, mismatched


def _file_digest(path: Path) -> tuple[str, int]:
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
        return digest.hexdigest(), handle.tell()


def _write_archive(target: Path, manifest: dict, dump: Path, folder: Path) -> None:
    partial = target.with_name(target.name + ".part")
    # Readable by its owner only: it holds password hashes and every evidence file.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            # The manifest first: a restore reads the archive once, in order.
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
            archive.add(dump, arcname=dump.name, recursive=False, filter=_plain_member)
            for name in sorted(manifest["uploads"]["files"]):
                archive.add(folder / name, arcname=UPLOADS + name, recursive=False, filter=_plain_member)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mode = 0o600
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    archive.addfile(info, io.BytesIO(content))


def _plain_member(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def _app_version() -> str:
    try:
        return metadata.version("tip-plan-dashboard")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- restore --------------------------------------------------------------------------------


def restore_backup(archive_path: str | os.PathLike, url: str, upload_dir: str | os.PathLike,
                   force: bool = False) -> RestoreReport:
    """Restore the archive into the database at ``url`` (empty unless ``force``) and the
    evidence folder ``upload_dir``; the dashboard must not be running on that database.

    The archive is read once, in order (manifest, database, files), and checked whole
    before the database is touched; a file already under its name with other content is
    refused unless ``force``.
    """
    dialect = _dialect(url)
    folder = Path(upload_dir)
    staged: list[tuple[Path, Path]] = []
    try:
        with _open_archive(archive_path) as archive, \
                tempfile.TemporaryDirectory(prefix="dashboard-restore-") as work:
            manifest = _manifest(archive, archive.next())
            database = manifest["database"]
            if database["dialect"] != dialect:
                raise BackupError(f"this backup holds a {database['dialect']} database; it restores into "
                                  f"{database['dialect']} only, not {dialect}")
            restore = _sqlite_restore if dialect == "sqlite" else _pg_restore
            restore(None, url, database.get("schema"), force)  # only checks the target
            dump = Path(work) / database["file"]
            _extract(archive, archive.next(), database["file"], dump)
            staged = _stage_files(archive, manifest, folder, force)
            restore(dump, url, database.get("schema"), force)
        for partial, final in staged:
            os.replace(partial, final)
    except BaseException:
        for partial, _final in staged:
            partial.unlink(missing_ok=True)
        raise
    report = _verify(url, manifest)
    report.files_written = len(staged)
    report.files_present = len(manifest["uploads"]["files"]) - len(staged)
    return report


@contextmanager
def _open_archive(archive_path: str | os.PathLike) -> Iterator[tarfile.TarFile]:
    path = Path(archive_path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        # A stream ("r|gz"): members are read in order, once, never seeked back to.
        archive = tarfile.open(path, mode="r|gz")  # noqa: SIM115 - closed below, after the yield
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{path}: not a backup archive ({exc})") from None
    try:
        yield archive
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(f"{path}: damaged archive ({exc})") from None
    finally:
        archive.close()


def _plain_file(info: tarfile.TarInfo | None, name: str) -> tarfile.TarInfo:
    if info is None or info.name != name:
        found = "its end" if info is None else info.name
        raise BackupError(f"the archive should hold {name} here, not {found}")
    if not info.isfile():
        raise BackupError(f"{name} in the archive is not a plain file")
    return info


def _manifest(archive: tarfile.TarFile, info: tarfile.TarInfo | None) -> dict:
    info = _plain_file(info, MANIFEST)
    if info.size > MAX_MANIFEST_BYTES:
        raise BackupError("the archive's manifest is too large")
    try:
        manifest = json.loads(archive.extractfile(info).read())
    except ValueError:
        raise BackupError("the archive's manifest is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("this archive is not a backup of the dashboard")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"backup format version {manifest.get('format_version')!r} is not supported "
                          f"(this version reads {FORMAT_VERSION})")
    database = manifest.get("database")
    if not isinstance(database, dict) or database.get("dialect") not in DUMP_NAMES \
            or database.get("file") != DUMP_NAMES[database["dialect"]] \
            or not isinstance(database.get("tables"), dict) \
            or (database["dialect"] == "postgresql" and not isinstance(database.get("schema"), str)):
        raise BackupError("the archive's manifest does not describe its database")
    files = (manifest.get("uploads") or {}).get("files")
    if not isinstance(files, dict) or not all(
            STORED_NAME.match(str(name)) and isinstance(item, dict) and isinstance(item.get("sha256"), str)
            for name, item in files.items()):
        raise BackupError("the archive's manifest does not list its evidence files")
    return manifest


def _extract(archive: tarfile.TarFile, info: tarfile.TarInfo | None, name: str, destination: Path) -> str:
    """Copy one member to ``destination`` (a path of ours: names in the archive never choose
    where anything is written); returns its SHA-256."""
    source = archive.extractfile(_plain_file(info, name))
    digest = hashlib.sha256()
    with open(destination, "wb") as out:
        while chunk := source.read(1024 * 1024):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _stage_files(archive: tarfile.TarFile, manifest: dict, folder: Path, force: bool
                 ) -> list[tuple[Path, Path]]:
    """Write each evidence file of the archive next to its final name, checked against the
    manifest; returns (partial, final) pairs for the files to put in place."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o750)
    expected = manifest["uploads"]["files"]
    staged: list[tuple[Path, Path]] = []
    seen: set[str] = set()
    try:
        while (info := archive.next()) is not None:
            name = info.name.removeprefix(UPLOADS)
            if not info.name.startswith(UPLOADS) or name not in expected or name in seen:
                raise BackupError(f"the archive holds {info.name}, which its manifest does not list")
            seen.add(name)
            final = folder / name
            partial = folder / f".{name}.restoring"
            staged.append((partial, final))
            if _extract(archive, info, info.name, partial) != expected[name]["sha256"]:
                raise BackupError(f"evidence file {name} in the archive is damaged (SHA-256 differs)")
            os.chmod(partial, 0o640)
            if final.exists():
                if _file_digest(final)[0] == expected[name]["sha256"]:
                    staged.pop()
                    partial.unlink()
                elif not force:
                    raise BackupError(f"{final} exists with other content; restore with --force "
                                      "to replace it")
        if missing := sorted(set(expected) - seen):
            raise BackupError(f"the archive lacks {len(missing)} evidence files its manifest lists, "
                              f"e.g. {missing[0]}")
    except BaseException:
        for partial, _final in staged:
            partial.unlink(missing_ok=True)
        raise
    return staged


NOT_EMPTY = ("the target database is not empty ({detail}); a restore replaces its whole content, "
             "so it only goes into an empty database: create a new one, or add --force to "
             "overwrite this one")


def _sqlite_restore(dump: Path | None, url: str, _schema: None, force: bool) -> None:
    """Without ``dump``: only check that the target may be restored into."""
    target = _sqlite_path(url)
    if dump is None:
        if target.exists():
            check = sqlite3.connect(f"file:{target}?mode=ro", uri=True, timeout=30)
            try:
                tables = check.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite_%'").fetchone()[0]
            except sqlite3.DatabaseError as exc:
                raise BackupError(f"{target} is not a SQLite database ({exc})") from None
            finally:
                check.close()
            if tables and not force:
                raise BackupError(NOT_EMPTY.format(detail=f"{tables} tables in {target}"))
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    destination = sqlite3.connect(target, timeout=30)
    source = sqlite3.connect(dump)
    try:
        # The backup API replaces the destination's pages in one transaction.
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=WAL")  # as the app opens it
    finally:
        source.close()
        destination.close()


def _pg_restore(dump: Path | None, url: str, schema: str, force: bool) -> None:
    """Without ``dump``: only check that the target may be restored into."""
    pg_restore = _pg_tool("pg_restore")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            schema_exists = bool(conn.scalar(text(
                "SELECT count(*) FROM pg_namespace WHERE nspname = :schema"), {"schema": schema}))
            tables = conn.scalar(text(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = :schema"),
                {"schema": schema})
            search_path = conn.scalar(text("SHOW search_path"))
            user = conn.scalar(text("SELECT current_user"))
            existing = set(conn.scalars(text("SELECT nspname FROM pg_namespace")))
    finally:
        engine.dispose()
    if dump is None:
        # pg_dump writes schema-qualified names: the tables come back in the schema they left.
        effective = _effective_schema(search_path, user, existing | {schema})
        if effective != schema:
            raise BackupError(
                f"the backup holds the tables of schema {schema!r}, but this database's search_path "
                f"({search_path}) would look in {effective!r}: restore into a database whose "
                f"search_path starts with {schema!r} (for example options=-csearch_path={schema} in the URL)")
        if tables and not force:
            raise BackupError(NOT_EMPTY.format(detail=f"{tables} tables in schema {schema}"))
        return
    listing = _run([pg_restore, "--list", str(dump)], None, "pg_restore --list")
    if schema_exists:
        # The schema is there already (public always is): restore what is in it, not it.
        own = re.compile(rf"^\d+; \d+ \d+ (SCHEMA - |COMMENT - SCHEMA ){re.escape(schema)} ")
        listing = "\n".join(line for line in listing.splitlines() if not own.match(line)) + "\n"
    with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as handle:
        handle.write(listing)
    try:
        command = [pg_restore, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                   f"--use-list={handle.name}", f"--dbname={_pg_dbname(url)}"]
        if force:
            command[1:1] = ["--clean", "--if-exists"]
        _run([*command, str(dump)], _pg_env(url), "pg_restore")
    finally:
        os.unlink(handle.name)


def _effective_schema(search_path: str, user: str, existing: set[str]) -> str | None:
    """The first schema of ``search_path`` that exists: where unqualified names resolve."""
    for entry in search_path.split(","):
        name = entry.strip()
        if name.startswith('"') and name.endswith('"'):
            name = name[1:-1].replace('""', '"')
        if name == "$user":
            name = user
        if name in existing:
            return name
    return None


def _verify(url: str, manifest: dict) -> RestoreReport:
    """Row counts and Alembic revision of the restored database against the manifest."""
    from alembic.script import ScriptDirectory

    database = manifest["database"]
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if database["dialect"] == "sqlite":
                names = list(conn.scalars(text(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")))
            else:
                names = list(conn.scalars(text(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")))
            counts = {name: conn.scalar(text(f'SELECT count(*) FROM "{name}"')) for name in sorted(names)}
            revision = conn.scalar(text("SELECT version_num FROM alembic_version")) \
                if "alembic_version" in counts else None
    finally:
        engine.dispose()
    scripts = ScriptDirectory.from_config(alembic_config(url))
    head = scripts.get_current_head()
    report = RestoreReport(manifest, counts, 0, 0, revision, head)
    for name, expected in sorted(database["tables"].items()):
        if counts.get(name) != expected:
            report.problems.append(f"table {name}: {counts.get(name)} rows restored, {expected} in the backup")
    if revision != database.get("alembic_revision"):
        report.problems.append(f"Alembic revision {revision!r} restored, {database.get('alembic_revision')!r} "
                               "in the backup")
    elif revision is None:
        report.problems.append("the restored database has no Alembic revision")
    elif revision != head:
        try:
            known = scripts.get_revision(revision) is not None
        except Exception:
            known = False
        if known:
            report.notes.append(f"the database is at revision {revision}, older than this version's "
                                f"{head}: run `python -m dashboard init-db` to upgrade it")
        else:
            report.problems.append(f"revision {revision} is unknown to this version of the dashboard "
                                   f"(head {head}): the backup comes from a newer version; "
                                   "install that version before serving")
    return report


# --- PostgreSQL client tools -----------------------------------------------------------------


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed, and a PostgreSQL backup needs it: {PG_CLIENT_HINT}")
    return path


def _pg_dbname(url: str) -> str:
    return make_url(url).database or ""


_QUERY_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
              "sslkey": "PGSSLKEY", "options": "PGOPTIONS", "connect_timeout": "PGCONNECT_TIMEOUT",
              "host": "PGHOST", "port": "PGPORT"}


def _pg_env(url: str) -> dict[str, str]:
    """The connection settings for pg_dump and pg_restore as libpq environment variables:
    the password never appears on a command line (which any local user can read)."""
    parsed: URL = make_url(url)
    env = dict(os.environ)
    for key, value in (("PGHOST", parsed.host), ("PGPORT", parsed.port), ("PGUSER", parsed.username),
                       ("PGPASSWORD", parsed.password)):
        if value is not None:
            env[key] = str(value)
    for key, value in parsed.query.items():
        if key in _QUERY_ENV:
            env[_QUERY_ENV[key]] = value if isinstance(value, str) else value[-1]
    return env


def _quoted_pattern(schema: str) -> str:
    # pg_dump reads --schema as a pattern; double quotes make it this exact name.
    return '"' + schema.replace('"', '""') + '"'


def _run(command: list[str], env: dict | None, what: str) -> str:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BackupError(f"{what} could not run: {exc}") from None
    if done.returncode != 0:
        detail = done.stderr.strip() or f"exit status {done.returncode}"
        hint = f" ({PG_CLIENT_HINT})" if "version mismatch" in detail else ""
        raise BackupError(f"{what} failed: {detail}{hint}")
    return done.stdout
