"""The civil-society directory page (/organisations) and its callback, over HTTP.

The database holds the reference directory and the demonstration organisations, whose
contact details are fictitious. The anonymous public must not receive any of them: not in
the page, not in a callback's answer, not hidden in the markup.
"""
from __future__ import annotations

import json

import plotly
import pytest
from flask_babel import gettext

from dashboard.devtools.testing import DashClient
from dashboard.ingest import organisations as organisation_files
from dashboard.ingest.loader import LoadReport
from dashboard.national import organisations
from helpers import DATA_DIR, log_in_as, without_isolates
from layouts import components
from layouts.parts.organisations import cards_page
from tests.test_partner_pages import app_on_own_database

CONTACT_MARKERS = ("example.invalid", "+212 500", "mailto:", "rue de la Démonstration")


@pytest.fixture(scope="module")
def directory_app(databases):
    """The app on a database of its own: the seeded one plus the demonstration directory."""
    with app_on_own_database(databases, lambda session: organisation_files.load(
            session, DATA_DIR, True, LoadReport())) as app:
        yield app


def client_for(app, lang: str, user: str | None = None) -> DashClient:
    client = app.test_client()
    log_in_as(client, user)
    client.get(f"/?lang={lang}")
    return DashClient(client)


def page(dash: DashClient, search: str = "") -> dict:
    response = dash.page("/organisations", search)
    assert response.status_code == 200
    return response.get_json()["response"]["_pages_content"]["children"]


def translated(app, lang: str, text: str) -> str:
    with app.test_request_context(f"/?lang={lang}"):
        return gettext(text)


def filter_call(dash: DashClient, region="", service="", text=""):
    response = dash.call("organisations-results.children", {
        "organisations-region.value": region,
        "organisations-service.value": service,
        "organisations-text.value": text,
    })
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_page_in_each_language(directory_app, lang):
    tree = page(client_for(directory_app, lang))
    text = DashClient.text_of(tree)
    assert translated(directory_app, lang, "Civil-society directory") in text
    assert organisations.NATIONAL_HOTLINE in text  # public: shown to everyone
    assert {"ar": "جمعية باب المستقبل", "fr": "Association Bab Al Moustaqbal",
            "en": "Bab Al Moustaqbal Association"}[lang] in text
    summary = DashClient.find(tree, "organisations-summary")["children"]
    assert without_isolates(summary).startswith("25")
    chart = DashClient.find(tree, "organisations-by-region")["figure"]["data"][0]
    assert len(chart["y"]) == 12 and sum(chart["x"]) == 25


def test_the_intro_calls_it_the_national_map_of_associations(directory_app):
    text = DashClient.text_of(page(client_for(directory_app, "en")))
    assert "national map of associations" in text


def test_the_public_page_holds_no_contact_details(directory_app):
    client = directory_app.test_client()
    html = client.get("/organisations?lang=fr").get_data(as_text=True)
    dash = DashClient(client)
    tree = page(dash)
    raw = json.dumps(tree, ensure_ascii=False)
    for marker in CONTACT_MARKERS:
        assert marker not in raw and marker not in html
    assert DashClient.find(tree, "organisations-login-note") is not None


def test_the_public_callback_holds_no_contact_details(directory_app):
    dash = client_for(directory_app, "fr")
    for filters in ({}, {"region": "MA-01"}, {"service": "legal_aid"}, {"text": "Tanger"}):
        raw = filter_call(dash, **filters).get_data(as_text=True)
        for marker in CONTACT_MARKERS:
            assert marker not in raw, (filters, marker)


def test_a_focal_point_sees_the_contact_details(directory_app):
    dash = client_for(directory_app, "fr", "focal_mj")
    tree = page(dash)
    raw = json.dumps(tree, ensure_ascii=False)
    assert "demo-01@example.invalid" in raw and "+212 500-000-001" in raw
    assert DashClient.find(tree, "organisations-login-note") is None
    answer = filter_call(dash, region="MA-01").get_data(as_text=True)
    assert "demo-01@example.invalid" in answer and "demo-03@example.invalid" not in answer


def test_filters_from_the_url(directory_app):
    dash = client_for(directory_app, "en")
    tree = page(dash, "?region=MA-03&service=shelter")
    assert DashClient.find(tree, "organisations-summary")["children"] == "2 organisations"
    assert DashClient.find(tree, "organisations-region")["value"] == "MA-03"
    tree = page(dash, "?region=XX&service=cooking&text=Moustaqbal")
    assert DashClient.find(tree, "organisations-region")["value"] == ""  # unknown: all
    assert DashClient.find(tree, "organisations-summary")["children"] == "1 organisation"


def test_callback_filters_and_counts(directory_app):
    dash = client_for(directory_app, "en")
    outputs = filter_call(dash, service="shelter").get_json()["response"]
    assert outputs["organisations-summary"]["children"] == "4 organisations"
    cards = DashClient.find(outputs["organisations-results"]["children"], "organisations-cards")
    assert len(cards["children"]) == 4
    nothing = filter_call(dash, text="no such organisation").get_json()["response"]
    assert nothing["organisations-summary"]["children"] == "0 organisations"


def test_forged_values_are_refused(directory_app):
    dash = client_for(directory_app, "en")
    response = dash.call("organisations-results.children", {
        "organisations-region.value": ["MA-01"], "organisations-service.value": {"x": 1},
        "organisations-text.value": 42,
    })
    assert response.status_code == 400
    assert response.get_json()["reason"].startswith("organisations-region.value:")
    # Well-typed values that name nothing are ignored.
    response = dash.call("organisations-results.children", {
        "organisations-region.value": "MA-99", "organisations-service.value": "nothing",
        "organisations-text.value": "",
    })
    assert response.status_code == 200


def test_the_cards_are_sent_a_page_at_a_time(app, monkeypatch):
    rows = [{"name": f"Association {n}", "kind": "association", "region": "", "city": "", "services": [],
             "entity": None, "source": "", "is_demo": True} for n in range(5)]
    monkeypatch.setattr(components, "LIST_PAGE", 2)

    def names(page):
        with app.test_request_context("/?lang=en"):
            tree = json.loads(json.dumps(cards_page(rows, "en", page), cls=plotly.utils.PlotlyJSONEncoder))
        return [h["props"]["children"] for h in DashClient.components(tree, lambda c: c.get("type") == "H3")]

    assert names(0) == ["Association 0", "Association 1"]
    assert names(2) == names(99) == ["Association 4"]  # past the end: the last page
    assert names("x") == names(None) == names(-1) == names(0)
    # The pager's callback, clicked on the one page there is, answers that page.
    dash = DashClient(app.test_client())
    button = {"page": 3, "type": "organisations-page"}
    payload = {"output": "organisations-cards-page.children",
               "outputs": {"id": "organisations-cards-page", "property": "children"},
               "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
               "state": [{"id": f"organisations-{key}", "property": "value", "value": ""}
                         for key in ("region", "service", "text")],
               "changedPropIds": [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"]}
    response = dash.client.post("/_dash-update-component", data=json.dumps(payload),
                                content_type="application/json", headers={"X-CSRFToken": dash.csrf_token()})
    assert response.status_code == 200
    assert DashClient.find(response.get_json()["response"], "organisations-cards")
