"""The indicator pages over HTTP, on the small test plan (tests/fixtures/plan_small.yaml)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from dashboard.app import create_app
from dashboard.db import make_engine, session_scope, upgrade
from dashboard.devtools.testing import DashClient
from dashboard.ingest.loader import load_all
from dashboard.models import Indicator
from helpers import indicator_grid_rows

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "tests" / "fixtures" / "plan_small.yaml"
RESTRICTED = "IND-99"


@pytest.fixture(scope="module")
def app(databases):
    # SQLite, or a schema of its own on PostgreSQL when DASHBOARD_TEST_DATABASE_URL is set.
    url = databases.new()
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        load_all(session, data_dir=ROOT / "data", demo=False, plan_file=PLAN)
        # A restricted indicator, which public pages must not reveal.
        public = session.execute(select(Indicator).filter_by(code="IND-02")).scalar_one()
        session.add(Indicator(
            code=RESTRICTED, objective_id=public.objective_id, name_ar="مؤشر مقيد",
            name_fr="Indicateur restreint", name_en="Restricted indicator", is_public=False,
            disaggregations=[],
        ))
    engine.dispose()
    return create_app({"DATABASE_URL": url, "AS_OF": "2026-06-30"})


def dash_client(app, lang: str) -> DashClient:
    client = app.test_client()
    client.get(f"/?lang={lang}")
    return DashClient(client)


def page_text(dash: DashClient, path: str, search: str = "") -> str:
    response = dash.page(path, search)
    assert response.status_code == 200
    return DashClient.text_of(response.get_json())


def find(node, predicate) -> list[dict]:
    """Props of the components of a serialized tree for which ``predicate(props)`` holds."""
    return [c["props"] for c in DashClient.components(node, lambda c: predicate(c["props"]))]


def grid_codes(row_data: list[dict]) -> list[str]:
    return [row["code"].split("]")[0].lstrip("[") for row in row_data]


@pytest.mark.parametrize("lang, names", [
    ("fr", ["Victimes identifiées", "Personnes formées"]),
    ("ar", ["عدد الضحايا", "عدد المستفيدين"]),
])
def test_list_renders(app, lang, names):
    dash = dash_client(app, lang)
    text = page_text(dash, "/indicators") + " ".join(row["name"] for row in indicator_grid_rows(dash))
    for name in names:
        assert name in text
    assert RESTRICTED not in text


def test_list_takes_filters_from_the_url(app):
    dash = dash_client(app, "fr")
    response = dash.page("/indicators", "?type=output")
    selects = find(response.get_json(), lambda p: p.get("id") == "indicators-type")
    assert selects[0]["value"] == "output"
    assert grid_codes(indicator_grid_rows(dash, type=selects[0]["value"])) == ["IND-02"]


@pytest.mark.parametrize("filters, expected", [
    ({"type": "impact"}, ["IND-01"]),
    ({"responsible": "CNCLTEH"}, ["IND-02"]),
    ({"axis": "A1"}, ["IND-01", "IND-02"]),
    ({"axis": "A2"}, []),
    ({}, ["IND-01", "IND-02"]),
])
def test_filter_callback(app, filters, expected):
    dash = dash_client(app, "fr")
    values = {f"indicators-{key}.value": filters.get(key, "") for key in ("axis", "type", "responsible")}
    response = dash.call("indicators-kpis.children", values)
    assert response.status_code == 200
    assert DashClient.find(response.get_json()["response"]["indicators-grid-box"], "indicators-grid")  # a new grid
    rows = indicator_grid_rows(dash, **filters)
    assert grid_codes(rows) == expected
    if expected == ["IND-01"]:
        row = rows[0]
        assert row["latest"] == "140 (2024)" and row["target"] == "150"
        assert row["achievement"] == 80 and row["data"] == "Publiées"


def test_indicator_page_shows_its_values(app):
    text = page_text(dash_client(app, "fr"), "/indicators/IND-01")
    assert "Victimes identifiées" in text
    for value in ("100 (2022)", "120", "140", "150", "200", "80", "Rapport"):  # the source, in the page language
        assert value in text
    response = dash_client(app, "fr").page("/indicators/IND-01")
    links = [p.get("href") for p in find(response.get_json(), lambda p: "href" in p)]
    assert "/entities/PMP" in links and "/axes/A1" in links


def _breakdown_payloads(app) -> list:
    """The IND-01 page and its breakdown callback for 2024, as parsed JSON."""
    dash = dash_client(app, "fr")
    page = dash.page("/indicators/IND-01")
    update = dash.call("indicator-breakdowns.children",
                       {"indicator-breakdown-year.value": "2024"},
                       state={"indicator-code.data": "IND-01"})
    assert page.status_code == update.status_code == 200
    return [page.get_json(), update.get_json()]


def test_small_breakdown_cells_are_suppressed(app):
    # 2024: moroccan 138, foreign 2, total 140 (shown in the trend and the yearly table).
    for payload in _breakdown_payloads(app):
        raw = json.dumps(payload, ensure_ascii=False)
        assert "138" not in raw
        figures = find(payload, lambda p: isinstance(p.get("id"), dict)
                       and p["id"].get("dimension") == "nationality")
        assert len(figures) == 1
        bars = figures[0]["figure"]["data"][0]
        assert "<5" in bars["text"]
        shown = [x for x in bars["x"] if x]
        # Neither the small cell nor the other one (140 - 2) can be read or worked out.
        assert shown == []
        for text in bars["text"] + bars["hovertext"]:
            assert "2" not in text and "138" not in text
        assert "<5" in DashClient.text_of(payload)


def test_indicator_without_values_renders(app):
    text = page_text(dash_client(app, "fr"), "/indicators/IND-02")
    assert "Personnes formées" in text


@pytest.mark.parametrize("code", ["NOPE", RESTRICTED])
def test_unknown_or_restricted_code_is_not_found(app, code):
    response = dash_client(app, "fr").page(f"/indicators/{code}")
    assert response.status_code == 200
    payload = response.get_json()
    assert find(payload, lambda p: p.get("id") == "not-found")
    assert "Indicateur restreint" not in json.dumps(payload, ensure_ascii=False)


def test_breakdown_callback_refuses_a_restricted_code(app):
    response = dash_client(app, "fr").call(
        "indicator-breakdowns.children",
        {"indicator-breakdown-year.value": "2024"},
        state={"indicator-code.data": RESTRICTED},
    )
    assert response.status_code == 200
    assert not find(response.get_json(), lambda p: "figure" in p)


@pytest.mark.parametrize("value", ["%00", "a%00b", "9" * 400, "x" * 5000, "%ff%fe", "%3Cscript%3E", "[1]", ""])
def test_the_exports_answer_any_query(app, value):
    client = app.test_client()
    everything = client.get("/indicators/export.json").get_json()["indicators"]
    for path in ("/indicators/export.json", "/indicators/export.csv", "/indicators/export.xlsx",
                 "/statistics/export/all.csv", "/statistics/export/regions.xlsx", "/statistics/export/all.json"):
        response = client.get(f"{path}?axis={value}&type={value}&responsible={value}&publisher={value}"
                              f"&year={value}&series={value}&axis={value}")
        assert response.status_code == 200, (path, value, response.status_code)
    # A value that cannot be a code is ignored: the whole table, as without a filter.
    answer = client.get(f"/indicators/export.json?axis={value}&responsible={value}").get_json()["indicators"]
    assert answer == everything
