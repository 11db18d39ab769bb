"""Who sees what on the read pages: the public and focal points get the public view
(restricted indicators hidden, small victim counts suppressed); the committee, the
secretariat and admins see restricted indicators, marked, and exact figures. The focal
points of the entity that reports an indicator see its exact figures too (as a
producer's focal points do for national statistics).

tests/fixtures/plan_small.yaml has no restricted indicator: conftest's ``restricted_app`` (a database
of this module's own) makes IND-02 (reported by CNCLTEH, on axis A1) restricted. IND-01 is sensitive: in 2024
its nationality breakdown is moroccan 138, foreign 2 (total 140).
"""
from __future__ import annotations

import io
import json

import openpyxl
import pytest

from dashboard.db import make_engine, session_scope
from dashboard.devtools.testing import DashClient
from dashboard.models import User
from helpers import RESTRICTED, indicator_grid_rows, log_in_as

PUBLIC_VIEW = (None, "focal_mj", "focal_pmp")
READERS = ("committee", "secretariat", "admin")



def dash_as(app, key: str | None) -> DashClient:
    client = log_in_as(app.test_client(), key)
    client.get("/?lang=en")
    return DashClient(client)


def page(dash: DashClient, path: str, search: str = ""):
    response = dash.page(path, search)
    assert response.status_code == 200
    return response.get_json()["response"]["_pages_content"]["children"]


def grid_codes(rows: list[dict]) -> list[str]:
    return [row["code"].split("]")[0].lstrip("[") for row in rows]


def breakdown_bars(tree, dimension: str) -> dict:
    [figure] = [n["props"]["figure"] for n in DashClient.components(
        tree, lambda n: n["props"].get("id") == {"type": "indicator-breakdown", "dimension": dimension})]
    return figure["data"][0]


# --- restricted indicators --------------------------------------------------------------


@pytest.mark.parametrize("key", PUBLIC_VIEW)
def test_a_restricted_indicator_is_hidden_from_the_public_view(restricted_app, key):
    dash = dash_as(restricted_app, key)
    tree = page(dash, "/indicators")
    assert DashClient.find(tree, "indicators-grid")
    options = [o["value"] for o in DashClient.find(tree, "indicators-responsible")["options"]]
    assert "CNCLTEH" not in options
    assert grid_codes(indicator_grid_rows(dash)) == ["IND-01"]
    assert grid_codes(indicator_grid_rows(dash, responsible="CNCLTEH")) == []

    detail = page(dash, f"/indicators/{RESTRICTED}")
    assert DashClient.find(detail, "not-found") is not None
    assert "People trained" not in json.dumps(detail)
    breakdowns = dash.call("indicator-breakdowns.children", {"indicator-breakdown-year.value": "2024"},
                           state={"indicator-code.data": RESTRICTED})
    assert "People trained" not in breakdowns.get_data(as_text=True)

    for path in ("/axes/A1", "/entities/CNCLTEH", "/"):
        assert RESTRICTED not in json.dumps(page(dash, path)), path


@pytest.mark.parametrize("key", READERS)
def test_readers_of_restricted_data_see_it_marked(restricted_app, key):
    dash = dash_as(restricted_app, key)
    tree = page(dash, "/indicators")
    grid = DashClient.find(tree, "indicators-grid")
    assert "access" in [c["field"] for c in grid["columnDefs"]]
    rows = indicator_grid_rows(dash)
    assert grid_codes(rows) == ["IND-01", RESTRICTED]
    assert [row["access"] for row in rows] == ["Public", "Restricted"]

    detail = page(dash, f"/indicators/{RESTRICTED}")
    assert DashClient.find(detail, "not-found") is None
    assert "People trained" in DashClient.text_of(detail)
    assert "Restricted" in DashClient.text_of(DashClient.find(detail, "indicator-restricted"))

    for path in ("/axes/A1", "/entities/CNCLTEH"):
        shown = DashClient.text_of(page(dash, path))
        assert RESTRICTED in shown and "Restricted" in shown, path


def test_the_public_page_of_a_public_indicator_has_no_restricted_mark(restricted_app):
    for key in (None, "committee"):
        detail = page(dash_as(restricted_app, key), "/indicators/IND-01")
        assert DashClient.find(detail, "indicator-restricted") is None
    public = dash_as(restricted_app, None)
    grid = DashClient.find(page(public, "/indicators"), "indicators-grid")
    assert "access" not in indicator_grid_rows(public)[0]
    assert "access" not in [c["field"] for c in grid["columnDefs"]]


# --- small victim counts ----------------------------------------------------------------


@pytest.mark.parametrize("key", (None, "focal_mj"))
def test_small_counts_are_suppressed_in_the_public_view(restricted_app, key):
    dash = dash_as(restricted_app, key)
    update = dash.call("indicator-breakdowns.children", {"indicator-breakdown-year.value": "2024"},
                       state={"indicator-code.data": "IND-01"})
    for tree in (page(dash, "/indicators/IND-01"), update.get_json()):
        bars = breakdown_bars(tree, "nationality")
        assert [x for x in bars["x"] if x] == []
        assert "<5" in bars["text"]
        assert "138" not in json.dumps(tree)


@pytest.mark.parametrize("key", (*READERS, "focal_pmp"))
def test_readers_see_exact_counts(restricted_app, key):
    """Readers of restricted data, and the Public Prosecution's focal point for IND-01,
    which the Public Prosecution reports."""
    dash = dash_as(restricted_app, key)
    update = dash.call("indicator-breakdowns.children", {"indicator-breakdown-year.value": "2024"},
                       state={"indicator-code.data": "IND-01"})
    for tree in (page(dash, "/indicators/IND-01"), update.get_json()):
        bars = breakdown_bars(tree, "nationality")
        assert sorted(x for x in bars["x"] if x) == [2, 138]
        assert "Exact figures" in DashClient.text_of(tree)


# --- the home page's notice of values waiting for validation ------------------------------


@pytest.mark.parametrize("key", ("committee", "secretariat"))
def test_the_review_queue_notice_shows_for_its_readers(restricted_app, key):
    tree = page(dash_as(restricted_app, key), "/")
    notice = DashClient.find(tree, "home-pending-notice")
    assert notice is not None
    shown = DashClient.text_of(notice)
    assert "1 submission is waiting for validation." in shown
    assert "Public figures count only approved updates." in shown
    links = [n["props"].get("href") for n in DashClient.components(notice, lambda n: "href" in n["props"])]
    assert links == ["/review"]


@pytest.mark.parametrize("key", (None, "focal_mj", "focal_pmp"))
def test_no_review_notice_for_the_public_and_focal_points(restricted_app, key):
    tree = page(dash_as(restricted_app, key), "/")
    assert DashClient.find(tree, "home-pending-notice") is None
    assert "waiting for validation" not in DashClient.text_of(tree)


def test_the_focal_point_who_reports_a_restricted_indicator_can_open_it(restricted_app):
    """CNCLTEH reports IND-02: its focal point reaches the page (and its value form),
    while focal points of other entities get "not found"."""
    from dashboard.workflow import accounts

    engine = make_engine(restricted_app.config["DATABASE_URL"])
    with session_scope(engine) as session:
        if session.query(User).filter_by(email="focal.cnclteh@test.cnclteh.ma").one_or_none() is None:
            accounts.create_user(session, accounts.SYSTEM, "focal.cnclteh@test.cnclteh.ma", "Focal Cnclteh",
                                 "focal_point", "CNCLTEH", "correct horse battery staple")
        user = session.query(User).filter_by(email="focal.cnclteh@test.cnclteh.ma").one()
        session_id = f"{user.id}:{user.session_epoch}"
    engine.dispose()
    client = restricted_app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = session_id
        flask_session["seen_at"] = __import__("time").time()
    client.get("/?lang=en")
    detail = page(DashClient(client), f"/indicators/{RESTRICTED}")
    assert DashClient.find(detail, "not-found") is None
    assert "People trained" in json.dumps(detail)
    assert DashClient.find(detail, "indicator-restricted") is not None
    other = page(dash_as(restricted_app, "focal_mj"), f"/indicators/{RESTRICTED}")
    assert DashClient.find(other, "not-found") is not None


# --- the indicators table as files -------------------------------------------------------------


@pytest.mark.parametrize("key", PUBLIC_VIEW)
def test_the_indicator_exports_leave_out_what_the_page_leaves_out(restricted_app, key):
    client = dash_as(restricted_app, key).client
    document = client.get("/indicators/export.json").get_json()
    assert [row["code"] for row in document["indicators"]] == ["IND-01"]
    csv_text = client.get("/indicators/export.csv").get_data(as_text=True)
    assert RESTRICTED not in csv_text and csv_text.startswith("\ufeffcode,name,")
    book = openpyxl.load_workbook(io.BytesIO(client.get("/indicators/export.xlsx").data))
    assert RESTRICTED not in str([c.value for row in book.worksheets[0].iter_rows() for c in row])
    assert client.get("/indicators/export.pdf").status_code == 404


@pytest.mark.parametrize("key", READERS)
def test_readers_of_restricted_data_get_it_in_the_exports(restricted_app, key):
    client = dash_as(restricted_app, key).client
    rows = client.get("/indicators/export.json").get_json()["indicators"]
    assert [(row["code"], row["public"]) for row in rows] == [("IND-01", True), (RESTRICTED, False)]
    assert client.get("/indicators/export.json?responsible=CNCLTEH").get_json()["indicators"][0]["code"] == RESTRICTED
