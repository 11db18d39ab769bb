"""Command line: ``python -m dashboard <command>``.

    init-db                 create or upgrade the schema (Alembic)
    load-data [--demo]      load reference data; --demo adds the illustrative plan
    check-data FILE         validate a plan, entities or regions file, line by line
    serve                   serve the dashboard (HOST and PORT, default 127.0.0.1:8050)
    bench                   time every page and callback on a synthetic dataset
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from .config import Config, ConfigError


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

    commands.add_parser("generate-demo-values", help="regenerate data/demo/indicator_values.csv")

    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2


def _init_db(_args) -> int:
    from .db import upgrade

    url = Config().DATABASE_URL
    upgrade(url)
    print(f"database ready: {_safe_url(url)}")
    return 0


def _load_data(args) -> int:
    from .datafiles import DataFileError
    from .db import make_engine, session_scope
    from .loader import load_all

    config = Config()
    engine = make_engine(config.DATABASE_URL)
    try:
        with session_scope(engine) as session:
            report = load_all(session, config.DATA_DIR, demo=args.demo, plan_file=args.plan)
    except DataFileError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"data loaded: {report}")
    return 0


def _check_data(args) -> int:
    from . import datafiles

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
            doc = datafiles.read_yaml(args.file)
            supported = {i["code"]: i.get("disaggregations") or []
                         for i, _o, _m in datafiles.iter_indicators(doc)}
            datafiles.read_values_csv(args.values, supported)
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
    from . import create_app

    app = create_app()
    # Move everything loaded at start-up (Dash, plotly, SQLAlchemy) out of the cyclic
    # collector's reach: full collections then scan only request garbage, which takes
    # the pauses out of the slowest requests.
    gc.freeze()
    if args.debug:
        app.extensions["dash"].run(host=args.host, port=args.port, debug=True)
        return 0
    from waitress import serve

    print(f"serving on http://{args.host}:{args.port}/", flush=True)
    serve(app, host=args.host, port=args.port, threads=8)
    return 0


def _bench(args) -> int:
    from .bench import run

    return run(scale=args.scale, repeat=args.repeat, database_url=args.database_url)


def _generate_demo_values(_args) -> int:
    from . import datafiles
    from .demo import generate_values, write_values

    data_dir = Path(Config().DATA_DIR)
    rows = generate_values(datafiles.read_yaml(data_dir / "plan" / "plan.yaml"))
    write_values(rows, data_dir / "demo" / "indicator_values.csv")
    print(f"{len(rows)} demonstration values written")
    return 0


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


COMMANDS = {
    "init-db": _init_db,
    "load-data": _load_data,
    "check-data": _check_data,
    "serve": _serve,
    "bench": _bench,
    "generate-demo-values": _generate_demo_values,
}
