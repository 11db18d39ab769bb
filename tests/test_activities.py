"""The activities service: loading data/reference/activities.yaml (validation with line
numbers, idempotence, links to measures), filters, counts and the output-indicator feed."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from dashboard.db import session_scope
from dashboard.ingest import activities as activity_files
from dashboard.ingest.datafiles import DataFileError
from dashboard.ingest.loader import LoadReport, load_all
from dashboard.models import Activity, Entity
from dashboard.national import activities
from dashboard.national.activities import ABROAD, NATIONAL, ActivityFilter
from helpers import DATA_DIR, PLAN_SMALL, snapshot

SEEDED = {
    "2021-unwg-vienna", "2023-roundtable-rabat", "2024-workshop-cairo",
    "2024-study-visit-belgium", "2024-training-casablanca", "2024-training-marrakech",
}
REGIONS = [f"MA-{n:02d}" for n in range(1, 13)]


def codes(rows: list[dict]) -> set[str]:
    return {r["code"] for r in rows}


def write_data_dir(tmp_path: Path, activities_yaml: str) -> Path:
    """A data directory whose activities file is ``activities_yaml``."""
    (tmp_path / "reference").mkdir(parents=True)
    (tmp_path / "reference" / "activities.yaml").write_text(activities_yaml, encoding="utf-8")
    return tmp_path


def load_text(session, tmp_path: Path, text: str) -> LoadReport:
    report = LoadReport()
    activity_files.load(session, write_data_dir(tmp_path, text), False, report)
    return report


VALID = """\
- code: T-1
  kind: training
  title: {ar: تكوين, fr: Formation, en: Training}
  start: 2025-03-10
  end: 2025-03-11
  place: {ar: طنجة, fr: Tanger, en: Tangier}
  region: MA-01
  organisers: [CNCLTEH]
  partners: [IOM]
  participants: {male: 22, female: 18, by_profession: {judges: 12, police: 8}}
  measures: [A1.O1.M1, NOT.A.MEASURE]
  documents: [{title: {proper: Programme}, url: "https://example.org/programme"}]
  source: {publisher: CNCLTEH, title: {ar: خبر, fr: Actualité, en: News item}, date: 2025-03}
"""


# --- the reference file -------------------------------------------------------------------


def test_reference_file_is_loaded(session):
    rows = {r["code"]: r for r in activities.activity_rows(session, "en")}
    assert set(rows) == SEEDED
    assert not any(r["is_demo"] for r in rows.values())
    visit = rows["2024-study-visit-belgium"]
    assert (visit["start"], visit["end"], visit["precision"]) == (
        dt.date(2024, 5, 13), dt.date(2024, 5, 17), "day")
    assert visit["country"] == "BE" and visit["region"] is None and visit["abroad"]
    assert [e["acronym"] for e in visit["organisers"]] == ["CNCLTEH"]
    assert rows["2023-roundtable-rabat"]["region"] == "MA-04"
    # No seed document states a number of participants: unknown, never zero.
    assert all(r["participants"]["total"] is None for r in rows.values())
    for row in rows.values():
        assert row["source"] and all(d["url"].startswith("https://") for d in row["documents"])


def test_measures_are_linked_only_when_loaded(session):
    # The test plan (plan_small) has A1.O1.M2 but none of the A4/A5 measures.
    rows = {r["code"]: r for r in activities.activity_rows(session, "en")}
    assert [m["code"] for m in rows["2024-training-casablanca"]["measures"]] == ["A1.O1.M2"]
    assert rows["2024-study-visit-belgium"]["measures"] == []


def test_loading_twice_changes_nothing(fresh_db_url, engine_for):
    engine = engine_for(fresh_db_url)
    with session_scope(engine) as session:
        first = load_all(session, DATA_DIR, demo=False, plan_file=PLAN_SMALL)
    assert first.created["activities"] == len(SEEDED)
    with engine.connect() as connection:
        before = snapshot(connection)
    with session_scope(engine) as session:
        assert str(load_all(session, DATA_DIR, demo=False, plan_file=PLAN_SMALL)) == "no change"
    with engine.connect() as connection:
        assert snapshot(connection) == before


def test_a_changed_file_updates_fields_and_links(session, tmp_path):
    assert load_text(session, tmp_path / "a", VALID).created == {"activities": 1}
    assert load_text(session, tmp_path / "b", VALID).changes == 0
    changed = VALID.replace("partners: [IOM]", "partners: [IOM, UNHCR]").replace("Tanger", "Tanger ville")
    assert load_text(session, tmp_path / "c", changed).updated == {"activities": 1}
    activity = session.scalar(select(Activity).where(Activity.code == "T-1"))
    assert [e.acronym for e in activity.partners] == ["IOM", "UNHCR"]
    assert activity.place_fr == "Tanger ville"


def test_valid_file_fields(session, tmp_path):
    load_text(session, tmp_path, VALID)
    row = activities.activity_by_code(session, "T-1", "fr")
    # The total is the sum of the men and women stated; the unknown measure is skipped.
    assert row["participants"] == {"total": 40, "male": 22, "female": 18,
                                   "by_profession": {"judges": 12, "police": 8}}
    assert [m["code"] for m in row["measures"]] == ["A1.O1.M1"]
    assert row["documents"] == [{"title": "Programme", "url": "https://example.org/programme"}]
    assert row["region_name"] == "Tanger-Tétouan-Al Hoceïma" and row["country_name"] == "Maroc"


@pytest.mark.parametrize("start, end, expected", [
    ("2023-05", None, (dt.date(2023, 5, 1), dt.date(2023, 5, 31), "month")),
    ("2021", "2022", (dt.date(2021, 1, 1), dt.date(2022, 12, 31), "year")),
    ("2024-02-27", "2024-03", (dt.date(2024, 2, 27), dt.date(2024, 3, 31), "month")),
])
def test_partial_dates_keep_their_precision(session, tmp_path, start, end, expected):
    text = VALID.replace("start: 2025-03-10", f'start: "{start}"')
    text = text.replace("end: 2025-03-11", f'end: "{end}"' if end else "")
    load_text(session, tmp_path, text)
    row = activities.activity_by_code(session, "T-1", "en")
    assert (row["start"], row["end"], row["precision"]) == expected


BROKEN = """\
- code: B-1
  kind: party
  title: {ar: أ, fr: A, en: A}
  start: 2025-02-30
  source: {publisher: CNCLTEH, title: {ar: خبر, fr: Actualité, en: News item}, date: 2025-03}
- code: B-2
  kind: workshop
  title: {ar: ب, fr: B, en: B}
  start: "2025-13"
  region: MA-13
  organisers: [NOPE]
  partners: [IOM]
  source: {publisher: CNCLTEH, title: {ar: خبر, fr: Actualité, en: News item}, date: 2025-03}
- code: B-3
  kind: study_visit
  title: {ar: ج, fr: C}
  start: 2025-05-10
  end: 2025-05-01
  country: XX
  source: ""
- code: B-4
  kind: roundtable
  title: {ar: د, fr: D, en: D}
  start: 2025-01-01
  country: BE
  region: MA-04
  organisers: [IOM]
  partners: [IOM]
  participants: {total: 5, male: 4, female: 3, by_profession: {astronauts: 1}}
  documents: [{title: {proper: X}, url: "ftp://example.org"}]
  source: {publisher: CNCLTEH, title: {ar: خبر, fr: Actualité, en: News item}, date: 2025-03}
- code: B-2
  kind: workshop
  title: {ar: ه, fr: E, en: E}
  start: 2025
  source: {publisher: CNCLTEH, title: {ar: خبر, fr: Actualité, en: News item}, date: 2025-03}
"""


def test_broken_file_reports_each_problem_with_its_line(session, tmp_path):
    text = BROKEN.replace("start: 2025-02-30", 'start: "2025-02-30"')
    with pytest.raises(DataFileError) as caught:
        load_text(session, tmp_path, text)
    problems = {(p.line, p.message) for p in caught.value.problems}

    def has(line: int, fragment: str) -> bool:
        return any(at == line and fragment in m for at, m in problems)

    assert has(1, "'kind' is 'party'")
    assert has(1, "'start' must be a day")
    assert has(6, "'start' must be a day")  # "2025-13" is not a month
    assert has(6, "unknown region 'MA-13'")
    assert has(6, "unknown organiser entity 'NOPE'")
    assert has(14, "'title' has no en translation") or has(16, "'title' has no en translation")
    assert has(14, "'end' (2025-05-01) is before 'start'")
    assert has(14, "'country' 'XX'")
    assert has(14, "'source' is missing")
    assert has(21, "'region' is only for activities in Morocco")
    assert has(21, "IOM is both an organiser and a partner")
    assert has(29, "more men and women than participants")
    assert has(29, "unknown profession 'astronauts'")
    assert has(30, "'url' starting with https://")
    assert has(32, "duplicate activity code 'B-2' (first used on line 6)")
    # Nothing of a refused file is loaded.
    assert session.scalar(select(Activity).where(Activity.code.like("B-%"))) is None


def test_an_impossible_date_is_reported_with_its_line(session, tmp_path):
    # An unquoted 2025-02-30 is refused by the YAML reader itself, on its line.
    with pytest.raises(DataFileError) as caught:
        load_text(session, tmp_path, BROKEN)
    assert [p.line for p in caught.value.problems] == [4]


# --- filters ------------------------------------------------------------------------------


@pytest.mark.parametrize("filters, expected", [
    (ActivityFilter(kind="training"), {"2024-training-casablanca", "2024-training-marrakech"}),
    (ActivityFilter(year=2023), {"2023-roundtable-rabat"}),
    (ActivityFilter(year=2022), set()),
    (ActivityFilter(region="MA-06"), {"2024-training-casablanca"}),
    (ActivityFilter(region=ABROAD), {"2021-unwg-vienna", "2024-workshop-cairo", "2024-study-visit-belgium"}),
    (ActivityFilter(country="EG"), {"2024-workshop-cairo"}),
    (ActivityFilter(entity="UNODC"), {"2021-unwg-vienna", "2024-workshop-cairo"}),  # organiser, partner
    (ActivityFilter(entity="CNDH"), {"2024-study-visit-belgium"}),
    (ActivityFilter(kind="training", region="MA-07"), {"2024-training-marrakech"}),
    (ActivityFilter(), SEEDED),
])
def test_filters(session, filters, expected):
    assert codes(activities.activity_rows(session, "en", filters)) == expected


@pytest.mark.parametrize("lang, text, expected", [
    ("fr", "belgique", {"2024-study-visit-belgium"}),
    ("en", "CAIRO", {"2024-workshop-cairo"}),
    ("ar", "مراكش", {"2024-training-marrakech"}),
    ("en", "Egypt", {"2023-roundtable-rabat", "2024-workshop-cairo"}),
    ("ar", "Egypt", set()),  # searched in the user's language only
    ("en", "100%", set()),  # LIKE wildcards are taken literally
])
def test_text_search_in_the_users_language(session, lang, text, expected):
    assert codes(activities.activity_rows(session, lang, ActivityFilter(text=text))) == expected


def test_rows_come_latest_first(session):
    starts = [r["start"] for r in activities.activity_rows(session, "en")]
    assert starts == sorted(starts, reverse=True)


def test_facets(session):
    facets = activities.facets(session, "fr")
    assert facets["years"] == [2024, 2023, 2021]
    assert dict(facets["countries"]) == {"AT": "Autriche", "BE": "Belgique", "EG": "Égypte", "MA": "Maroc"}
    acronyms = [a for a, _name in facets["entities"]]
    assert {"CNCLTEH", "IOM", "UNODC", "CNDH"} <= set(acronyms) and "CHG" not in acronyms


def test_country_names_follow_the_language():
    assert activities.country_name("AT", "ar") == "النمسا"
    assert activities.country_name("AT", "en") == "Austria"


# --- counts -------------------------------------------------------------------------------


def test_counts(session):
    rows = activities.activity_rows(session, "en")
    assert activities.counts_by_kind(rows) == {
        "training": 2, "workshop": 1, "roundtable": 1, "study_visit": 1, "international_meeting": 1}
    assert activities.counts_by_year(rows) == {2021: 1, 2022: 0, 2023: 1, 2024: 4}
    by_region = activities.counts_by_region(rows, REGIONS)
    assert list(by_region)[:12] == REGIONS
    assert {k: n for k, n in by_region.items() if n} == {"MA-04": 1, "MA-06": 1, "MA-07": 1, ABROAD: 3}
    assert activities.counts_by_kind([]) == {} and activities.counts_by_year([]) == {}


def _row(kind="training", total=None, male=None, female=None, professions=None, region=None):
    return {"kind": kind, "region": region, "abroad": False, "start": dt.date(2025, 1, 1),
            "participants": {"total": total, "male": male, "female": female,
                             "by_profession": professions or {}}}


def test_participant_totals_count_only_what_is_stated():
    rows = [_row(total=40, male=22, female=18, professions={"judges": 12}),
            _row(total=10, professions={"judges": 3, "police": 7}), _row()]
    assert activities.participant_totals(rows) == {
        "activities": 3, "with_total": 2, "total": 50, "with_sex": 1, "male": 22, "female": 18,
        "by_profession": {"judges": 15, "police": 7}}
    unknown = activities.participant_totals([_row(), _row()])
    assert unknown["total"] is None and unknown["male"] is None and unknown["with_total"] == 0
    # An activity in Morocco without a region counts as national.
    assert activities.counts_by_region([_row()], REGIONS)[NATIONAL] == 1


def test_output_counts(session):
    everything = activities.output_counts(session)
    assert everything["activities"] == len(SEEDED) and everything["trainings"] == 2
    # The trainings of the seed state no participants: unknown, not zero.
    assert everything["trained"] is None and everything["trainings_with_participants"] == 0

    cnclteh = session.scalar(select(Entity).where(Entity.acronym == "CNCLTEH"))
    session.add_all([
        Activity(code="X-1", kind="training", title_ar="أ", title_fr="A", title_en="A",
                 start_date=dt.date(2025, 3, 1), end_date=dt.date(2025, 3, 2), country="MA",
                 participants_total=40, participants_male=22, participants_female=18,
                 organisers=[cnclteh]),
        Activity(code="X-2", kind="training", title_ar="ب", title_fr="B", title_en="B",
                 start_date=dt.date(2025, 6, 1), end_date=dt.date(2025, 6, 1), country="MA"),
        Activity(code="X-3", kind="workshop", title_ar="ج", title_fr="C", title_en="C",
                 start_date=dt.date(2025, 7, 1), end_date=dt.date(2025, 7, 1), country="MA",
                 participants_total=99),
    ])
    session.flush()
    assert activities.output_counts(session, 2025) == {
        "year": 2025, "activities": 3, "by_kind": {"training": 2, "workshop": 1},
        "trainings": 2, "trainings_with_participants": 1,
        "trained": 40, "trained_male": 22, "trained_female": 18,
    }
    assert activities.output_counts(session, 2024)["activities"] == 4


def test_missing_file_loads_nothing(session, tmp_path):
    report = LoadReport()
    activity_files.load(session, tmp_path, False, report)
    assert report.changes == 0


def test_shipped_file_is_valid(session):
    from dashboard.ingest.datafiles import read_yaml

    doc = read_yaml(DATA_DIR / "reference" / "activities.yaml")
    entities = set(session.scalars(select(Entity.acronym)))
    assert activity_files.validate(doc, entities, set(REGIONS)) == []


def test_copied_reference_file_reloads_without_change(session, tmp_path):
    # The test database already holds the shipped file: loading it again changes nothing.
    (tmp_path / "reference").mkdir()
    shutil.copy(DATA_DIR / "reference" / "activities.yaml", tmp_path / "reference")
    report = LoadReport()
    activity_files.load(session, tmp_path, False, report)
    assert report.changes == 0
