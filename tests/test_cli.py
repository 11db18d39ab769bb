"""Command line (dashboard/cli.py): check-data, schema, init-db, load-data, configuration errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dashboard.cli import _safe_url, main
from dashboard.db import session_scope
from dashboard.ingest import datafiles, schemas
from dashboard.models import Measure, MeasureUpdate
from helpers import PLAN_SMALL, REPO_ROOT, SERVER_URL_ENV

FIXTURE_TEXT = PLAN_SMALL.read_text(encoding="utf-8")
CSV_HEADER = ",".join(datafiles.VALUE_COLUMNS)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """The CLI reads its settings from the environment: start each test from none."""
    for name in list(os.environ):
        if name.startswith("DASHBOARD_") and name != SERVER_URL_ENV:
            monkeypatch.delenv(name)


@pytest.fixture
def database(monkeypatch, blank_db_url) -> str:
    """An empty database (no table yet) that the CLI uses through DASHBOARD_DATABASE_URL."""
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", blank_db_url)
    return blank_db_url


def broken_plan(tmp_path: Path) -> tuple[Path, int]:
    """The fixture plan with an unknown lead entity; returns the file and that measure's line."""
    text = FIXTURE_TEXT.replace("lead: MJ", "lead: NOPE")
    path = tmp_path / "broken_plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text.count("\n", 0, text.index("- code: A1.O1.M2")) + 1


def run_cli(*args: str, database_url: str | None = None) -> subprocess.CompletedProcess:
    """``python -m dashboard ARGS`` with no DASHBOARD_ setting but the database URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASHBOARD_")}
    if database_url:
        env["DASHBOARD_DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


# --- check-data -------------------------------------------------------------------------


def test_check_data_ok(capsys):
    assert main(["check-data", str(PLAN_SMALL)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{PLAN_SMALL}: OK\n"
    assert err == ""


def test_check_data_reports_problems_with_lines(capsys, tmp_path):
    path, line = broken_plan(tmp_path)
    assert main(["check-data", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"{path}: 1 problem(s)\n  line {line}: measure A1.O1.M2: unknown lead entity 'NOPE'\n"


def test_check_data_with_values(capsys, tmp_path):
    values = tmp_path / "values.csv"
    values.write_text(f"{CSV_HEADER}\nIND-01,2025,150,,,,,,2026-01-10,\n", encoding="utf-8")
    assert main(["check-data", str(PLAN_SMALL), "--values", str(values)]) == 0
    assert capsys.readouterr().out == f"{PLAN_SMALL}: OK\n{values}: OK\n"


def test_check_data_with_bad_values(capsys, tmp_path):
    values = tmp_path / "values.csv"
    values.write_text(
        f"{CSV_HEADER}\nIND-01,2025,150,,,,,,,\nIND-42,2025,1,,,,,,,\nIND-02,2025,x,,,,,,,\n",
        encoding="utf-8",
    )
    assert main(["check-data", str(PLAN_SMALL), "--values", str(values)]) == 1
    _out, err = capsys.readouterr()
    assert err == (
        f"{values}: 2 problem(s)\n"
        "  line 3: unknown indicator 'IND-42'\n"
        "  line 4: indicator IND-02: value 'x' is not a number\n"
    )


@pytest.mark.parametrize("path", sorted((REPO_ROOT / "data" / "reference").glob("*.yaml"))
                         + sorted((REPO_ROOT / "data" / "demo").glob("*.yaml")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_check_data_shipped_files(capsys, path):
    """Every YAML file shipped in data/reference and data/demo is valid (the plan has its own test)."""
    assert main(["check-data", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: OK\n"


def test_check_data_on_a_csv_file_is_a_usage_error(capsys, tmp_path):
    values = tmp_path / "values.csv"
    values.write_text(f"{CSV_HEADER}\n", encoding="utf-8")
    assert main(["check-data", str(values)]) in (1, 2)


def test_check_data_on_a_missing_file(capsys, tmp_path):
    assert main(["check-data", str(tmp_path / "missing.yaml")]) == 1


def test_python_dash_m_check_data_exit_codes(tmp_path):
    ok = run_cli("check-data", str(PLAN_SMALL))
    assert (ok.returncode, ok.stdout) == (0, f"{PLAN_SMALL}: OK\n")
    path, line = broken_plan(tmp_path)
    broken = run_cli("check-data", str(path))
    assert broken.returncode == 1
    assert f"line {line}: measure A1.O1.M2: unknown lead entity 'NOPE'" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_no_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as raised:
        main([])
    assert raised.value.code == 2
    assert "required" in capsys.readouterr().err


# --- init-db and load-data ----------------------------------------------------------------


def measure_count(url: str, engine_for) -> int:
    with session_scope(engine_for(url)) as session:
        return session.execute(select(func.count()).select_from(Measure)).scalar()


def test_init_db_then_load_data_twice(capsys, database, engine_for):
    assert main(["init-db"]) == 0
    assert capsys.readouterr().out == f"database ready: {_safe_url(database)}\n"
    assert main(["init-db"]) == 0  # already at head: nothing to do, no error
    capsys.readouterr()

    assert main(["load-data", "--plan", str(PLAN_SMALL)]) == 0
    first = capsys.readouterr().out
    assert first.startswith("data loaded: ")
    assert "5 measures created" in first and "12 regions created" in first
    assert measure_count(database, engine_for) == 5

    assert main(["load-data", "--plan", str(PLAN_SMALL)]) == 0
    assert capsys.readouterr().out == "data loaded: no change\n"


def test_load_data_reference_only(capsys, database, engine_for):
    main(["init-db"])
    capsys.readouterr()
    assert main(["load-data"]) == 0
    out = capsys.readouterr().out
    assert "entities created" in out and "measures" not in out
    assert measure_count(database, engine_for) == 0


def test_load_data_with_a_broken_plan_fails_and_writes_nothing(capsys, database, engine_for, tmp_path):
    main(["init-db"])
    capsys.readouterr()
    path, line = broken_plan(tmp_path)
    assert main(["load-data", "--plan", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert f"line {line}: measure A1.O1.M2: unknown lead entity 'NOPE'" in err
    assert measure_count(database, engine_for) == 0
    # The reference data loaded before the plan failed was rolled back too.
    assert main(["load-data"]) == 0
    assert "entities created" in capsys.readouterr().out


def test_load_data_in_a_subprocess(database):
    assert run_cli("init-db", database_url=database).returncode == 0
    first = run_cli("load-data", "--plan", str(PLAN_SMALL), database_url=database)
    assert first.returncode == 0 and "measures created" in first.stdout
    second = run_cli("load-data", "--plan", str(PLAN_SMALL), database_url=database)
    assert (second.returncode, second.stdout) == (0, "data loaded: no change\n")


# --- configuration errors -----------------------------------------------------------------


def test_serve_refuses_production_without_secret_key(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_ENV", "production")
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"sqlite:///{tmp_path / 'serve.sqlite3'}")
    assert main(["serve", "--port", "0"]) == 2
    assert capsys.readouterr().err == (
        "configuration error: DASHBOARD_SECRET_KEY is required when DASHBOARD_ENV=production\n"
    )


def test_safe_url_hides_the_password():
    assert _safe_url("postgresql+psycopg://user:s3cret@db.example:5432/tip") == (
        "postgresql+psycopg://user:***@db.example:5432/tip"
    )


def test_create_user_sends_a_link_and_prints_no_password(database, caplog, capsys):
    """No one but its owner sees a password: the command gives a set-password link, which
    goes to the log when no mail server is configured."""
    assert main(["init-db"]) == 0
    assert main(["load-data"]) == 0
    capsys.readouterr()
    with caplog.at_level("WARNING", logger="dashboard.mail"):
        assert main(["create-user", "focal.new@justice.gov.ma", "--name", "Nouveau point focal",
                     "--role", "focal_point", "--entity", "MJ", "--send-link"]) == 0
    out = capsys.readouterr().out
    assert "account created: focal.new@justice.gov.ma (focal_point)" in out
    assert "the set-password link is in the log" in out
    assert "password:" not in out
    assert "/set-password?token=" in caplog.text and "focal.new@justice.gov.ma" in caplog.text


def test_load_data_refuses_a_weak_demo_password(database, monkeypatch, capsys):
    monkeypatch.setenv("DASHBOARD_DEMO_PASSWORD", "password1234")
    assert main(["init-db"]) == 0
    assert main(["load-data", "--demo"]) == 1
    assert "refused:" in capsys.readouterr().err


# --- schema ---------------------------------------------------------------------------------


def test_schema_prints_the_json_schema_of_a_kind(capsys):
    assert main(["schema", "plan"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out) == schemas.json_schema("plan")
    assert out == json.dumps(schemas.json_schema("plan"), indent=2, ensure_ascii=False) + "\n"


def test_schema_of_an_unknown_kind_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["schema", "nope"])
    assert raised.value.code == 2
    assert "'nope' is not one of 'entities'" in capsys.readouterr().err


# --- report -------------------------------------------------------------------------------


def test_report_writes_the_progress_report_as_pdf(seeded_url, tmp_path):
    out = tmp_path / "report.pdf"
    result = run_cli("report", str(out), "--lang", "fr", "--scope", "axis", "--code", "A1",
                     database_url=seeded_url)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF") and "pages) in" in result.stdout


def test_report_of_an_unknown_axis_says_so(seeded_url, tmp_path):
    result = run_cli("report", str(tmp_path / "report.pdf"), "--lang", "fr", "--scope", "axis", "--code", "A9",
                     database_url=seeded_url)
    assert result.returncode == 1 and "A9" in result.stderr and not (tmp_path / "report.pdf").exists()


# --- load-data --values: a reporting file from a terminal --------------------------------------


def test_load_data_values_sends_a_reporting_file_as_its_focal_point(database, monkeypatch, capsys, tmp_path,
                                                                   engine_for):
    monkeypatch.setenv("DASHBOARD_UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setenv("DASHBOARD_AS_OF", "2026-11-22")
    assert main(["init-db"]) == 0
    assert main(["load-data", "--plan", str(PLAN_SMALL)]) == 0
    assert main(["create-user", "focal.mj@justice.gov.ma", "--name", "Point focal", "--role", "focal_point",
                 "--entity", "MJ", "--send-link"]) == 0
    capsys.readouterr()
    values = tmp_path / "mj.csv"
    values.write_text("code;status;progress;narrative_fr;period_start;period_end\n"
                      "A1.O1.M2;En cours;٤٠;Atelier tenu.;01/01/2026;30/06/2026\n"
                      "A2.O2.M1;En cours;40;Pas à nous.;01/01/2026;30/06/2026\n", encoding="utf-8-sig")
    assert main(["load-data", "--values", str(values), "--as", "focal.mj@justice.gov.ma", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "A1.O1.M2: ready" in out and "A2.O2.M1: code: Your account does not report on this measure." in out
    assert "1 rows ready, 1 to correct" in out
    with session_scope(engine_for(database)) as session:
        assert session.scalar(select(func.count()).select_from(MeasureUpdate)) == 0

    assert main(["load-data", "--values", str(values), "--as", "focal.mj@justice.gov.ma"]) == 0
    assert "batch 1: 1 rows sent for review" in capsys.readouterr().out
    with session_scope(engine_for(database)) as session:
        assert session.scalar(select(MeasureUpdate.state).where(MeasureUpdate.batch_id == 1)) == "submitted"
    assert len(list((tmp_path / "uploads").iterdir())) == 1
    # The same file again: its row now waits for review; nothing is sent.
    assert main(["load-data", "--values", str(values), "--as", "focal.mj@justice.gov.ma"]) == 1


@pytest.mark.parametrize(("args", "words"), [
    (["--values", "missing.csv", "--as", "focal.mj@justice.gov.ma"], "No such file"),
    (["--values", "PLAN"], "needs --as"),
    (["--values", "PLAN", "--as", "nobody@example.invalid"], "no active account"),
    (["--values", "PLAN", "--as", "focal.mj@justice.gov.ma"], "not a workbook"),
])
def test_load_data_values_refusals(database, capsys, args, words):
    assert main(["init-db"]) == 0
    assert main(["load-data", "--plan", str(PLAN_SMALL)]) == 0
    assert main(["create-user", "focal.mj@justice.gov.ma", "--name", "Point focal", "--role", "focal_point",
                 "--entity", "MJ", "--send-link"]) == 0
    capsys.readouterr()
    assert main(["load-data", *[str(PLAN_SMALL) if a == "PLAN" else a for a in args]]) in (1, 2)
    assert words in capsys.readouterr().err
