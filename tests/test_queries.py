"""Read services (dashboard/plan/queries.py) on the seeded fixture plan, checked by hand.

The fixture's measures as of 2026-11-22 (weight, progress, schedule):

    A1.O1.M1  w2  100  completed     lead CNCLTEH, partners IOM UNHCR, 2024
    A1.O1.M2  w1   30  delayed       lead MJ, partner COE, 2025-2026 (94.7 % of time gone)
    A2.O1.M1  w3   50  delayed       lead MSISF, 2023-2024, ended
    A2.O1.M2  w1    0  (cancelled)   lead MSISF, 2024
    A2.O2.M1  w1    0  not_yet_due   lead PMP, partner UNWOMEN, starts 2026-12-01
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import select, update

from dashboard.models import Indicator, IndicatorValue, Measure
from dashboard.permissions import PUBLIC
from dashboard.plan import indicator_values, queries
from dashboard.plan.progress import weighted_progress
from dashboard.plan.queries import MeasureFilter, summarize
from helpers import AS_OF_DATE, FRESHNESS_DAYS

ALL_MEASURES = ["A1.O1.M1", "A1.O1.M2", "A2.O1.M1", "A2.O1.M2", "A2.O2.M1"]


def measure_rows(session, lang: str = "en", **filters) -> list[dict]:
    return queries.measure_rows(session, lang, AS_OF_DATE, FRESHNESS_DAYS, MeasureFilter(**filters))


def codes(rows: list[dict]) -> list[str]:
    return [row["code"] for row in rows]


def test_measure_rows_in_plan_order_with_schedule_and_freshness(session):
    rows = measure_rows(session)
    assert codes(rows) == ALL_MEASURES
    by_code = {row["code"]: row for row in rows}
    assert {c: r["schedule"] for c, r in by_code.items()} == {
        "A1.O1.M1": "completed",
        "A1.O1.M2": "delayed",
        "A2.O1.M1": "delayed",
        "A2.O1.M2": None,
        "A2.O2.M1": "not_yet_due",
    }
    assert by_code["A2.O2.M1"]["days_since_update"] == 52
    assert by_code["A2.O2.M1"]["stale"] is False
    assert by_code["A1.O1.M2"]["days_since_update"] == (AS_OF_DATE - dt.date(2026, 2, 1)).days
    assert by_code["A1.O1.M2"]["stale"] is True
    m1 = by_code["A1.O1.M1"]
    assert (m1["axis"], m1["objective"], m1["lead"], m1["weight"], m1["priority"]) == (
        "A1", "A1.O1", "CNCLTEH", 2.0, "high"
    )
    assert m1["budget_mad"] == 500000
    assert by_code["A1.O1.M2"]["budget_mad"] is None


@pytest.mark.parametrize(
    ("lang", "name"),
    [("ar", "حملة تحسيسية"), ("fr", "Campagne de sensibilisation"), ("en", "Awareness campaign")],
)
def test_measure_rows_names_in_the_requested_language(session, lang, name):
    assert measure_rows(session, lang)[0]["name"] == name


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param({"axis": "A1"}, ["A1.O1.M1", "A1.O1.M2"], id="axis"),
        pytest.param({"axis": "A2"}, ["A2.O1.M1", "A2.O1.M2", "A2.O2.M1"], id="axis-2"),
        pytest.param({"objective": "A2.O1"}, ["A2.O1.M1", "A2.O1.M2"], id="objective"),
        pytest.param({"lead": "MSISF"}, ["A2.O1.M1", "A2.O1.M2"], id="lead"),
        pytest.param({"lead": "IOM"}, [], id="lead-partner-only"),
        pytest.param({"status": "delayed"}, ["A2.O1.M1"], id="status"),
        pytest.param({"status": "cancelled"}, ["A2.O1.M2"], id="status-cancelled"),
        pytest.param({"schedule": "delayed"}, ["A1.O1.M2", "A2.O1.M1"], id="schedule"),
        pytest.param({"schedule": "not_yet_due"}, ["A2.O2.M1"], id="schedule-not-yet-due"),
        pytest.param({"schedule": "on_track"}, [], id="schedule-none-on-track"),
        pytest.param({"year": 2024}, ["A1.O1.M1", "A2.O1.M1", "A2.O1.M2"], id="year"),
        pytest.param({"year": 2026}, ["A1.O1.M2", "A2.O2.M1"], id="year-2026"),
        pytest.param({"year": 2030}, [], id="year-without-measures"),
        pytest.param({"partner": "IOM"}, ["A1.O1.M1"], id="partner"),
        pytest.param({"partner": "UNWOMEN"}, ["A2.O2.M1"], id="partner-2"),
        pytest.param({"partner": "MJ"}, [], id="partner-lead-only"),
        pytest.param({"axis": "A2", "schedule": "delayed"}, ["A2.O1.M1"], id="axis-and-schedule"),
        pytest.param({"lead": "MSISF", "year": 2023}, ["A2.O1.M1"], id="lead-and-year"),
        pytest.param({"axis": "A9"}, [], id="unknown-axis"),
    ],
)
def test_measure_rows_filters(session, filters, expected):
    assert codes(measure_rows(session, **filters)) == expected


def test_summarize_the_fixture(session):
    summary = summarize(measure_rows(session))
    assert summary.total == 5
    assert summary.by_status == Counter(
        {"completed": 1, "in_progress": 1, "delayed": 1, "cancelled": 1, "not_started": 1}
    )
    assert summary.by_schedule == Counter({"completed": 1, "delayed": 2, "not_yet_due": 1})
    assert summary.progress == pytest.approx((100 * 2 + 30 * 1 + 50 * 3 + 0 * 1) / 7)
    # Stale: A1.O1.M2 and A2.O1.M1; the completed A1.O1.M1 and the cancelled A2.O1.M2 owe
    # no more reports.
    assert summary.stale == 2
    assert summary.on_time_share == pytest.approx(1 / 3)


def row(schedule: str | None, status: str = "in_progress", progress: int = 50,
        weight: float = 1, stale: bool = False) -> dict:
    return {"schedule": schedule, "status": status, "progress": progress, "weight": weight, "stale": stale}


@pytest.mark.parametrize(
    ("rows", "share"),
    [
        pytest.param([], None, id="no-measures"),
        pytest.param([row("not_yet_due"), row(None, "cancelled")], None, id="nothing-due"),
        pytest.param([row("completed"), row("not_yet_due")], 1.0, id="not-yet-due-excluded"),
        pytest.param([row("on_track"), row(None, "cancelled"), row("delayed")], 0.5, id="cancelled-excluded"),
        pytest.param([row("completed"), row("on_track"), row("at_risk"), row("delayed"), row("not_started")],
                     0.4, id="at-risk-and-not-started-are-not-on-time"),
    ],
)
def test_on_time_share(rows, share):
    result = summarize(rows).on_time_share
    assert result == (None if share is None else pytest.approx(share))


def test_summarize_counts_the_stale_flags():
    summary = summarize([row("delayed", stale=True), row("on_track")])
    assert summary.stale == 1
    assert summary.total == 2


def test_finished_and_cancelled_measures_are_never_stale(session):
    rows = {r["code"]: r for r in measure_rows(session)}
    assert rows["A1.O1.M1"]["status"] == "completed" and not rows["A1.O1.M1"]["stale"]
    assert rows["A2.O1.M2"]["status"] == "cancelled" and not rows["A2.O1.M2"]["stale"]
    assert rows["A2.O1.M1"]["stale"]


def test_summarize_without_rows():
    summary = summarize([])
    assert (summary.total, summary.progress, summary.stale, summary.on_time_share) == (0, None, 0, None)


def test_axis_progress_matches_a_hand_computation(session):
    result = queries.axis_progress(session, "fr")
    assert [(r["code"], r["name"], r["measures"]) for r in result] == [
        ("A1", "Prévention", 2),
        ("A2", "Protection", 3),  # the cancelled measure is counted but not averaged
    ]
    assert result[0]["progress"] == pytest.approx((100 * 2 + 30 * 1) / 3)
    assert result[1]["progress"] == pytest.approx((50 * 3 + 0 * 1) / 4)


def test_axis_progress_agrees_with_the_python_rule(session):
    rows = measure_rows(session)
    for axis in queries.axis_progress(session, "en"):
        items = [(r["progress"], r["weight"], r["status"]) for r in rows if r["axis"] == axis["code"]]
        assert axis["progress"] == pytest.approx(weighted_progress(items))


def test_objective_progress_matches_a_hand_computation(session):
    result = queries.objective_progress(session, "en")
    assert [(r["code"], r["axis"], r["name"], r["measures"]) for r in result] == [
        ("A1.O1", "A1", "Awareness", 2),
        ("A2.O1", "A2", "Shelter", 2),
        ("A2.O2", "A2", "Legal aid", 1),
    ]
    assert [r["progress"] for r in result] == pytest.approx([230 / 3, 50.0, 0.0])


def test_objective_progress_of_one_axis(session):
    assert [r["code"] for r in queries.objective_progress(session, "en", "A2")] == ["A2.O1", "A2.O2"]


def test_progress_of_an_objective_with_only_cancelled_measures_is_none(session):
    # The session fixture rolls this back after the test.
    session.execute(update(Measure).where(Measure.code == "A2.O2.M1").values(status="cancelled"))
    objectives = {r["code"]: r for r in queries.objective_progress(session, "en")}
    assert objectives["A2.O2"]["progress"] is None
    assert objectives["A2.O2"]["measures"] == 1
    axes = {r["code"]: r for r in queries.axis_progress(session, "en")}
    assert axes["A2"]["progress"] == pytest.approx(50.0)


def test_session_fixture_commit_stays_inside_the_test(session):
    session.execute(update(Measure).where(Measure.code == "A2.O2.M1").values(progress=99))
    session.commit()  # releases a savepoint only
    assert measure_rows(session, objective="A2.O2")[0]["progress"] == 99


def test_session_fixture_rolled_back_the_tests_before(session):
    # Runs after the two tests above that changed A2.O2.M1 (pytest keeps file order).
    assert [(r["status"], r["progress"]) for r in measure_rows(session, objective="A2.O2")] == [
        ("not_started", 0)
    ]


def test_indicator_rows_latest_value_target_and_achievement(session):
    rows = {r["code"]: r for r in queries.indicator_rows(session, "en", AS_OF_DATE, FRESHNESS_DAYS)}
    assert list(rows) == ["IND-01", "IND-02"]
    ind1 = rows["IND-01"]
    assert (ind1["name"], ind1["responsible"], ind1["objective"], ind1["axis"], ind1["measure"]) == (
        "Victims identified", "PMP", "A1.O1", "A1", None
    )
    # Latest total is 2024 (140, the 138 + 2 cells are not totals); target 2024 is 150.
    assert (ind1["latest_year"], ind1["latest_value"], ind1["target"], ind1["final_target"]) == (
        2024, 140.0, 150.0, 200.0
    )
    assert ind1["achievement"] == pytest.approx((140 - 100) / (150 - 100))
    assert ind1["achievement_status"] == "near"
    assert (ind1["reported_on"], ind1["days_since_update"], ind1["stale"]) == (None, None, True)
    ind2 = rows["IND-02"]
    assert (ind2["measure"], ind2["responsible"], ind2["latest_year"], ind2["latest_value"]) == (
        "A1.O1.M1", "CNCLTEH", None, None
    )
    assert (ind2["target"], ind2["final_target"], ind2["achievement"]) == (None, 400.0, None)


def test_indicator_with_targets_but_no_value_has_no_data(session):
    rows = {r["code"]: r for r in queries.indicator_rows(session, "en", AS_OF_DATE, FRESHNESS_DAYS)}
    assert rows["IND-02"]["achievement_status"] == "no_data"


def test_indicator_rows_filters(session):
    def indicator_codes(**filters):
        return [r["code"] for r in queries.indicator_rows(
            session, "en", AS_OF_DATE, FRESHNESS_DAYS, filters=queries.IndicatorFilter(**filters))]

    assert indicator_codes(measure="A1.O1.M1") == ["IND-02"]
    assert indicator_codes(responsible="PMP") == ["IND-01"]
    assert indicator_codes(type="impact") == ["IND-01"]
    assert indicator_codes(axis="A2") == []


def test_latest_updates_newest_first(session):
    updates = queries.latest_updates(session, "en", limit=10)
    assert [(u["recorded_on"].isoformat(), u["code"], u["status"], u["progress"]) for u in updates] == [
        ("2026-10-01", "A2.O2.M1", "not_started", 0),
        ("2026-02-01", "A1.O1.M2", "in_progress", 30),
        ("2025-01-10", "A1.O1.M1", "completed", 100),
        ("2024-09-01", "A2.O1.M1", "delayed", 50),
        ("2024-06-30", "A1.O1.M1", "in_progress", 40),
        ("2024-03-01", "A2.O1.M2", "cancelled", 0),
    ]
    assert updates[0]["lead"] == "PMP"
    assert updates[0]["name"] == "Legal aid"


def test_latest_updates_limit(session):
    assert [u["code"] for u in queries.latest_updates(session, "fr", limit=2)] == ["A2.O2.M1", "A1.O1.M2"]


def test_reference_lookups(session):
    assert queries.has_demo_data(session) is True
    assert queries.plan_years(session) == [2023, 2024, 2025, 2026]
    assert [p.code for p in queries.plans(session)] == ["PAS-2026", "PNLTEH-2030"]
    assert [e["acronym"] for e in queries.entities(session, "en", leading_only=True)] == [
        "CNCLTEH", "MJ", "MSISF", "PMP"
    ]
    assert queries.axis_by_code(session, "A2").name("fr") == "Protection"
    assert queries.axis_by_code(session, "ZZ") is None
    assert queries.measure_detail(session, "NOPE", "en") is None


def test_indicator_breakdowns_prefer_the_annual_figures(session):
    indicator = session.execute(select(Indicator).filter_by(code="IND-02")).scalar_one()
    for period, key, value in (("2025-Q1", "", 10.0), ("2025-Q1", "sex=male", 4.0),
                               ("2025", "", 40.0), ("2025", "sex=male", 30.0),
                               ("2025", "sex=female", 10.0)):
        sex = key.partition("=")[2] or None
        session.add(IndicatorValue(indicator_id=indicator.id, period=period, year=2025,
                                   value=value, breakdown=key, sex=sex))
    session.flush()
    # IND-02 counts no victims: the public sees its exact figures.
    data = indicator_values.released_values(session, PUBLIC, indicator, "en").breakdown(2025)
    assert data.period == "2025" and data.total == 40.0
    assert data.cells["sex"] == {"male": 30.0, "female": 10.0}
    # A year with only a quarter uses that quarter.
    session.add(IndicatorValue(indicator_id=indicator.id, period="2026-Q2", year=2026,
                               value=7.0, breakdown=""))
    session.flush()
    assert indicator_values.released_values(session, PUBLIC, indicator, "en").breakdown(2026).total == 7.0
