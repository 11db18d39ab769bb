"""The implementation-plan timeline (/implementation) over HTTP, on the small test plan.

At the fixed as-of date 2026-11-22 the fixture's measures stand as follows:
A1.O1.M1 (CNCLTEH) completed; A1.O1.M2 (MJ) behind schedule but not yet at its end;
A2.O1.M1 (MSISF) ended 2024-06-30 at 50 %: the only overdue one; A2.O1.M2 (MSISF)
cancelled; A2.O2.M1 (PMP) starts in December 2026: not yet due.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard.app import create_app
from dashboard.devtools.testing import DashClient
from dashboard.i18n import fmt_number
from layouts.parts import implementation as implementation_parts

AS_OF = dt.date(2026, 11, 22)
NO_FILTERS = {"impl-lead.value": "", "impl-axis.value": "", "impl-year.value": "",
              "impl-schedule.value": "", "impl-overdue.value": False}


@pytest.fixture(scope="module")
def impl_app(seeded_url):
    """The app on the session's database, loaded with tests/fixtures/plan_small.yaml."""
    app = create_app({"DATABASE_URL": seeded_url, "AS_OF": AS_OF.isoformat()})
    yield app
    app.extensions["db_engine"].dispose()




def page(dash: DashClient, search: str = ""):
    response = dash.page("/implementation", search)
    assert response.status_code == 200
    return response.get_json()["response"]["_pages_content"]["children"]


def update(dash: DashClient, **changes) -> dict:
    inputs = dict(NO_FILTERS)
    inputs.update({f"impl-{key}.value": value for key, value in changes.items()})
    response = dash.call("impl-kpis.children", inputs, changed=[f"impl-{k}.value" for k in changes])
    assert response.status_code == 200
    return response.get_json()["response"]


def overdue_page(dash: DashClient, request: object = None, **changes) -> dict:
    """The overdue grid's answer to a page request, with the filters in ``changes``."""
    state = dict(NO_FILTERS)
    state.update({f"impl-{key}.value": value for key, value in changes.items()})
    request = {"startRow": 0, "endRow": 20, "sortModel": [{"colId": "days", "sort": "desc"}]} \
        if request is None else request
    response = dash.call("impl-overdue-grid.getRowsResponse", {"impl-overdue-grid.getRowsRequest": request}, state)
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    return response.get_json()["response"]["impl-overdue-grid"]["getRowsResponse"]


def gantt_codes(tree) -> list[str]:
    """Measure codes on the timeline's rows, top to bottom (labels are "LEAD · CODE")."""
    figure = DashClient.find(tree, "impl-gantt")["figure"]
    rows = figure["layout"]["yaxis"].get("categoryarray") or []
    return [label.strip("\u2067\u2069").split(" · ")[1] for label in rows]


def grid_codes(rows: list[dict]) -> list[str]:
    return [row["code"].split("]")[0].lstrip("[") for row in rows]


@pytest.mark.parametrize("lang,name", [("fr", "Centre d'hébergement"), ("ar", "مركز إيواء")])
def test_page_renders_in_each_language(impl_app, lang, name):
    tree = page(DashClient.in_language(impl_app, lang))
    text = DashClient.text_of(tree)
    assert name in text  # measure names come in the page language
    assert DashClient.find(tree, "impl-kpi-measures") is not None
    kpi_text = DashClient.text_of(DashClient.find(tree, "impl-kpi-overdue")["children"])
    assert fmt_number(1, lang) in kpi_text
    # Timeline sorted by lead entity, then planned start.
    assert gantt_codes(tree) == ["A1.O1.M1", "A1.O1.M2", "A2.O1.M1", "A2.O1.M2", "A2.O2.M1"]
    overdue = DashClient.find(tree, "impl-overdue-grid")
    assert overdue["rowModelType"] == "infinite" and "rowData" not in overdue  # rows come a page at a time
    assert grid_codes(overdue_page(DashClient.in_language(impl_app, lang))["rowData"]) == ["A2.O1.M1"]
    assert overdue["dashGridOptions"]["enableRtl"] is (lang == "ar")


def test_overdue_row_details(impl_app):
    answer = overdue_page(DashClient.in_language(impl_app, "fr"))
    assert answer["rowCount"] == 1
    (row,) = answer["rowData"]
    assert row["code"] == "[A2.O1.M1](/measures/A2.O1.M1)"
    assert row["lead"] == "[MSISF](/entities/MSISF)"
    assert row["end"] == "2024-06-30"
    assert row["days"] == (AS_OF - dt.date(2024, 6, 30)).days
    assert row["progress"] == 50


def test_overdue_only_returns_the_overdue_measure(impl_app):
    outputs = update(DashClient.in_language(impl_app, "fr"), overdue=True)
    assert gantt_codes(outputs["impl-timeline"]["children"]) == ["A2.O1.M1"]
    assert grid_codes(overdue_page(DashClient.in_language(impl_app, "fr"), overdue=True)["rowData"]) == ["A2.O1.M1"]
    assert outputs["impl-overdue-box"]["children"]["props"]["rowModelType"] == "infinite"
    comparison = DashClient.find(outputs["impl-comparison"]["children"], "impl-comparison-chart")["figure"]
    assert [y.strip("\u2067\u2069") for y in comparison["data"][0]["y"]] == ["MSISF"]


@pytest.mark.parametrize("changes,expected", [
    ({"lead": "MJ"}, ["A1.O1.M2"]),
    ({"axis": "A2"}, ["A2.O1.M1", "A2.O1.M2", "A2.O2.M1"]),
    ({"year": "2026"}, ["A1.O1.M2", "A2.O2.M1"]),
    ({"schedule": "not_yet_due"}, ["A2.O2.M1"]),
    ({"schedule": "delayed"}, ["A1.O1.M2", "A2.O1.M1"]),
    ({"lead": "MJ", "overdue": True}, []),
])
def test_filters(impl_app, changes, expected):
    outputs = update(DashClient.in_language(impl_app, "fr"), **changes)
    timeline = outputs["impl-timeline"]["children"]
    if expected:
        assert gantt_codes(timeline) == expected
    else:
        assert DashClient.find(timeline, "impl-gantt")["figure"]["data"] == []  # the "no measures" figure
        assert overdue_page(DashClient.in_language(impl_app, "fr"), **changes) == {"rowData": [], "rowCount": 0}


def test_expected_against_actual_progress(impl_app):
    outputs = update(DashClient.in_language(impl_app, "en"))
    figure = DashClient.find(outputs["impl-comparison"]["children"], "impl-comparison-chart")["figure"]
    expected, actual = figure["data"]
    by_lead = dict(zip(actual["y"], zip(expected["x"], actual["x"])))
    # MSISF's window is over (100 % expected); its cancelled measure is left out, so the
    # reported progress is that of the shelter alone.
    assert by_lead["MSISF"] == (100, 50)
    assert by_lead["CNCLTEH"] == (100, 100)
    assert by_lead["PMP"] == (0, 0)


def test_filters_come_from_the_url(impl_app):
    tree = page(DashClient.in_language(impl_app, "fr"), "?lead=MSISF&overdue=1&year=1999&schedule=bogus")
    assert DashClient.find(tree, "impl-lead")["value"] == "MSISF"
    assert DashClient.find(tree, "impl-overdue")["value"] is True
    assert DashClient.find(tree, "impl-year")["value"] == ""  # unknown values are ignored
    assert DashClient.find(tree, "impl-schedule")["value"] == ""
    assert gantt_codes(tree) == ["A2.O1.M1"]


def test_filters_update_the_address_bar(impl_app):
    dash = DashClient.in_language(impl_app, "fr")
    clientside = [
        dep for dep in dash.dependencies
        if dep.get("clientside_function") and any(i["id"] == "impl-overdue" for i in dep["inputs"])
    ]
    assert len(clientside) == 1
    assert "lang-fr.href" in clientside[0]["output"]


@pytest.mark.parametrize("request_value", [
    {}, {"startRow": -1, "endRow": 10**12}, {"sortModel": [{"colId": "days", "sort": 1}], "filterModel": 3},
    {"filterModel": {"days": {"type": "greaterThan", "filter": "1e400"}, "nope": {}}},
])
def test_overdue_grid_answers_any_request_with_a_page(impl_app, request_value):
    answer = overdue_page(DashClient.in_language(impl_app, "en"), request_value)
    assert grid_codes(answer["rowData"]) == ["A2.O1.M1"] and answer["rowCount"] == 1


def test_overdue_grid_filters_on_days_overdue_and_status_in_the_readers_language(impl_app):
    days = (AS_OF - dt.date(2024, 6, 30)).days
    dash = DashClient.in_language(impl_app, "fr")
    more = {"filterModel": {"days": {"filterType": "number", "type": "greaterThan", "filter": days}}}
    assert overdue_page(dash, more)["rowCount"] == 0
    exact = {"filterModel": {"days": {"filterType": "number", "type": "equals", "filter": days}}}
    assert overdue_page(dash, exact)["rowCount"] == 1
    status = overdue_page(dash)["rowData"][0]["status"]
    named = {"filterModel": {"status": {"filterType": "text", "type": "equals", "filter": status}}}
    assert overdue_page(dash, named)["rowCount"] == 1


def test_the_timeline_draws_a_page_of_measures_at_a_time(impl_app, monkeypatch):
    dash = DashClient.in_language(impl_app, "en")
    every = gantt_codes(update(dash, lead="")["impl-timeline"]["children"])
    assert len(every) >= 3
    monkeypatch.setattr(implementation_parts, "TIMELINE_PAGE", 2)
    first = update(dash, lead="")["impl-timeline"]["children"]
    assert gantt_codes(first) == every[:2]
    assert "Timeline of %s measures" % len(every) in DashClient.text_of(first)  # described whole
    seen = []
    for number in range(-(-len(every) // 2)):
        button = {"page": number, "type": "impl-timeline-page"}
        payload = {"output": "impl-timeline.children@" + next(
                       d["output"].split("@")[1] for d in dash.dependencies if d["output"].startswith("impl-timeline.")),
                   "outputs": {"id": "impl-timeline", "property": "children"},
                   "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
                   "state": [{"id": key.split(".")[0], "property": "value", "value": value}
                             for key, value in NO_FILTERS.items()],
                   "changedPropIds": [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"]}
        response = dash.client.post("/_dash-update-component", data=json.dumps(payload),
                                    content_type="application/json", headers={"X-CSRFToken": dash.csrf_token()})
        assert response.status_code == 200, response.data[:300]
        seen += gantt_codes(response.get_json()["response"]["impl-timeline"]["children"])
    assert seen == every
