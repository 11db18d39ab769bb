"""The activities pages over HTTP: the list in ar/fr/en, its filters from the URL and
through the callback, and an activity's own page."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from dashboard.db import session_scope
from dashboard.devtools.testing import DashClient
from dashboard.models import Activity, Entity
from helpers import kpi_value
from layouts.parts import activities as activity_parts

FILTERS = ("kind", "year", "region", "country", "entity", "q")
THIN_SPACE = "\u2009"  # Babel's date ranges: "May 13 – 17, 2024"


def card_ids(tree) -> list[str]:
    return [c["props"]["id"].removeprefix("activity-") for c in DashClient.components(
        tree, lambda c: str(c["props"].get("id", "")).startswith("activity-")
        and "activity-card" in c["props"].get("className", ""))]


def filter_call(dash: DashClient, **chosen):
    values = {f"activities-{key}.value": chosen.get(key, "") for key in FILTERS}
    response = dash.call("activities-list.children", values)
    assert response.status_code == 200
    return response.get_json()["response"]


@pytest.mark.parametrize("lang, texts", [
    ("ar", ["زيارة دراسية إلى بلجيكا", "النمسا", "مراكش آسفي"]),
    ("fr", ["Visite d'étude en Belgique", "Autriche", "Marrakech-Safi", "13–17 mai 2024"]),
    ("en", ["Study visit to Belgium", "Austria", "May 13 – 17, 2024", "Not stated by the source",
            "Not known"]),
])
def test_list_renders_in_each_language(app, lang, texts):
    response = DashClient.in_language(app, lang).page("/activities")
    assert response.status_code == 200
    text = DashClient.text_of(response.get_json()).replace(THIN_SPACE, " ")
    for expected in texts:
        assert expected in text
    assert len(card_ids(response.get_json())) == 6


@pytest.mark.parametrize("lang, direction", [("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")])
def test_page_is_served_in_each_language(client, lang, direction):
    response = client.get(f"/activities?lang={lang}")
    assert response.status_code == 200
    assert f'lang="{lang}" dir="{direction}"' in response.get_data(as_text=True)


def test_cards_link_to_measures_entities_and_documents(app):
    tree = DashClient.in_language(app, "fr").page("/activities").get_json()
    hrefs = {c["props"]["href"]: c["props"] for c in DashClient.components(
        tree, lambda c: "href" in c["props"])}
    assert "/measures/A1.O1.M2" in hrefs  # the only seeded measure in the test plan
    assert "/entities/CNCLTEH" in hrefs and "/activities/2023-roundtable-rabat" in hrefs
    outside = [p for href, p in hrefs.items() if href.startswith("http")]
    assert outside and all("noopener" in p["rel"] for p in outside)
    assert DashClient.find(tree, "activities-measures-note")


def test_filters_come_from_the_url(app):
    tree = DashClient.in_language(app, "fr").page("/activities", "?kind=training&region=MA-07").get_json()
    assert card_ids(tree) == ["2024-training-marrakech"]
    assert DashClient.find(tree, "activities-kind")["value"] == "training"
    assert DashClient.find(tree, "activities-region")["value"] == "MA-07"
    # A value that is not offered falls back to "All".
    tree = DashClient.in_language(app, "fr").page("/activities", "?kind=party").get_json()
    assert len(card_ids(tree)) == 6 and DashClient.find(tree, "activities-kind")["value"] == ""


@pytest.mark.parametrize("chosen, expected", [
    ({"kind": "training"}, ["2024-training-marrakech", "2024-training-casablanca"]),
    ({"year": "2023"}, ["2023-roundtable-rabat"]),
    ({"region": "abroad", "year": "2024"}, ["2024-study-visit-belgium", "2024-workshop-cairo"]),
    ({"country": "AT"}, ["2021-unwg-vienna"]),
    ({"entity": "CNDH"}, ["2024-study-visit-belgium"]),
    ({"q": "Rabat"}, ["2023-roundtable-rabat"]),
    ({"kind": "awareness_campaign"}, []),
])
def test_filter_callback(app, chosen, expected):
    outputs = filter_call(DashClient.in_language(app, "fr"), **chosen)
    assert card_ids(outputs["activities-list"]["children"]) == expected
    kpis = DashClient.text_of(outputs["activities-kpis"]["children"])
    assert str(len(expected)) in kpis
    charts = DashClient.components(outputs["activities-charts"]["children"],
                                   lambda c: "figure" in c["props"])
    assert len(charts) == 4


def test_callback_in_arabic_keeps_arabic_data(app):
    outputs = filter_call(DashClient.in_language(app, "ar"), kind="study_visit")
    text = DashClient.text_of(outputs["activities-list"]["children"])
    assert "بلجيكا" in text and "Belgium" not in text


def test_timeline_has_one_marker_per_activity(app):
    outputs = filter_call(DashClient.in_language(app, "en"))
    timeline = DashClient.find(outputs["activities-charts"]["children"], "activities-timeline")
    markers = [x for trace in timeline["figure"]["data"] for x in trace["x"]]
    assert sorted(markers) == ["2021-10-12", "2023-05-16", "2024-03-05", "2024-05-13",
                               "2024-11-20", "2024-11-27"]
    hover = " ".join(h for trace in timeline["figure"]["data"] for h in trace["hovertext"])
    assert "Vienna · Austria" in hover and "Rabat · Rabat-Sale-Kenitra" in hover


def test_activity_page(app):
    tree = DashClient.in_language(app, "fr").page("/activities/2024-workshop-cairo").get_json()
    text = DashClient.text_of(tree).replace(THIN_SPACE, " ")
    assert "Atelier régional" in text and "Le Caire · Égypte" in text and "5–6 mars 2024" in text
    assert card_ids(tree) == ["2024-workshop-cairo"]


def test_unknown_activity_is_not_found(app):
    tree = DashClient.in_language(app, "fr").page("/activities/nope").get_json()
    assert DashClient.find(tree, "not-found")


def test_stated_participants_are_shown(writable_app, writable_engine):
    with session_scope(writable_engine) as session:
        session.add(Activity(
            code="T-2025", kind="training", title_ar="تكوين", title_fr="Formation", title_en="Training day",
            start_date=dt.date(2025, 3, 10), end_date=dt.date(2025, 3, 10), country="MA",
            region_code="MA-01", participants_total=40, participants_male=22, participants_female=18,
            participants_by_profession={"judges": 12}, source_en="test",
            organisers=[session.scalar(select(Entity).where(Entity.acronym == "CNCLTEH"))],
        ))
    outputs = filter_call(DashClient.in_language(writable_app, "en"), year="2025")
    card = DashClient.text_of(outputs["activities-list"]["children"])
    assert "40 participants · 18 women, 22 men · Judges: 12" in card
    assert "Mar 10, 2025" in card and "Tangier-Tetouan-Al Hoceima" in card
    kpis = DashClient.find(outputs["activities-kpis"]["children"], "activities-kpi-trained")
    assert kpi_value(kpis) == "40" and "stated for 1 of 1 trainings" in DashClient.text_of(kpis)


def turn_page(dash: DashClient, page_number, **chosen):
    """Click the pager's button for ``page_number`` (any value: it comes from the browser)."""
    button = {"page": page_number, "type": "activities-page"}
    payload = {"output": "activities-list-page.children",
               "outputs": {"id": "activities-list-page", "property": "children"},
               "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
               "state": [{"id": f"activities-{key}", "property": "value", "value": chosen.get(key, "")}
                         for key in FILTERS],
               "changedPropIds": [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"]}
    return dash.client.post("/_dash-update-component", data=json.dumps(payload),
                            content_type="application/json", headers={"X-CSRFToken": dash.csrf_token()})


def turned(dash: DashClient, page_number, **chosen):
    response = turn_page(dash, page_number, **chosen)
    assert response.status_code == 200, response.data[:300]
    return response.get_json()["response"]


def pager_targets(tree) -> list:
    return [c["props"]["id"]["page"] for c in DashClient.components(
        tree, lambda c: isinstance(c["props"].get("id"), dict) and c["props"]["id"].get("type") == "activities-page"
        and not c["props"].get("disabled"))]


def test_a_long_list_is_sent_a_page_at_a_time(make_app, monkeypatch):
    dash = DashClient(make_app(PAGE_CACHE=False).test_client())  # the page is drawn twice
    every = card_ids(dash.page("/activities").get_json()["response"])
    assert len(every) >= 5
    monkeypatch.setattr(activity_parts, "ACTIVITIES_PAGE", 2)
    first = dash.page("/activities").get_json()["response"]
    assert card_ids(first) == every[:2] and pager_targets(first) == [1]  # "Previous" is off
    seen = []
    for number in range(-(-len(every) // 2)):
        seen += card_ids(turned(dash, number))
    assert seen == every
    last = turned(dash, 999)  # past the end: the last page
    pages = -(-len(every) // 2)
    assert card_ids(last) == every[2 * (pages - 1):] and pager_targets(last) == [pages - 2]  # "Next" is off
    assert card_ids(turned(dash, -1)) == every[:2]  # the first page's "Previous" (disabled) names page -1
    for hostile in ("x", None, [1], {"a": 1}, 1.5, True):  # not a page number: refused, said why
        response = turn_page(dash, hostile)
        assert response.status_code == 400 and response.get_json()["error"], hostile
    # A filter starts again at the first page, which its own pager turns.
    filtered = filter_call(dash, q="a")
    assert len(card_ids(filtered)) <= 2
