"""The plan grid's rows, one page at a time (dashboard/paging.py and
queries.measure_page): filters and sorts in SQL, in the reader's language, and any value a
client sends handled without error."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from dashboard import labels, paging
from dashboard.i18n import using_language
from dashboard.models import Measure
from dashboard.permissions import PUBLIC, Actor
from dashboard.plan import progress as rules
from dashboard.plan import queries
from dashboard.plan.queries import MeasureFilter
from helpers import AS_OF_DATE, FRESHNESS_DAYS

ALL_MEASURES = ["A1.O1.M1", "A1.O1.M2", "A2.O1.M1", "A2.O1.M2", "A2.O2.M1"]
FOCAL = Actor(user_id=99, role="focal_point", entity_id=1)


def page(session, request, lang="en", actor=PUBLIC, **filters):
    return queries.measure_page(session, actor, lang, AS_OF_DATE, FRESHNESS_DAYS, MeasureFilter(**filters), request)


def codes(result) -> list[str]:
    return [row["code"] for row in result["rows"]]


def test_the_sql_schedule_is_the_python_rule(session):
    schedule = queries.schedule_column(session, AS_OF_DATE)
    measures = session.execute(select(Measure.status, Measure.progress, Measure.planned_start,
                                      Measure.planned_end)).all()
    # Every branch of the rule, on every measure, at days around each boundary.
    days = {AS_OF_DATE} | {d + dt.timedelta(days=k) for m in measures for d in m[2:] for k in (-1, 0, 1, 40)}
    for day in sorted(days):
        schedule = queries.schedule_column(session, day)
        for status, progress, start, end, in_sql in session.execute(
                select(Measure.status, Measure.progress, Measure.planned_start, Measure.planned_end, schedule)):
            assert in_sql == rules.schedule_status(status, progress, start, end, day), (day, status, progress)


def test_a_page_with_its_count_in_plan_order(session):
    result = page(session, {"startRow": 0, "endRow": 2})
    assert codes(result) == ALL_MEASURES[:2] and result["total"] == 5
    assert codes(page(session, {"startRow": 2, "endRow": 4})) == ALL_MEASURES[2:4]
    row = page(session, {})["rows"][1]
    full = {r["code"]: r for r in queries.measure_rows(session, "en", AS_OF_DATE, FRESHNESS_DAYS)}
    assert row == full[row["code"]]


def test_the_page_filters_agree_with_measure_rows(session):
    for filters in ({"axis": "A2"}, {"lead": "MSISF"}, {"status": "cancelled"}, {"schedule": "delayed"},
                    {"year": 2024}, {"schedule": "not_yet_due", "axis": "A2"}):
        expected = [r["code"] for r in queries.measure_rows(session, "en", AS_OF_DATE, FRESHNESS_DAYS,
                                                            MeasureFilter(**filters))]
        result = page(session, {}, **filters)
        assert codes(result) == expected and result["total"] == len(expected), filters


def test_sorting_and_the_grid_filters(session):
    by_progress = page(session, {"sortModel": [{"colId": "progress", "sort": "desc"}]})
    assert codes(by_progress)[0] == "A1.O1.M1"
    ages = [r["days_since_update"] for r in page(session, {"sortModel": [{"colId": "age", "sort": "asc"}]})["rows"]]
    assert ages == sorted(ages)
    result = page(session, {"filterModel": {"progress": {"filterType": "number", "type": "greaterThan",
                                                         "filter": 20}}})
    assert set(codes(result)) == {"A1.O1.M1", "A1.O1.M2", "A2.O1.M1"} and result["total"] == 3
    # A number typed as text counts as the number.
    assert codes(page(session, {"filterModel": {"progress": {"type": "equals", "filter": "50"}}})) == ["A2.O1.M1"]
    text = page(session, {"filterModel": {"code": {"filterType": "text", "type": "startsWith", "filter": "a2.o1"}}})
    assert codes(text) == ["A2.O1.M1", "A2.O1.M2"]
    either = {"code": {"operator": "OR", "conditions": [{"type": "endsWith", "filter": "M2"},
                                                        {"type": "equals", "filter": "A1.O1.M1"}]}}
    assert codes(page(session, {"filterModel": either})) == ["A1.O1.M1", "A1.O1.M2", "A2.O1.M2"]
    # Days since the last update, as the grid shows them, filter on the date.
    age = page(session, {})["rows"][0]["days_since_update"]
    same_age = page(session, {"filterModel": {"age": {"filterType": "number", "type": "equals", "filter": age}}})
    assert all(r["days_since_update"] == age for r in same_age["rows"]) and same_age["total"] >= 1


def test_translated_columns_filter_and_sort_in_the_readers_language(session):
    behind = {"schedule": {"filterType": "text", "type": "contains", "filter": "retard"}}
    assert codes(page(session, {"filterModel": behind}, lang="fr")) == ["A1.O1.M2", "A2.O1.M1"]
    assert codes(page(session, {"filterModel": behind}, lang="en")) == []
    cancelled = {"status": {"filterType": "text", "type": "equals", "filter": "annulé"}}
    assert codes(page(session, {"filterModel": cancelled}, lang="fr")) == ["A2.O1.M2"]
    names = [r["name"] for r in page(session, {"sortModel": [{"colId": "name", "sort": "asc"}]}, lang="ar")["rows"]]
    assert names == sorted(names)
    # Statuses sort by their name in the reader's language, not by their code.
    for lang in ("fr", "en"):
        with using_language(lang):
            names = labels.measure_status()
        shown = [names[r["status"]] for r in page(session, {"sortModel": [{"colId": "status", "sort": "desc"}]},
                                                  lang=lang)["rows"]]
        assert shown == sorted(shown, reverse=True)


@pytest.mark.parametrize("request_value", [
    None, [], "x", 5, {"startRow": -5, "endRow": -1}, {"startRow": "a", "endRow": True},
    {"startRow": 10**30, "endRow": 10**31}, {"startRow": 1e308, "endRow": float("inf")},
    {"startRow": 0, "endRow": 10**9}, {"sortModel": "progress"}, {"sortModel": [{"colId": "nope", "sort": "asc"}]},
    {"sortModel": [{"colId": "code", "sort": "sideways"}, 3, None]}, {"sortModel": [{"colId": ["code"]}]},
    {"filterModel": []}, {"filterModel": {"nope": {"type": "equals", "filter": 1}}},
    {"filterModel": {"progress": {"type": "equals", "filter": "abc"}}},
    {"filterModel": {"progress": {"type": "inRange", "filter": 1, "filterTo": None}}},
    {"filterModel": {"progress": {"type": "drop table", "filter": 1}}},
    {"filterModel": {"age": {"type": "greaterThan", "filter": 10**15}}},
    {"filterModel": {"age": {"type": "inRange", "filter": -10**6, "filterTo": 10**6}}},
    {"filterModel": {"code": {"type": "contains", "filter": "%_'\\"}}},
    {"filterModel": {"code": {"type": "contains", "filter": {"a": 1}}}},
    {"filterModel": {"code": {"operator": "OR", "conditions": "x"}}},
    {"filterModel": {"code": {"operator": "OR", "conditions": [1, None, {"type": "blank"}]}}},
    {"filterModel": {"status": {"type": "contains", "filter": "x" * 100_000}}},
    {"filterModel": {"updated": {"type": "contains", "filter": "2025"}}},
])
def test_any_request_gives_at_most_one_page_without_error(session, request_value):
    result = page(session, request_value)
    assert len(result["rows"]) <= paging.PAGE_ROWS
    assert result["total"] >= len(result["rows"])


def test_a_page_never_holds_more_than_page_rows(session):
    wanted = paging.page_request({"startRow": 0, "endRow": 100_000}, {})
    assert wanted.limit == paging.PAGE_ROWS
    assert paging.page_request({"startRow": "20", "endRow": "30"}, {}).start == 20
    assert paging.page_request({"startRow": -3, "endRow": 5}, {}).start == 0


def test_a_focal_point_and_the_public_see_the_same_public_measures(session):
    assert codes(page(session, {}, actor=FOCAL)) == codes(page(session, {})) == ALL_MEASURES


def test_summary_in_sql_is_summarize(session):
    for filters in ({}, {"axis": "A2"}, {"schedule": "delayed"}, {"lead": "nobody"}):
        rows = queries.measure_rows(session, "en", AS_OF_DATE, FRESHNESS_DAYS, MeasureFilter(**filters))
        expected, got = queries.summarize(rows), queries.measure_summary(session, AS_OF_DATE, MeasureFilter(**filters))
        assert (got.total, got.by_status, got.by_schedule) == (expected.total, expected.by_status, expected.by_schedule)
        assert got.progress == pytest.approx(expected.progress) if expected.progress is not None else got.progress is None


def test_the_tree_one_level_at_a_time(session):
    axes, total = queries.measure_tree_level(session, "en", AS_OF_DATE, MeasureFilter())
    assert [a["code"] for a in axes] == ["A1", "A2"] and total == 2
    assert [a["measures"] for a in axes] == [2, 3]
    objectives, total = queries.measure_tree_level(session, "en", AS_OF_DATE, MeasureFilter(), axis="A2", limit=1)
    assert [o["code"] for o in objectives] == ["A2.O1"] and total == 2
    objectives, _total = queries.measure_tree_level(session, "en", AS_OF_DATE, MeasureFilter(), axis="A2",
                                                    start=1, limit=1)
    assert [o["code"] for o in objectives] == ["A2.O2"]
    delayed, _total = queries.measure_tree_level(session, "en", AS_OF_DATE, MeasureFilter(schedule="delayed"))
    assert [(a["code"], a["measures"]) for a in delayed] == [("A1", 1), ("A2", 1)]


def test_changed_progress_shows_on_the_next_page(session):
    session.execute(update(Measure).where(Measure.code == "A2.O2.M1").values(progress=100))
    assert codes(page(session, {}, schedule="completed")) == ["A1.O1.M1", "A2.O2.M1"]
