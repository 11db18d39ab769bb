"""A sensitive semiannual indicator: its half-years and its year are one table.

IND-77 (public, sensitive, semiannual, reported by PMP) has 2026-S1 = 40, 2026-S2 = 3 and
2026 = 43, all approved; by sex, 2026: 20 men and 23 women, 2026-S1: 20 and 20 (so
2026-S2: 0 men, 3 women). 2025 has only its first half-year: 2. Before the fix the page
showed 43, 40 and "<5", the 3 a subtraction away. Every text, chart value, hover and grid
cell an anonymous visitor gets is scraped here.
"""
from __future__ import annotations

import itertools
import re

import pytest
from sqlalchemy import select

from dashboard.app import create_app
from dashboard.db import make_engine, session_scope, upgrade
from dashboard.devtools.testing import DashClient
from dashboard.errors import Forbidden
from dashboard.models import Entity, Indicator, IndicatorTarget, IndicatorValue
from dashboard.national.disclosure import HIDDEN, SMALL, release_periods
from dashboard.permissions import PUBLIC
from dashboard.plan import indicator_values, queries
from dashboard.plan.rollups import refresh_indicator_latest
from helpers import AS_OF, AS_OF_DATE, actor_of, indicator_grid_rows, log_in_as, seed

CODE = "IND-77"
VALUES = [("2026", "", 43), ("2026-S1", "", 40), ("2026-S2", "", 3),
          ("2026", "sex=male", 20), ("2026", "sex=female", 23),
          ("2026-S1", "sex=male", 20), ("2026-S1", "sex=female", 20),
          ("2025-S1", "", 2)]
NUMBER = re.compile(r"(?<![\w.,:/-])(\d+(?:[.,]\d+)?)(?![\w.,%:/-])")


@pytest.fixture(scope="module")
def periods_app(databases):
    url = databases.new()
    upgrade(url)
    seed(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        other = session.scalar(select(Indicator).filter_by(code="IND-01"))
        pmp = session.scalar(select(Entity.id).where(Entity.acronym == "PMP"))
        indicator = Indicator(
            code=CODE, objective_id=other.objective_id, position=99, name_ar="ضحايا نصف سنوي",
            name_fr="Victimes par semestre", name_en="Victims by half-year", unit="number",
            frequency="semiannual", responsible_entity_id=pmp, disaggregations=["sex"],
            is_public=True, is_sensitive=True, baseline_value=10, baseline_year=2022,
        )
        session.add(indicator)
        session.flush()
        session.add_all([IndicatorTarget(indicator_id=indicator.id, year=2025, value=30),
                         IndicatorTarget(indicator_id=indicator.id, year=2026, value=60)])
        for period, breakdown, value in VALUES:
            cells = dict(part.split("=") for part in breakdown.split(";") if part)
            session.add(IndicatorValue(indicator_id=indicator.id, period=period, year=int(period[:4]),
                                       value=value, breakdown=breakdown, sex=cells.get("sex"),
                                       source_en="Register", source_fr="Registre", source_ar="سجل"))
        session.flush()
        refresh_indicator_latest(session, [indicator.id])
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "AS_OF": AS_OF, "TESTING": True})
    yield app
    app.extensions["db_engine"].dispose()
    databases.drop(url)


def dash_as(app, key: str | None) -> DashClient:
    client = log_in_as(app.test_client(), key)
    client.get("/?lang=en")
    return DashClient(client)


def visible_text(node) -> list[str]:
    """Texts of a serialized tree (children, labels, titles, options), charts and grids aside."""
    parts: list[str] = []
    if isinstance(node, str):
        parts.append(node)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        parts.append(str(node))
    elif isinstance(node, list):
        for child in node:
            parts += visible_text(child)
    elif isinstance(node, dict):
        if isinstance(node.get("props"), dict):
            props = node["props"]
            parts += visible_text(props.get("children"))
            for key in ("label", "title", "aria-label", "options", "value", "placeholder"):
                if key in props:
                    parts += visible_text(props[key])
        else:
            for value in node.values():
                parts += visible_text(value)
    return parts


def scrape(payload) -> tuple[str, list[float]]:
    """Every visible text, and every number in texts, chart values, hovers and grid cells."""
    text = " ".join(visible_text(payload))
    numbers: list[float] = []
    pieces = [text]
    for graph in DashClient.components(payload, lambda n: "figure" in n.get("props", {})):
        for trace in graph["props"]["figure"].get("data", []):
            for field in ("x", "y", "text", "hovertext", "customdata"):
                for item in trace.get(field) or []:
                    if isinstance(item, (int, float)) and not isinstance(item, bool):
                        numbers.append(float(item))
                    elif item is not None:
                        pieces.append(str(item))
    for grid in DashClient.components(payload, lambda n: "rowData" in n.get("props", {})):
        for row in grid["props"]["rowData"] or []:
            for value in row.values():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    numbers.append(float(value))
                else:
                    pieces.append(str(value))
    for piece in pieces:
        cleaned = re.sub(r"<br>|</?b>|<5", " ", piece)
        numbers += [float(n.replace(",", ".")) for n in NUMBER.findall(cleaned)]
    return text, numbers


def scraped_numbers(dash: DashClient) -> set[float]:
    """The numbers of the indicator's page, its breakdown callback, and its rows of the
    list's grid (page and filter callback)."""
    page = dash.page(f"/indicators/{CODE}")
    update = dash.call("indicator-breakdowns.children", {"indicator-breakdown-year.value": "2026"},
                       state={"indicator-code.data": CODE})
    listing = dash.page("/indicators")
    assert [r.status_code for r in (page, update, listing)] == [200] * 3
    numbers = set(scrape(page.get_json())[1]) | set(scrape(update.get_json())[1])
    mine = [row for row in indicator_grid_rows(dash) if CODE in row["code"]]
    assert len(mine) == 1
    for row in mine:
        numbers |= set(scrape({"props": {"rowData": [{k: v for k, v in row.items() if k != "code"}]}})[1])
    # The table's exports hold the same values as the table.
    exported = [row for row in dash.client.get("/indicators/export.json").get_json()["indicators"]
                if row["code"] == CODE]
    assert len(exported) == 1
    numbers |= {float(v) for k, v in exported[0].items()
                if isinstance(v, int | float) and not isinstance(v, bool) and k not in ("days_since_update",)}
    return numbers


@pytest.mark.parametrize("key", [None, "focal_mj"])
def test_no_shown_figure_gives_the_small_half_year_away(periods_app, key):
    numbers = scraped_numbers(dash_as(periods_app, key))
    assert 43 in numbers  # the year's total is the headline figure
    assert 3 not in numbers and 2 not in numbers
    # No two figures of the indicator leave 3 (43 - 40, 23 - 20) or give 2025's 2.
    assert 40 not in numbers, "2026-S1 = 40 gives 2026-S2 = 43 - 40"
    assert not {20, 23} <= numbers, sorted(numbers)
    page = dash_as(periods_app, key).page(f"/indicators/{CODE}").get_json()
    text = DashClient.text_of(page)
    assert "2026-S2 <5" in text and "2026-S1 –" in text and "2025-S1 <5" in text


def test_the_trend_chart_has_no_point_for_a_hidden_half_year(periods_app):
    page = dash_as(periods_app, None).page(f"/indicators/{CODE}").get_json()
    [trend] = [g["props"]["figure"] for g in DashClient.components(
        page, lambda n: n.get("props", {}).get("id") == "indicator-trend")]
    points = {}
    for trace in trend["data"]:
        for x, y in zip(trace.get("x") or [], trace.get("y") or []):
            points.setdefault(str(x), set()).add(y)
    assert 43 in points["2026"]  # (with the target, 60)
    assert not ({40, 3, 2} & set(itertools.chain.from_iterable(points.values())))


def test_a_hidden_value_hides_its_achievement(periods_app):
    with periods_app.app_context():
        session = periods_app.extensions["db_sessionmaker"]()
        indicator = session.scalar(select(Indicator).filter_by(code=CODE))
        values = indicator_values.released_values(session, PUBLIC, indicator, "en")
        rows = {row.year: row for row in values.year_rows(indicator)}
        # 2025: 2 of a target of 30 from a baseline of 10 would give the 2 back.
        assert rows[2025].point.status == SMALL and rows[2025].achievement is None
        assert rows[2026].point.value == 43 and rows[2026].achievement.ratio == pytest.approx(33 / 50)
        exact = indicator_values.released_values(session, actor_of(session, "committee"), indicator, "en")
        assert {p.period: p.value for p in exact.points} == {"2025-S1": 2, "2026": 43, "2026-S1": 40,
                                                             "2026-S2": 3}
        session.close()


@pytest.mark.parametrize("key", ["committee", "focal_pmp"])
def test_exact_readers_still_see_the_three(periods_app, key):
    dash = dash_as(periods_app, key)
    page = dash.page(f"/indicators/{CODE}").get_json()
    text = DashClient.text_of(page)
    assert "2026-S2 3" in text and "2026-S1 40" in text and "Exact figures" in text
    bars = [g["props"]["figure"]["data"][0] for g in DashClient.components(
        page, lambda n: n.get("props", {}).get("id") == {"type": "indicator-breakdown", "dimension": "sex"})]
    assert sorted(x for x in bars[0]["x"] if x) == [20, 23]


def test_the_service_refuses_an_indicator_the_reader_may_not_read(periods_app):
    with periods_app.app_context():
        session = periods_app.extensions["db_sessionmaker"]()
        restricted = session.scalar(select(Indicator).filter_by(code=CODE))
        restricted.is_public = False
        with pytest.raises(Forbidden):
            indicator_values.released_values(session, PUBLIC, restricted, "en")
        session.rollback()
        session.close()


def test_list_rows_use_the_same_gate(periods_app):
    with periods_app.app_context():
        session = periods_app.extensions["db_sessionmaker"]()
        for key, hidden in ((None, False), ("committee", False)):
            rows = {r["code"]: r for r in queries.indicator_rows(session, "en", AS_OF_DATE, 90,
                                                                  actor=actor_of(session, key))}
            assert rows[CODE]["latest_value"] == 43 and rows[CODE]["latest_hidden"] is hidden
        # A latest count that is small: hidden with its achievement, except for exact readers.
        indicator = session.scalar(select(Indicator).filter_by(code=CODE))
        indicator.latest_value, indicator.latest_period, indicator.latest_year = 3, "2026-S2", 2026
        session.flush()
        public = {r["code"]: r for r in queries.indicator_rows(session, "en", AS_OF_DATE, 90)}[CODE]
        assert public["latest_value"] is None and public["latest_hidden"] and public["achievement"] is None
        focal = {r["code"]: r for r in queries.indicator_rows(
            session, "en", AS_OF_DATE, 90, actor=actor_of(session, "focal_pmp"))}[CODE]
        assert focal["latest_value"] == 3 and focal["achievement"] is not None
        session.rollback()
        session.close()


# --- the latest total is a headline: released alone as the whole release would -------------


@pytest.mark.parametrize("tables", [
    {"2026": {"": 43}, "2026-S1": {"": 40}, "2026-S2": {"": 3}},
    {"2026-S1": {"": 40}, "2026-S2": {"": 3}},
    {"2026-S1": {"": 4}, "2026-Q3": {"": 30}, "2026-Q4": {"": 2}},
    {"2026-Q1": {"": 7}, "2026-Q2": {"": 1}, "2026": {"": 9, "sex=male": 8, "sex=female": 1}},
    {"2025": {"": 12}, "2026-Q2": {"": 3}},
])
def test_the_latest_total_is_released_as_in_its_whole_table(tables):
    """``released_latest`` checks the latest total alone; the period the refresh picks
    (the annual figure, else the latest sub-annual one) is never inside another published
    period, so the whole release treats it the same way."""
    latest_year = max(int(p[:4]) for p in tables)
    periods = sorted((p for p in tables if int(p[:4]) == latest_year), key=lambda p: (len(p), p), reverse=False)
    annual = str(latest_year)
    latest = annual if annual in tables else max(p for p in periods if p != annual)
    whole = release_periods(tables, threshold=5, exhaustive=indicator_values.EXHAUSTIVE)
    alone = indicator_values.released_latest(tables[latest][""], False, 5)
    assert alone == whole[latest].cells[""]
    assert whole[latest].status("") != HIDDEN
