"""Loading the data files (dashboard/ingest/loader.py): counts, idempotence, updates, rollback."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import selectinload

from dashboard.db import session_scope
from dashboard.ingest import datafiles
from dashboard.ingest.datafiles import DataFileError
from dashboard.ingest.loader import LoadReport, load_all
from dashboard.models import (
    Base,
    Entity,
    Indicator,
    IndicatorValue,
    Measure,
    MeasureProgressEvent,
    Plan,
)
from helpers import DATA_DIR, PLAN_SMALL, snapshot

FIXTURE_TEXT = PLAN_SMALL.read_text(encoding="utf-8")
ENTITY_COUNT = len(datafiles.read_yaml(DATA_DIR / "reference" / "entities.yaml"))


def load(engine: Engine, plan_file: Path | None = PLAN_SMALL, data_dir: Path = DATA_DIR,
         demo: bool = False) -> LoadReport:
    with session_scope(engine) as session:
        return load_all(session, data_dir=data_dir, demo=demo, plan_file=plan_file)


def rows(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return snapshot(conn)


def edited_plan(tmp_path: Path, *edits: tuple[str, str, str]) -> Path:
    """The fixture plan with ``(after, old, new)`` edits: the first ``old`` after ``after``."""
    text = FIXTURE_TEXT
    for after, old, new in edits:
        at = text.index(old, text.index(after))
        text = text[:at] + new + text[at + len(old):]
    path = tmp_path / "plan_edited.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def measure(engine: Engine, code: str) -> Measure:
    query = (
        select(Measure)
        .where(Measure.code == code)
        .options(selectinload(Measure.partners), selectinload(Measure.years))
    )
    with session_scope(engine) as session:
        return session.execute(query).scalar_one()


@pytest.fixture
def db(fresh_db_url, engine_for) -> Engine:
    """An engine on a migrated, empty database of the test's own."""
    return engine_for(fresh_db_url)


# What the reference files of the national system create (the same with or without a plan).
NATIONAL_SYSTEM_CREATED = {
    "statistic sources": 10, "statistics": 126, "rollouts": 1, "rollout events": 1, "activities": 6,
    "exchange rates": 3, "programmes": 7, "organisations": 1,
}


@pytest.fixture
def loaded(db) -> Engine:
    load(db)
    return db


def test_first_load_creates_every_record(db):
    report = load(db)
    assert report.created == {
        "entities": ENTITY_COUNT,
        "regions": 12,
        "plans": 2,
        "axes": 2,
        "objectives": 3,
        "measures": 5,
        "progress events": 6,  # one per history entry plus one per last_updated
        "indicators": 2,
        "indicator values": 4,
        **NATIONAL_SYSTEM_CREATED,
    }
    counts = {table: len(table_rows) for table, table_rows in rows(db).items()}
    assert counts == {
        "entity": ENTITY_COUNT,
        "region": 12,
        "plan": 2,
        "strategic_axis": 2,
        "objective": 3,
        "measure": 5,
        "measure_partner": 4,
        "measure_year": 7,
        "measure_progress_event": 6,
        "indicator": 2,
        "indicator_target": 4,
        "indicator_value": 4,
        # Accounts and the validation flow start empty (demo accounts come with --demo).
        "user_account": 0,
        "login_attempt": 0,
        "password_link": 0,
        "api_token": 0,
        "measure_update": 0,
        "indicator_submission": 0,
        "evidence": 0,
        "import_batch": 0,
        "submission_comment": 0,
        "notification_sent": 0,
        "audit_event": 1,  # the load itself
        # The national system's reference data; activities link to the test plan's measures.
        "statistic_source": 10,
        "statistic": 126,
        "statistic_submission": 0,
        "region_rollout": 1,
        "rollout_event": 1,
        "rollout_update": 0,
        "regional_body": 0,
        "activity": 6,
        "activity_organiser": 6,
        "activity_partner": 26,
        "activity_measure": 2,
        "programme": 7,
        "programme_partner": 17,
        "programme_measure": 0,
        "exchange_rate": 3,
        "organisation": 1,
    }
    assert set(counts) == {table.name for table in Base.metadata.sorted_tables} - {"data_version"}


def test_first_load_reports_no_update(db):
    # A new plan's parent and a new indicator's targets are part of creating them.
    assert load(db).updated == {}


def test_loaded_records_match_the_file(loaded):
    with session_scope(loaded) as session:
        plan = session.execute(select(Plan).where(Plan.code == "PAS-2026")).scalar_one()
        assert (plan.kind, plan.start_year, plan.end_year, plan.is_demo) == ("implementation", 2023, 2026, True)
        assert plan.name("fr") == "Plan d'action"
        assert session.execute(select(Plan.code).where(Plan.id == plan.parent_id)).scalar() == "PNLTEH-2030"
        m1 = session.execute(select(Measure).where(Measure.code == "A1.O1.M1")).scalar_one()
        assert (m1.lead_entity.acronym, m1.status, m1.progress, m1.weight) == ("CNCLTEH", "completed", 100, 2.0)
        assert (m1.planned_start, m1.planned_end) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        assert m1.budget_mad == 500000
        assert [p.acronym for p in m1.partners] == ["IOM", "UNHCR"]
        assert [(e.recorded_on.isoformat(), e.status, e.progress) for e in m1.history] == [
            ("2024-06-30", "in_progress", 40),
            ("2025-01-10", "completed", 100),
        ]
        ind = session.execute(select(Indicator).where(Indicator.code == "IND-01")).scalar_one()
        assert (ind.baseline_value, ind.baseline_year, ind.is_sensitive) == (100.0, 2022, True)
        assert ind.disaggregations == ["sex", "nationality"]
        assert {t.year: t.value for t in ind.targets} == {2024: 150.0, 2026: 200.0}
        cells = session.execute(
            select(IndicatorValue.period, IndicatorValue.breakdown, IndicatorValue.nationality,
                   IndicatorValue.value).where(IndicatorValue.indicator_id == ind.id)
            .order_by(IndicatorValue.period, IndicatorValue.breakdown)
        ).all()
        assert [tuple(c) for c in cells] == [
            ("2023", "", None, 120.0),
            ("2024", "", None, 140.0),
            ("2024", "nationality=foreign", "foreign", 2.0),
            ("2024", "nationality=moroccan", "moroccan", 138.0),
        ]


def test_second_load_changes_nothing(loaded):
    before = rows(loaded)
    report = load(loaded)
    assert report.changes == 0
    assert (report.created, report.updated) == ({}, {})
    assert str(report) == "no change"
    assert rows(loaded) == before


def test_newer_last_updated_replaces_status_and_progress(loaded, tmp_path):
    plan = edited_plan(
        tmp_path,
        ("code: A1.O1.M2", "status: in_progress", "status: delayed"),
        ("code: A1.O1.M2", "progress: 30", "progress: 45"),
        ("code: A1.O1.M2", "last_updated: 2026-02-01", "last_updated: 2026-06-01"),
    )
    report = load(loaded, plan)
    assert report.updated == {"measures": 1}
    assert report.created == {"progress events": 1}
    m2 = measure(loaded, "A1.O1.M2")
    assert (m2.status, m2.progress, m2.last_updated) == ("delayed", 45, dt.date(2026, 6, 1))
    assert m2.version == 2  # optimistic-locking counter moved with the write
    assert load(loaded, plan).changes == 0


def test_older_last_updated_keeps_status_and_progress_but_updates_names(loaded, tmp_path):
    plan = edited_plan(
        tmp_path,
        ("code: A1.O1.M2", "en: Indicators guide", "en: Guide to the indicators"),
        ("code: A1.O1.M2", "status: in_progress", "status: delayed"),
        ("code: A1.O1.M2", "progress: 30", "progress: 10"),
        ("code: A1.O1.M2", "last_updated: 2026-02-01", "last_updated: 2026-01-15"),
    )
    load(loaded, plan)
    m2 = measure(loaded, "A1.O1.M2")
    assert m2.name_en == "Guide to the indicators"
    assert (m2.status, m2.progress, m2.last_updated) == ("in_progress", 30, dt.date(2026, 2, 1))


def test_report_entered_in_the_app_is_not_rolled_back_by_a_reload(loaded):
    with session_scope(loaded) as session:
        m2 = session.execute(select(Measure).where(Measure.code == "A1.O1.M2")).scalar_one()
        m2.status, m2.progress, m2.last_updated = "in_progress", 70, dt.date(2026, 11, 1)
    load(loaded)
    m2 = measure(loaded, "A1.O1.M2")
    assert (m2.status, m2.progress, m2.last_updated) == ("in_progress", 70, dt.date(2026, 11, 1))


@pytest.mark.parametrize(
    ("new_partners", "expected"),
    [
        pytest.param("[UNHCR, UNICEF]", ["UNHCR", "UNICEF"], id="replace-one"),
        pytest.param("[UNHCR]", ["UNHCR"], id="remove-one"),
        pytest.param("[]", [], id="remove-all"),
        pytest.param("[UNHCR, IOM, EU]", ["EU", "IOM", "UNHCR"], id="add-one"),
    ],
)
def test_partner_changes_are_applied(loaded, tmp_path, new_partners, expected):
    plan = edited_plan(tmp_path, ("code: A1.O1.M1", "partners: [IOM, UNHCR]", f"partners: {new_partners}"))
    report = load(loaded, plan)
    assert report.updated == {"measures": 1}
    assert [p.acronym for p in measure(loaded, "A1.O1.M1").partners] == expected
    assert load(loaded, plan).changes == 0


def test_partner_order_in_the_file_does_not_matter(loaded, tmp_path):
    plan = edited_plan(tmp_path, ("code: A1.O1.M1", "partners: [IOM, UNHCR]", "partners: [UNHCR, IOM]"))
    assert load(loaded, plan).changes == 0


def test_year_and_target_changes_are_applied(loaded, tmp_path):
    plan = edited_plan(
        tmp_path,
        ("code: A1.O1.M2", "years: [2025, 2026]", "years: [2026]"),
        ("code: IND-02", "targets: {2024: 200, 2025: 400}", "targets: {2024: 200, 2025: 450, 2026: 500}"),
    )
    report = load(loaded, plan)
    assert report.updated == {"measures": 1, "indicators": 1}
    assert [y.year for y in measure(loaded, "A1.O1.M2").years] == [2026]
    with session_scope(loaded) as session:
        ind = session.execute(select(Indicator).where(Indicator.code == "IND-02")).scalar_one()
        assert {t.year: t.value for t in ind.targets} == {2024: 200.0, 2025: 450.0, 2026: 500.0}


def reference_copy(tmp_path: Path, extra_entity: bool = False) -> Path:
    """A data directory with the shipped reference files, optionally one entity more."""
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR / "reference", data_dir / "reference")
    if extra_entity:
        with open(data_dir / "reference" / "entities.yaml", "a", encoding="utf-8") as handle:
            handle.write("\n- acronym: NEWBODY\n  kind: civil_society\n"
                         "  name: {ar: جمعية جديدة, fr: Nouvelle association, en: New association}\n")
    return data_dir


def test_broken_plan_raises_and_leaves_the_database_unchanged(loaded, tmp_path):
    before = rows(loaded)
    data_dir = reference_copy(tmp_path, extra_entity=True)  # written before the plan fails
    plan = edited_plan(
        tmp_path,
        ("code: A1.O1.M2", "progress: 30", "progress: 45"),
        ("code: A1.O1.M2", "last_updated: 2026-02-01", "last_updated: 2026-06-01"),
        ("code: A2.O2.M1", "lead: PMP", "lead: NOBODY"),
    )
    with pytest.raises(DataFileError) as raised:
        load(loaded, plan, data_dir)
    assert [p.message for p in raised.value.problems] == ["measure A2.O2.M1: unknown lead entity 'NOBODY'"]
    assert rows(loaded) == before


def test_broken_values_file_rolls_back_the_plan_loaded_before_it(db, tmp_path):
    data_dir = reference_copy(tmp_path)
    (data_dir / "plan").mkdir()
    shutil.copy(PLAN_SMALL, data_dir / "plan" / "plan.yaml")
    (data_dir / "demo").mkdir()
    (data_dir / "demo" / "indicator_values.csv").write_text(
        ",".join(datafiles.VALUE_COLUMNS) + "\n" + "IND-01,2025,150,,,,,,,\n" + "IND-77,2025,1,,,,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as raised:
        load(db, plan_file=None, data_dir=data_dir, demo=True)
    assert [str(p) for p in raised.value.problems] == ["line 3: unknown indicator 'IND-77'"]
    assert all(not table_rows for table_rows in rows(db).values())


def test_demo_values_are_loaded_and_flagged(db, tmp_path):
    data_dir = reference_copy(tmp_path)
    (data_dir / "plan").mkdir()
    shutil.copy(PLAN_SMALL, data_dir / "plan" / "plan.yaml")
    (data_dir / "demo").mkdir()
    (data_dir / "demo" / "indicator_values.csv").write_text(
        ",".join(datafiles.VALUE_COLUMNS) + "\n"
        "IND-02,2024,180,,,,,,2025-02-01,\n"
        "IND-02,2024,100,female,,,,,2025-02-01,\n",
        encoding="utf-8",
    )
    report = load(db, plan_file=None, data_dir=data_dir, demo=True)
    assert report.created["indicator values"] == 4 + 2
    with session_scope(db) as session:
        demo_values = session.execute(
            select(IndicatorValue.breakdown, IndicatorValue.sex, IndicatorValue.reported_on)
            .where(IndicatorValue.is_demo).order_by(IndicatorValue.breakdown)
        ).all()
        assert [tuple(v) for v in demo_values] == [
            ("", None, dt.date(2025, 2, 1)),
            ("sex=female", "female", dt.date(2025, 2, 1)),
        ]
        # Values written in the plan file itself are published figures, never demo.
        assert session.execute(
            select(func.count()).select_from(IndicatorValue).where(~IndicatorValue.is_demo)
        ).scalar() == 4
    assert load(db, plan_file=None, data_dir=data_dir, demo=True).changes == 0


def test_reference_data_alone(db):
    report = load(db, plan_file=None)
    assert report.created == {"entities": ENTITY_COUNT, "regions": 12, **NATIONAL_SYSTEM_CREATED}
    with session_scope(db) as session:
        assert session.execute(select(func.count()).select_from(Measure)).scalar() == 0
        cncl = session.execute(select(Entity).where(Entity.acronym == "CNCLTEH")).scalar_one()
        assert cncl.kind == "commission" and all(cncl.name(lang) for lang in ("ar", "fr", "en"))
        assert session.execute(select(func.count()).select_from(MeasureProgressEvent)).scalar() == 0


def test_sources_are_composed_in_each_language_from_their_parts(db):
    """A source is stored as three citations; several sources are listed in each language's way."""
    load(db, plan_file=None)
    with session_scope(db) as session:
        iom = session.execute(select(Entity).where(Entity.acronym == "IOM")).scalar_one()
        assert iom.source("fr").count("\u00a0; ") == 3 and iom.source("ar").count("\u061b ") == 3
        assert "«\u00a0Lancement du programme conjoint" in iom.source("fr")
        assert "“Launch of the joint anti-trafficking programme (JTIP)”" in iom.source("en")
        assert "«إعطاء انطلاقة البرنامج المشترك" in iom.source("ar")
        # The publisher is the entity's name in the reader's language, never its English one.
        assert "Commission nationale chargée de la coordination" in iom.source("fr")
        chg = session.execute(select(Entity).where(Entity.acronym == "CHG")).scalar_one()
        assert "Décret n° 2.17.740" in chg.source("fr") and "19 juil. 2018" in chg.source("fr")


def test_a_load_that_changes_data_is_audited_and_one_that_does_not_is_not(db):
    from dashboard.models import AuditEvent

    load(db)
    load(db)
    with db.connect() as conn:
        events = conn.execute(select(AuditEvent.action, AuditEvent.actor_email, AuditEvent.after)).all()
    assert [(action, who) for action, who, _after in events] == [("data.load", "load-data")]
    assert events[0].after["created"]["measures"] == 5


# --- every file is checked, by check-data's functions, before anything is written ----------


def test_a_broken_file_read_last_stops_the_load_before_any_write(db, tmp_path):
    """organisations.yaml is loaded last; its problem is found before the first INSERT."""
    from sqlalchemy import event

    data_dir = reference_copy(tmp_path)
    path = data_dir / "reference" / "organisations.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: association", "kind: club", 1), encoding="utf-8")
    writes = []

    def count_writes(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    event.listen(db, "before_cursor_execute", count_writes)
    try:
        with pytest.raises(DataFileError) as raised:
            load(db, data_dir=data_dir)
    finally:
        event.remove(db, "before_cursor_execute", count_writes)
    assert writes == []
    assert raised.value.path == str(path)
    assert [p.message for p in raised.value.problems] == [
        p.message for p in datafiles.check_file(path, {e["acronym"] for e in datafiles.read_yaml(
            data_dir / "reference" / "entities.yaml")})]
    assert all(not table_rows for table_rows in rows(db).values())


def test_check_data_names_every_file_with_a_problem(tmp_path):
    from dashboard.ingest.datafiles import DataFilesError
    from dashboard.ingest.loader import check_data

    data_dir = reference_copy(tmp_path)
    rates = data_dir / "reference" / "exchange_rates.yaml"
    rates.write_text(rates.read_text(encoding="utf-8").replace("mad_per_unit: ", "mad_per_unit: .nan #", 1),
                     encoding="utf-8")
    regions = data_dir / "reference" / "regions.yaml"
    regions.write_text(regions.read_text(encoding="utf-8").replace("code: MA-12", "code: MA-13"), encoding="utf-8")
    with pytest.raises(DataFilesError) as raised:
        check_data(data_dir, plan_file=tmp_path / "missing.yaml")
    assert [error.path for error in raised.value.errors] == [
        str(tmp_path / "missing.yaml"), str(regions), str(rates)]
    text = str(raised.value)
    assert f"{tmp_path / 'missing.yaml'}: 1 problem(s)\n  line 0: no such file" in text
    assert "region MA-13: unknown region code (expected MA-01 to MA-12)" in text
    assert "line 18: rate EUR: 'mad_per_unit' must be a positive number" in text


def test_the_shipped_data_passes_check_data_with_and_without_demo():
    from dashboard.ingest.loader import check_data

    check_data(DATA_DIR)
    check_data(DATA_DIR, demo=True, plan_file=PLAN_SMALL)
