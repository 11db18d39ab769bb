"""/plan's callbacks: the filters drive the summary and the grid, the grid asks for one
page at a time, the tree loads when opened and one axis's objectives at a time."""
from __future__ import annotations

import json
import re

import pytest
from flask_babel import gettext

from dashboard import paging
from dashboard.devtools.testing import DashClient

FILTER_KEYS = ("axis", "lead", "status", "schedule", "year")
NO_FILTER = {f"plan-{key}.value": "" for key in FILTER_KEYS}
ALL_MEASURES = ["A1.O1.M1", "A1.O1.M2", "A2.O1.M1", "A2.O1.M2", "A2.O2.M1"]


def translated(app, lang: str, text: str) -> str:
    with app.test_request_context(f"/?lang={lang}"):
        return gettext(text)


def outputs_of(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_json()["response"]


def plan_callback(dash_client: DashClient, opened: int = 1, **filters: str) -> dict:
    inputs = {**NO_FILTER, **{f"plan-{key}.value": value for key, value in filters.items()},
              "plan-tree-open.n_clicks": opened}
    return outputs_of(dash_client.call("plan-tree.children", inputs, changed=["plan-axis.value"]))


def grid_rows(dash_client: DashClient, request: object = None, **filters: str) -> dict:
    state = {**NO_FILTER, **{f"plan-{key}.value": value for key, value in filters.items()}}
    request = {"startRow": 0, "endRow": 25} if request is None else request
    response = dash_client.call("plan-grid.getRowsResponse", {"plan-grid.getRowsRequest": request}, state)
    return outputs_of(response)["plan-grid"]["getRowsResponse"]


def grid_codes(page: dict) -> list[str]:
    return [re.match(r"\[([^\]]+)\]", row["code"]).group(1) for row in page["rowData"]]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param({}, ALL_MEASURES, id="none"),
        pytest.param({"axis": "A1"}, ["A1.O1.M1", "A1.O1.M2"], id="axis"),
        pytest.param({"lead": "MSISF"}, ["A2.O1.M1", "A2.O1.M2"], id="lead"),
        pytest.param({"status": "completed"}, ["A1.O1.M1"], id="status"),
        pytest.param({"schedule": "delayed"}, ["A1.O1.M2", "A2.O1.M1"], id="schedule"),
        pytest.param({"year": "2026"}, ["A1.O1.M2", "A2.O2.M1"], id="year"),
        pytest.param({"axis": "A2", "year": "2024"}, ["A2.O1.M1", "A2.O1.M2"], id="axis-and-year"),
    ],
)
def test_plan_filters(client, dash_client, filters, expected):
    client.get("/?lang=en")
    page = grid_rows(dash_client, **filters)
    assert grid_codes(page) == expected and page["rowCount"] == len(expected)
    outputs = plan_callback(dash_client, **filters)
    axes = {code.split(".")[0] for code in expected}
    tree_text = DashClient.text_of(outputs["plan-tree"]["children"])
    for axis in axes:
        assert f"{axis} · " in tree_text
    assert outputs["plan-summary"]["children"].startswith(f"{len(expected)} measures")
    # A new grid (no rows of its own): it asks for its first page with the new filters.
    grid = outputs["plan-grid-box"]["children"]
    assert grid["props"]["rowModelType"] == "infinite" and "rowData" not in grid["props"]


def test_the_grid_sends_one_page_sorted_and_filtered(client, dash_client):
    client.get("/?lang=fr")
    page = grid_rows(dash_client, {"startRow": 1, "endRow": 3, "sortModel": [{"colId": "progress", "sort": "desc"}]})
    assert page["rowCount"] == 5 and len(page["rowData"]) == 2
    behind = grid_rows(dash_client, {"startRow": 0, "endRow": 25,
                                     "filterModel": {"schedule": {"filterType": "text", "type": "contains",
                                                                  "filter": "retard"}}})
    assert grid_codes(behind) == ["A1.O1.M2", "A2.O1.M1"]
    assert {row["schedule"] for row in behind["rowData"]} == {translated(client.application, "fr", "Behind schedule")}
    assert behind["rowData"][0]["lead"] == "[MJ](/entities/MJ)"


@pytest.mark.parametrize("request_value", [
    {}, {"startRow": -10, "endRow": 10**9}, {"startRow": "x", "sortModel": {"a": 1}, "filterModel": ["x"]},
    {"sortModel": [{"colId": "__proto__", "sort": "asc"}], "filterModel": {"name": {"type": 1, "filter": []}}},
])
def test_hostile_page_requests_get_a_page(client, dash_client, request_value):
    page = grid_rows(dash_client, request_value)
    assert len(page["rowData"]) <= paging.PAGE_ROWS and page["rowCount"] == 5


def test_a_request_that_is_not_an_object_is_refused_before_the_callback(client, dash_client):
    response = dash_client.call("plan-grid.getRowsResponse", {"plan-grid.getRowsRequest": ["x"]}, NO_FILTER)
    assert response.status_code == 400


def test_the_tree_is_not_built_until_opened(client, dash_client):
    client.get("/?lang=en")
    content = outputs_of(dash_client.page("/plan"))["_pages_content"]["children"]
    assert DashClient.find(content, "plan-tree").get("children") in (None, [])
    grid = DashClient.find(content, "plan-grid")
    assert grid["rowModelType"] == "infinite" and "rowData" not in grid
    assert "5 measures" in json.dumps(content)
    # Filters change while the tree is closed: it stays unbuilt.
    outputs = plan_callback(dash_client, opened=0, axis="A1")
    assert "plan-tree" not in outputs


def test_plan_filter_tree_shows_only_matching_branches(client, dash_client):
    client.get("/?lang=fr")
    outputs = plan_callback(dash_client, lead="PMP")
    tree_text = DashClient.text_of(outputs["plan-tree"]["children"])
    assert "A2 · Protection" in tree_text and "A1" not in tree_text
    objectives = axis_objectives(dash_client, "A2", lead="PMP")
    assert "A2.O2 · Aide juridique" in DashClient.text_of(objectives) and "A2.O1" not in DashClient.text_of(objectives)
    assert grid_rows(dash_client, lead="PMP")["rowData"][0]["name"] == "Aide juridique"


def axis_objectives(dash_client: DashClient, axis: str, page: int | None = None, **filters: str):
    output = next(d["output"] for d in dash_client.dependencies if "plan-tree-objectives" in d["output"])
    pages = [] if page is None else [{"id": {"axis": axis, "page": page, "type": "plan-tree-page"},
                                      "property": "n_clicks", "value": 1}]
    opened = {"id": {"axis": axis, "type": "plan-tree-axis"}, "property": "n_clicks", "value": 1}
    state = {**NO_FILTER, **{f"plan-{key}.value": value for key, value in filters.items()}}
    output_id = {"axis": axis, "type": "plan-tree-objectives"}
    payload = {
        "output": output, "outputs": {"id": output_id, "property": "children"},
        "inputs": [opened, pages],
        "state": [{"id": f"plan-{key}", "property": "value", "value": state[f"plan-{key}.value"]}
                  for key in FILTER_KEYS],
        "changedPropIds": [json.dumps(opened["id"], separators=(",", ":"), sort_keys=True) + ".n_clicks"],
    }
    response = dash_client.client.post("/_dash-update-component", data=json.dumps(payload),
                                       content_type="application/json",
                                       headers={"X-CSRFToken": dash_client.csrf_token()})
    return outputs_of(response)[json.dumps(output_id, separators=(",", ":"), sort_keys=True)]["children"]


def test_plan_filter_without_match(app, client, dash_client):
    client.get("/?lang=en")
    outputs = plan_callback(dash_client, axis="A1", status="cancelled")
    assert grid_rows(dash_client, axis="A1", status="cancelled") == {"rowData": [], "rowCount": 0}
    assert translated(app, "en", "No measures match these filters.") in DashClient.text_of(
        outputs["plan-tree"]["children"]
    )
    assert outputs["plan-summary"]["children"].startswith("0 measures")
