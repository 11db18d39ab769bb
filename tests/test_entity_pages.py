"""The entity pages (/entities and /entities/<acronym>) over HTTP, on the small test plan.

In the fixture MSISF leads two measures: the shelter (A2.O1.M1, 50 %, weight 3, overdue)
and a cancelled one (A2.O1.M2), which must not count in its progress. IOM leads nothing
and supports A1.O1.M1; PMP is responsible for the public indicator IND-01.
"""
from __future__ import annotations

import json

import dash
import pytest
from flask_babel import gettext

from dashboard.app import create_app
from dashboard.devtools.testing import DashClient
from dashboard.i18n import fmt_percent
from helpers import kpi_value


@pytest.fixture(scope="module")
def entity_app(seeded_url):
    """The app on the session's database, loaded with tests/fixtures/plan_small.yaml."""
    app = create_app({"DATABASE_URL": seeded_url, "AS_OF": "2026-11-22"})
    yield app
    app.extensions["db_engine"].dispose()




def page(dash: DashClient, path: str, search: str = ""):
    response = dash.page(path, search)
    assert response.status_code == 200
    return response.get_json()["response"]["_pages_content"]["children"]


def translated(app, lang: str, text: str) -> str:
    with app.test_request_context(f"/?lang={lang}"):
        return gettext(text)


def codes(rows: list[dict], key: str) -> list[str]:
    """Codes out of the grids' markdown links, ``[CODE](/path)``."""
    return [row[key].split("]")[0].lstrip("[") for row in rows]


# --- /entities --------------------------------------------------------------------------


@pytest.mark.parametrize("lang,name", [
    ("fr", "Ministère de la Solidarité, de l'Insertion sociale et de la Famille"),
    ("ar", "المنظمة الدولية للهجرة"),
])
def test_list_renders_in_each_language(entity_app, lang, name):
    tree = page(DashClient.in_language(entity_app, lang), "/entities")
    grid = DashClient.find(tree, "entities-grid")
    assert name in [row["name"] for row in grid["rowData"]]
    assert grid["dashGridOptions"]["enableRtl"] is (lang == "ar")
    rows = {code: row for code, row in zip(codes(grid["rowData"], "acronym"), grid["rowData"])}
    assert rows["MSISF"]["acronym"] == "[MSISF](/entities/MSISF)"
    assert rows["MSISF"]["measures"] == 2
    assert rows["MSISF"]["progress"] == 50  # the cancelled measure is left out
    assert rows["MSISF"]["on_time"] == 0
    assert rows["MSISF"]["member"] == translated(entity_app, lang, "Yes")
    assert rows["IOM"]["measures"] == 0 and rows["IOM"]["progress"] is None
    assert rows["CNCLTEH"]["member"] == translated(entity_app, lang, "No")


def test_list_filters_by_kind(entity_app):
    dash = DashClient.in_language(entity_app, "fr")
    judicial = DashClient.find(page(dash, "/entities", "?kind=judicial"), "entities-grid")["rowData"]
    assert codes(judicial, "acronym") == ["CSPJ", "PMP"]
    assert {row["kind"] for row in judicial} == {translated(entity_app, "fr", "Judicial authority")}
    everyone = DashClient.find(page(dash, "/entities", "?kind=bogus"), "entities-grid")["rowData"]
    assert len(everyone) > len(judicial)


# --- /entities/<acronym> ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_scorecard_of_msisf(entity_app, lang):
    dash = DashClient.in_language(entity_app, lang)
    tree = page(dash, "/entities/MSISF")
    assert DashClient.find(tree, "entity-led-grid")["rowModelType"] == "infinite"
    led = dash.grid_rows("entity-led-grid", {"_pages_location.pathname": "/entities/MSISF"})
    assert codes(led, "code") == ["A2.O1.M1", "A2.O1.M2"]
    progress = DashClient.text_of(DashClient.find(tree, "entity-kpi-progress")["children"])
    assert fmt_percent(50, lang) in progress  # 37.5 % if the cancelled one counted
    assert kpi_value(DashClient.find(tree, "entity-kpi-measures")) == "2"
    donut = DashClient.find(tree, "entity-schedule")["figure"]["data"][0]
    assert donut["values"] == [1]  # the cancelled measure has no schedule status
    assert DashClient.find(tree, "entity-leads-nothing") is None


def test_entity_leading_nothing(entity_app):
    dash = DashClient.in_language(entity_app, "fr")
    tree = page(dash, "/entities/IOM")
    assert DashClient.find(tree, "entity-leads-nothing") is not None
    assert DashClient.find(tree, "entity-schedule") is None and DashClient.find(tree, "entity-led-grid") is None
    assert DashClient.find(tree, "entity-supported-grid")
    supported = dash.grid_rows("entity-supported-grid", {"_pages_location.pathname": "/entities/IOM"})
    assert codes(supported, "code") == ["A1.O1.M1"]


def test_indicators_it_reports(entity_app):
    tree = page(DashClient.in_language(entity_app, "en"), "/entities/PMP")
    text = DashClient.text_of(DashClient.find(tree, "entity-indicators"))
    assert "IND-01" in text and "Victims identified" in text
    assert "IND-02" not in text  # CNCLTEH's, not PMP's


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_unknown_acronym(entity_app, lang):
    tree = page(DashClient.in_language(entity_app, lang), "/entities/XYZ")
    not_found = DashClient.find(tree, "not-found")
    assert not_found is not None
    text = DashClient.text_of(not_found["children"])
    assert translated(entity_app, lang, "There is no entity with this acronym.") in text
    assert '"href": "/entities"' in json.dumps(not_found)


def test_the_measure_tables_answer_for_the_address_only(entity_app):
    dash = DashClient.in_language(entity_app, "fr")
    axis = dash.grid_rows("axis-measures", {"_pages_location.pathname": "/axes/A2"})
    assert codes(axis, "code") and all(code.startswith("A2.") for code in codes(axis, "code"))
    for pathname in ("/axes/ZZ", "/entities/", "/plan", "/entities/MSISF/../IOM"):
        for grid in ("axis-measures", "entity-led-grid"):
            assert dash.grid_rows(grid, {"_pages_location.pathname": pathname}) == [], (grid, pathname)


def test_long_lists_are_cut_with_a_link_to_the_paged_view(make_app, monkeypatch):
    app = make_app(PAGE_CACHE=False)
    axis_page = next(p for p in dash.page_registry.values() if p["module"].endswith("layouts.axis"))
    monkeypatch.setitem(axis_page["layout"].__globals__, "LIST_PAGE", 1)
    client = DashClient.in_language(app, "en")
    axis = page(client, "/axes/A2")
    links = [c["props"]["href"] for c in DashClient.components(axis, lambda c: "more-link" in c["props"].get(
        "className", "")) for c in DashClient.components(c, lambda n: n["type"] == "Link")]
    assert "/plan?axis=A2" in links
    objectives = DashClient.components(axis, lambda c: "list-group-item" in c["props"].get("className", "")
                                       and "O" in DashClient.text_of(c)[:8])
    assert len(objectives) == 1
