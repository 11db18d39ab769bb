"""A focal point's inbox (/my): who may open it and its five lists.

In tests/fixtures/plan_small.yaml MJ leads A1.O1.M2 (last updated 2026-02-01, so overdue
on 2026-11-22 with a 90-day cycle) and reports on no indicator; PMP leads A2.O2.M1 (updated
2026-10-01, up to date) and reports on IND-01.
"""
from __future__ import annotations

import pytest

from dashboard.devtools.testing import DashClient
from dashboard.errors import Forbidden
from dashboard.permissions import PUBLIC
from dashboard.workflow import worklists
from helpers import AS_OF_DATE, actor_of
from tests.test_measure_updates import (
    MEASURE,
    as_user,
    form,
    latest_update,
    page,
    review,
    submit,
)


def text(tree) -> str:
    return " ".join(DashClient.text_of(tree).split())


def hrefs(tree) -> set[str]:
    return {n["props"]["href"] for n in DashClient.components(tree, lambda n: "href" in n["props"])}


def measures_page(dash: DashClient, request: object = None) -> dict:
    """The measures grid's answer to one page request."""
    request = {"startRow": 0, "endRow": 20} if request is None else request
    response = dash.call("my-measures-grid.getRowsResponse", {"my-measures-grid.getRowsRequest": request})
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    return response.get_json()["response"]["my-measures-grid"]["getRowsResponse"]


def indicators_page(dash: DashClient, request: object = None) -> dict:
    request = {"startRow": 0, "endRow": 20} if request is None else request
    response = dash.call("my-indicators-grid.getRowsResponse", {"my-indicators-grid.getRowsRequest": request})
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    return response.get_json()["response"]["my-indicators-grid"]["getRowsResponse"]


def test_anonymous_is_asked_to_log_in(app, login):
    tree = page(as_user(app, login, None), "/my")
    refusal = DashClient.find(tree, "access-refused")
    assert "Please log in to do this." in text(refusal)
    assert "/login?next=/my" in hrefs(refusal)
    assert DashClient.find(tree, "my-inbox") is None


@pytest.mark.parametrize("key", ["committee", "secretariat", "admin"])
def test_other_roles_are_refused(app, login, key):
    tree = page(as_user(app, login, key), "/my")
    assert "Your account is not allowed to do this." in text(DashClient.find(tree, "access-refused"))
    assert DashClient.find(tree, "my-inbox") is None


def test_focal_point_of_mj_with_nothing_submitted(app, login):
    tree = page(as_user(app, login, "focal_mj"), "/my")
    inbox = DashClient.find(tree, "my-inbox")
    content = text(inbox)
    assert "Ministry of Justice" in content  # the page is in English
    # (a) the measures MJ leads, (b) the overdue update.
    assert f"/measures/{MEASURE}" in hrefs(inbox)
    assert "Indicators guide" in content and "Overdue" in content
    assert "May 2, 2026" in content  # 2026-02-01 + 90 days
    # (c), (d), (e) are empty and say so.
    assert "Nothing was returned to you." in content
    assert "Nothing of yours is waiting for review." in content
    assert indicators_page(as_user(app, login, "focal_mj")) == {"rowData": [], "rowCount": 0}
    assert not any(h.startswith("/measures/A2") for h in hrefs(inbox))


def test_focal_point_of_pmp_sees_its_indicators(app, login):
    focal = as_user(app, login, "focal_pmp")
    answer = indicators_page(focal)
    assert [row["code"] for row in answer["rowData"]] == ["[IND-01](/indicators/IND-01)"] and answer["rowCount"] == 1
    inbox = DashClient.find(page(focal, "/my"), "my-inbox")
    assert [row["code"] for row in measures_page(focal)["rowData"]] == ["[A2.O2.M1](/measures/A2.O2.M1)"]
    assert "No update is due." in text(inbox)  # updated 2026-10-01
    assert f"/measures/{MEASURE}" not in hrefs(inbox)


def test_pending_then_returned(writable_app, login, writable_engine):
    focal = as_user(writable_app, login, "focal_mj")
    submit(focal, form(writable_engine, progress=55))
    inbox = text(DashClient.find(page(focal, "/my"), "my-inbox"))
    assert "Nothing of yours is waiting for review." not in inbox
    assert "In progress, 55%" in inbox and "Focal Mj" in inbox
    # A pending measure no longer counts as due.
    assert "No update is due." in inbox

    update_id, version, _state = latest_update(writable_engine)
    review(as_user(writable_app, login, "secretariat"), "measure_update", update_id, "return", version,
           "Please attach the <b>minutes</b>.")
    tree = page(focal, "/my")
    returned = DashClient.find(tree, "my-returned")
    assert "Please attach the <b>minutes</b>." in text(returned)
    assert "Returned on" in text(returned) and "by Secretariat" in text(returned)
    assert f"/measures/{MEASURE}" in hrefs(returned)
    # The reason is plain text, never markup.
    assert DashClient.components(returned, lambda n: n["props"].get("children") == "Please attach the <b>minutes</b>.")
    assert "Nothing of yours is waiting for review." in text(tree)


def test_inbox_in_arabic(app, login):
    response = as_user(app, login, "focal_mj", lang="ar").page("/my")
    assert response.status_code == 200
    assert DashClient.find(response.get_json()["response"], "my-inbox") is not None


# --- the measures grid, a page at a time --------------------------------------------------------


def test_the_measures_grid_asks_for_its_rows(app, login):
    focal = as_user(app, login, "focal_mj")
    grid = DashClient.find(page(focal, "/my"), "my-measures-grid")
    assert grid["rowModelType"] == "infinite" and "rowData" not in grid
    answer = measures_page(focal)
    assert answer["rowCount"] == 1
    (row,) = answer["rowData"]
    assert row["code"] == f"[{MEASURE}](/measures/{MEASURE})" and row["next"] == "Overdue" and row["late"]


@pytest.mark.parametrize("key", [None, "committee", "secretariat", "admin"])
def test_the_grids_are_empty_for_anyone_else(app, login, key):
    assert measures_page(as_user(app, login, key)) == {"rowData": [], "rowCount": 0}
    assert indicators_page(as_user(app, login, key)) == {"rowData": [], "rowCount": 0}


def test_the_indicator_service_pages_only_the_entitys_own(session):
    pmp, mj = actor_of(session, "focal_pmp"), actor_of(session, "focal_mj")
    assert [r["code"] for r in worklists.inbox_indicator_page(session, pmp, "en", {})["rows"]] == ["IND-01"]
    assert worklists.inbox_indicator_page(session, mj, "en", {"filterModel": {"code": {"type": "equals",
                                                                                      "filter": "IND-01"}}}) \
        == {"rows": [], "total": 0}
    french = {"filterModel": {"frequency": {"type": "contains", "filter": "annuel"}}, "startRow": "x",
              "sortModel": [{"colId": "reported", "sort": "desc"}, {"colId": "nope", "sort": "asc"}]}
    assert worklists.inbox_indicator_page(session, pmp, "fr", french)["total"] == 1
    for actor in (PUBLIC, actor_of(session, "secretariat")):
        with pytest.raises(Forbidden):
            worklists.inbox_indicator_page(session, actor, "en", {})


def test_the_service_pages_only_the_entitys_own_measures(session):
    mj = actor_of(session, "focal_mj")
    result = worklists.inbox_measure_page(session, mj, "en", AS_OF_DATE, 90, {"startRow": 0, "endRow": 10})
    assert [r["code"] for r in result["rows"]] == [MEASURE] and result["total"] == 1
    # Filtering on another entity's measure finds nothing: the entity bounds every query.
    other = {"filterModel": {"code": {"type": "equals", "filter": "A2.O2.M1"}}}
    assert worklists.inbox_measure_page(session, mj, "en", AS_OF_DATE, 90, other) == {"rows": [], "total": 0}
    for actor in (PUBLIC, actor_of(session, "secretariat"), actor_of(session, "committee")):
        with pytest.raises(Forbidden):
            worklists.inbox_measure_page(session, actor, "en", AS_OF_DATE, 90, {})


@pytest.mark.parametrize("request_value", [
    None, "x", {"startRow": -4, "endRow": 10**12}, {"startRow": 2**60}, {"sortModel": [{"colId": "next", "sort": "desc"}]},
    {"sortModel": "status", "filterModel": {"status": {"type": "contains", "filter": "progr"}, "x": 1}},
    {"filterModel": {"progress": {"type": "inRange", "filter": "a", "filterTo": 3}}},
    {"filterModel": {"next": {"type": "contains", "filter": "Overdue"}}},
])
def test_the_service_takes_any_request(session, request_value):
    mj = actor_of(session, "focal_mj")
    result = worklists.inbox_measure_page(session, mj, "en", AS_OF_DATE, 90, request_value)
    assert len(result["rows"]) <= result["total"] <= 1


def test_the_status_filter_reads_the_readers_language(session):
    mj = actor_of(session, "focal_mj")
    french = {"filterModel": {"status": {"filterType": "text", "type": "contains", "filter": "cours"}}}
    assert worklists.inbox_measure_page(session, mj, "fr", AS_OF_DATE, 90, french)["total"] == 1
    assert worklists.inbox_measure_page(session, mj, "en", AS_OF_DATE, 90, french)["total"] == 0


def test_updates_due_are_capped_with_the_rest_counted(session, monkeypatch):
    mj = actor_of(session, "focal_mj")
    monkeypatch.setattr(worklists, "INBOX_DUE_SHOWN", 0)
    inbox = worklists.my_inbox(session, mj, "en", AS_OF_DATE, 90, measures=False)
    assert inbox["due"] == [] and inbox["due_total"] == 1 and inbox["measures"] == inbox["indicators"] == []
    full = worklists.my_inbox(session, mj, "en", AS_OF_DATE, 90)
    assert [m["code"] for m in full["due"]] == [MEASURE] and full["due_total"] == 1
