"""The rollout by region (dashboard/national/regions.py): loading the reference and demonstration
layers, validation with line numbers, the validation flow's side, and the services behind
the pages (counts, a region's detail, regional figures with small-cell suppression)."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from dashboard.db import session_scope
from dashboard.ingest import loader
from dashboard.ingest import rollout as rollout_files
from dashboard.ingest.datafiles import DataFileError
from dashboard.ingest.loader import LoadReport
from dashboard.models import (
    Activity,
    Entity,
    Organisation,
    RegionalBody,
    RegionRollout,
    RolloutEvent,
    Statistic,
    StatisticSource,
)
from dashboard.national import regions
from dashboard.permissions import PUBLIC
from helpers import DATA_DIR, actor_of, snapshot

SHELTER_AGREEMENT = dt.date(2024, 8, 2)


def load_layers(engine: Engine, data_dir: Path = DATA_DIR, demo: bool = True) -> LoadReport:
    """The regions and this domain's layers, without the rest of the data."""
    report = LoadReport()
    with session_scope(engine) as session:
        loader.load_regions(session, DATA_DIR / "reference" / "regions.yaml", LoadReport())
        rollout_files.load(session, data_dir, demo, report)
    return report


@pytest.fixture
def db(fresh_db_url, engine_for) -> Engine:
    return engine_for(fresh_db_url)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A copy of this domain's data files, to edit."""
    for layer in ("reference", "demo"):
        (tmp_path / layer).mkdir()
        shutil.copy(DATA_DIR / layer / "rollout.yaml", tmp_path / layer / "rollout.yaml")
    return tmp_path


def rollout(engine: Engine, code: str) -> dict | None:
    with session_scope(engine) as session:
        found = regions.current_rollout(session, code)
        if found is None:
            return None
        return {"stage": found.stage, "since": found.stage_since, "is_demo": found.is_demo,
                "version": found.version,
                "events": [(e.stage, e.started_on, e.is_demo) for e in found.events]}


# --- loading ----------------------------------------------------------------------------


def test_reference_stage_in_the_seeded_database(session):
    fes = regions.current_rollout(session, "MA-03")
    assert (fes.stage, fes.stage_since, fes.is_demo) == ("pilot", SHELTER_AGREEMENT, False)
    [event] = fes.events
    # The citation is composed in each language from the file's parts.
    assert "«\u00a0Convention-cadre pour un centre d'hébergement" in event.source("fr")
    assert "“Framework agreement on an emergency" in event.source("en")
    assert all("cnclt.justice.gov.ma/?p=1932" in event.source(lang) for lang in ("ar", "fr", "en"))
    assert "Bab Al Moustaqbal" in event.note("en") and "باب المستقبل" in event.note("ar")
    # Without demonstration data the other regions have no stage.
    assert session.scalar(select(func.count()).select_from(RegionRollout)) == 1
    assert regions.current_rollout(session, "MA-01") is None
    assert regions.current_rollout(session, "MA-99") is None
    assert regions.current_rollout(session, "ma-03") is fes


def test_demo_layer_fills_every_region_under_the_reference(db):
    report = load_layers(db)
    assert report.created["rollouts"] == 12
    fes = rollout(db, "MA-03")
    assert (fes["stage"], fes["since"], fes["is_demo"]) == ("pilot", SHELTER_AGREEMENT, False)
    assert fes["events"] == [("pilot", SHELTER_AGREEMENT, False)]  # no demonstration step
    casablanca = rollout(db, "MA-06")
    assert casablanca["stage"] == "operational" and casablanca["is_demo"] is True
    assert [stage for stage, _d, _demo in casablanca["events"]] == ["preparing", "pilot", "operational"]
    with session_scope(db) as session:
        bodies = list(session.scalars(select(RegionalBody)))
        assert {b.region.code for b in bodies} == {f"MA-{n:02d}" for n in range(1, 13)}
        assert all(b.is_demo and b.name_ar and b.name_fr and b.name_en for b in bodies)


def test_loading_twice_changes_nothing(db):
    load_layers(db)
    with db.connect() as conn:
        before = snapshot(conn)
    report = load_layers(db)
    assert report.changes == 0, str(report)
    with db.connect() as conn:
        assert snapshot(conn) == before


def test_reference_only_without_demo(db):
    report = load_layers(db, demo=False)
    assert report.created == {"rollouts": 1, "rollout events": 1}
    assert rollout(db, "MA-06") is None


def test_reference_replaces_a_demonstration_history(db, data_dir):
    load_layers(db, data_dir)
    assert rollout(db, "MA-05")["is_demo"] is True
    reference = data_dir / "reference" / "rollout.yaml"
    reference.write_text(reference.read_text(encoding="utf-8").replace("rollouts:\n", """rollouts:
  - region: MA-05
    events:
      - stage: preparing
        started_on: 2022-01-10
        note: {ar: "نص", fr: "texte", en: "text"}
        source: {publisher: CNCLTEH, title: {ar: "تقرير", fr: "Rapport", en: "Report"}, via: "example.invalid"}
""", 1), encoding="utf-8")
    load_layers(db, data_dir)
    beni_mellal = rollout(db, "MA-05")
    # The reference stage wins even though the demonstration one was more recent.
    assert (beni_mellal["stage"], beni_mellal["since"], beni_mellal["is_demo"]) == (
        "preparing", dt.date(2022, 1, 10), False)
    assert beni_mellal["events"] == [("preparing", dt.date(2022, 1, 10), False)]
    assert load_layers(db, data_dir).changes == 0


def test_reload_never_rolls_back_an_approved_stage(db):
    load_layers(db)
    with session_scope(db) as session:
        tangier = regions.current_rollout(session, "MA-01")
        regions.apply_stage(session, tangier, "operational", dt.date(2026, 3, 2), "Tout le territoire", None)
        fes = regions.current_rollout(session, "MA-03")
        regions.apply_stage(session, fes, "operational", dt.date(2026, 5, 4), "", None)
    report = load_layers(db)
    assert report.changes == 0, str(report)
    for code in ("MA-01", "MA-03"):
        state = rollout(db, code)
        assert state["stage"] == "operational" and state["is_demo"] is False


def test_a_newer_reference_step_moves_the_stage(db, data_dir):
    load_layers(db, data_dir, demo=False)
    reference = data_dir / "reference" / "rollout.yaml"
    reference.write_text(reference.read_text(encoding="utf-8").replace("\nbodies: []", """
      - stage: operational
        started_on: 2025-09-01
        note: {ar: "نص", fr: "texte", en: "text"}
        source: {publisher: CNCLTEH, title: {ar: "تقرير", fr: "Rapport", en: "Report"}, via: "example.invalid"}

bodies: []"""), encoding="utf-8")
    report = load_layers(db, data_dir, demo=False)
    assert report.updated == {"rollouts": 1} and report.created == {"rollout events": 1}
    fes = rollout(db, "MA-03")
    assert (fes["stage"], fes["since"], fes["version"]) == ("operational", dt.date(2025, 9, 1), 2)


# --- validation -------------------------------------------------------------------------

VALID_EVENT = """      - stage: pilot
        started_on: 2024-08-02
        note: {ar: "نص", fr: "texte", en: "text"}
        source: {publisher: CNCLTEH, title: {ar: "تقرير", fr: "Rapport", en: "Report"}, via: "example.invalid"}
"""


@pytest.mark.parametrize("text,line,message", [
    ("rollouts:\n  - region: MA-13\n    events:\n" + VALID_EVENT, 2, "unknown region 'MA-13'"),
    ("rollouts:\n  - region: MA-01\n    events:\n" + VALID_EVENT.replace("pilot", "done"), 4,
     "'stage' is 'done'"),
    ("rollouts:\n  - region: MA-01\n    events:\n" + VALID_EVENT.replace(', en: "text"', ""), 6,
     "no en translation"),
    ("rollouts:\n  - region: MA-01\n    events:\n" + VALID_EVENT.replace('        source: {publisher: CNCLTEH, title: {ar: "تقرير", fr: "Rapport", en: "Report"}, via: "example.invalid"}\n', ""),
     4, "'source' is missing"),
    ("rollouts:\n  - region: MA-01\n    events:\n" + VALID_EVENT + VALID_EVENT.replace("2024-08-02", "2023-01-01"),
     8, "in date order"),
    ("rollouts:\n  - region: MA-01\n    events: []\n", 2, "at least one dated stage"),
    ("rollouts:\n  - region: MA-01\n    events:\n" + VALID_EVENT.replace("2024-08-02", "2024-02-30"), 5,
     "not a valid date"),
    (("bodies:\n  - {code: B1, region: MA-01, kind: committee, source: {title: {ar: a, fr: b, en: c}}, name: {ar: a, fr: b, en: c}}\n"
      "  - {code: B1, region: MA-02, kind: council, source: {title: {ar: a, fr: b, en: c}}, name: {ar: a, fr: b, en: c}}\n"), 3,
     "duplicate body code 'B1'"),
    ("bodies:\n  - {code: B1, region: MA-01, kind: council, source: {title: {ar: a, fr: b, en: c}}, name: {ar: a, fr: b, en: c}}\n", 2,
     "'kind' is 'council'"),
    ("rollout:\n  - region: MA-01\n", 1, "unknown key 'rollout'"),
    ("- region: MA-01\n", 1, "a mapping with 'rollouts' and 'bodies'"),
])
def test_broken_reference_file_is_refused_with_its_line(db, data_dir, text, line, message):
    (data_dir / "reference" / "rollout.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_layers(db, data_dir, demo=False)
    assert any(p.line == line and message in p.message for p in error.value.problems), error.value.problems


def test_demonstration_records_need_no_source(db, data_dir):
    (data_dir / "reference" / "rollout.yaml").write_text("rollouts: []\nbodies: []\n", encoding="utf-8")
    (data_dir / "demo" / "rollout.yaml").write_text(
        "rollouts:\n  - region: MA-01\n    events:\n"
        + VALID_EVENT.replace('        source: {publisher: CNCLTEH, title: {ar: "تقرير", fr: "Rapport", en: "Report"}, via: "example.invalid"}\n', ""), encoding="utf-8")
    load_layers(db, data_dir)
    assert rollout(db, "MA-01")["stage"] == "pilot"


def test_missing_layer_files_are_empty_layers(db, tmp_path):
    assert load_layers(db, tmp_path).changes == 0


def test_shipped_demo_file_is_valid():
    from dashboard.ingest import datafiles

    codes = {f"MA-{n:02d}" for n in range(1, 13)}
    doc = datafiles.read_yaml(DATA_DIR / "demo" / "rollout.yaml")
    assert rollout_files.validate_rollout(doc, codes, demo=True) == []
    assert {item["region"] for item in doc["rollouts"]} == codes


# --- the validation flow's side ---------------------------------------------------------


def test_apply_stage_moves_the_region_and_records_the_step(session):
    fes = regions.current_rollout(session, "MA-03")
    version = fes.version
    event = regions.apply_stage(session, fes, "operational", dt.date(2026, 10, 1), "Procédures appliquées", None)
    session.flush()
    assert (fes.stage, fes.stage_since, fes.is_demo) == ("operational", dt.date(2026, 10, 1), False)
    assert fes.version == version + 1
    assert [e.stage for e in fes.events] == ["pilot", "operational"]
    assert event.note("ar") == event.note("en") == "Procédures appliquées" and not event.is_demo
    # The same step again takes the new note instead of a second row.
    again = regions.apply_stage(session, fes, "operational", dt.date(2026, 10, 1), "Corrigé", None)
    session.flush()
    assert again is event and event.note("fr") == "Corrigé"
    assert session.scalar(select(func.count()).select_from(RolloutEvent)
                          .where(RolloutEvent.rollout_id == fes.id)) == 2
    with pytest.raises(ValueError):
        regions.apply_stage(session, fes, "finished", dt.date(2026, 10, 2), "", None)


def test_apply_stage_on_a_new_rollout(session):
    from dashboard.models import Region

    oriental = session.scalar(select(Region).where(Region.code == "MA-02"))
    new = RegionRollout(region=oriental)
    regions.apply_stage(session, new, "preparing", dt.date(2026, 2, 1), "", None)
    session.flush()
    assert regions.current_rollout(session, "MA-02") is new and new.version == 1
    assert [(e.stage, e.is_demo) for e in new.events] == [("preparing", False)]


# --- services behind the pages ----------------------------------------------------------


def _organisation(session, code: str, region: str, services: list[str], is_demo: bool = False) -> None:
    session.add(Organisation(code=code, name_fr=f"Association {code}", name_en=f"Association {code}",
                             name_ar=f"جمعية {code}", region_code=region, services=services,
                             phone="+212 5 00 00 00 00", email=f"{code}@example.org",
                             address="1 rue Exemple", is_demo=is_demo))


def _activity(session, code: str, region: str, start: dt.date) -> None:
    session.add(Activity(code=code, kind="training", title_ar=f"تكوين {code}", title_fr=f"Formation {code}",
                         title_en=f"Training {code}", start_date=start, region_code=region))


def test_overview_counts_what_each_region_has(session):
    before = {row["code"]: row for row in regions.overview(session, "fr")}
    _organisation(session, "TEST-ORG-1", "MA-07", ["shelter", "legal_aid"], is_demo=True)
    _organisation(session, "TEST-ORG-2", "MA-07", ["shelter"])
    _activity(session, "TEST-ACT-1", "MA-07", dt.date(2025, 3, 1))
    session.flush()
    rows = regions.overview(session, "fr")
    assert [row["code"] for row in rows] == [f"MA-{n:02d}" for n in range(1, 13)]
    marrakech = next(row for row in rows if row["code"] == "MA-07")
    old = before["MA-07"]
    assert marrakech["name"] == "Marrakech-Safi"
    assert marrakech["stage"] is None and marrakech["stage_since"] is None
    assert marrakech["organisations"] == old["organisations"] + 2
    assert marrakech["shelters"] == old["shelters"] + 2
    assert marrakech["services"]["legal_aid"] == old["services"].get("legal_aid", 0) + 1
    assert marrakech["activities"] == old["activities"] + 1
    assert marrakech["is_demo"] is True
    fes = next(row for row in rows if row["code"] == "MA-03")
    assert (fes["stage"], fes["stage_since"], fes["stage_is_demo"]) == ("pilot", SHELTER_AGREEMENT, False)
    counts = regions.stage_counts(rows)
    assert list(counts) == ["not_started", "preparing", "pilot", "operational", None]
    assert counts["pilot"] == 1 and counts[None] == 11


def test_region_detail_leaves_contact_details_out(session):
    _organisation(session, "TEST-ORG-3", "MA-03", ["shelter"])
    _activity(session, "TEST-ACT-2", "MA-03", dt.date(2025, 6, 1))
    session.flush()
    detail = regions.region_detail(session, PUBLIC, "ma-03", "ar")
    assert detail["code"] == "MA-03" and detail["name"] == "فاس مكناس"
    assert "«اتفاقية إطار" in detail["history"][0]["source"]
    organisation = next(o for o in detail["organisations"] if o["name"] == "جمعية TEST-ORG-3")
    assert set(organisation) == {"name", "kind", "city", "services", "is_demo"}
    assert "@example.org" not in repr(detail) and "+212" not in repr(detail)
    activity = next(a for a in detail["activities"] if a["code"] == "TEST-ACT-2")
    assert activity["title"] == "تكوين TEST-ACT-2" and activity["kind"] == "training"
    assert regions.region_detail(session, PUBLIC, "MA-13", "ar") is None


def _regional_counts(session, values: dict[str, int], total: int | None) -> None:
    """Persons prosecuted in 2025 as published by the Public Prosecution, by region."""
    pmp = session.scalar(select(Entity).where(Entity.acronym == "PMP"))
    source = StatisticSource(entity_id=pmp.id, document="Rapport annuel 2025 (test)", url="https://example.org/r")
    session.add(source)
    session.flush()
    cells = {f"region={code}": (code, value) for code, value in values.items()}
    if total is not None:
        cells[""] = (None, total)
    for breakdown, (code, value) in cells.items():
        session.add(Statistic(series="persons_prosecuted", entity_id=pmp.id, source_id=source.id,
                              period="2025", year_start=2025, year_end=2025, unit="count", value=value,
                              breakdown=breakdown, region_code=code))
    session.flush()


def test_regional_figures_hide_small_counts_from_the_public(session):
    _regional_counts(session, {"MA-03": 3, "MA-04": 10, "MA-06": 40}, total=53)
    [small] = regions.regional_figures(session, PUBLIC, "MA-03", "en")
    assert (small["value"], small["small"], small["publisher"]) == (None, True, "PMP")
    # Rabat's 10 is hidden too: with the total and Casablanca's 40 it would give Fès's 3.
    [rabat] = regions.regional_figures(session, PUBLIC, "MA-04", "en")
    assert (rabat["value"], rabat["small"]) == (None, False)
    [casablanca] = regions.regional_figures(session, PUBLIC, "MA-06", "en")
    assert casablanca["value"] == 40
    assert regions.regional_figures(session, PUBLIC, "MA-01", "en") == []


def test_regional_figures_take_the_threshold_they_are_given(session):
    """The service takes the setting from its caller: at 11, Rabat's 10 is a small count."""
    _regional_counts(session, {"MA-03": 3, "MA-04": 10, "MA-06": 40}, total=None)
    [rabat] = regions.regional_figures(session, PUBLIC, "MA-04", "en", threshold=11)
    assert (rabat["value"], rabat["small"]) == (None, True)
    [default] = regions.regional_figures(session, PUBLIC, "MA-04", "en")
    assert (default["value"], default["small"]) == (10, False)


@pytest.mark.parametrize("reader", ["committee", "focal_pmp"])
def test_regional_figures_are_exact_for_their_readers(session, reader):
    _regional_counts(session, {"MA-03": 3, "MA-04": 10}, total=None)
    [figure] = regions.regional_figures(session, actor_of(session, reader), "MA-03", "en")
    assert (figure["value"], figure["small"]) == (3, False)


def test_another_producers_focal_point_sees_the_public_figures(session):
    _regional_counts(session, {"MA-03": 3, "MA-04": 10}, total=None)
    [figure] = regions.regional_figures(session, actor_of(session, "focal_mj"), "MA-03", "en")
    assert figure["value"] is None and figure["small"] is True
