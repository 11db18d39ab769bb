"""The regions pages (/regions and /regions/<code>) over HTTP, in Arabic, French and English:
the map and its table, the card grid where the outlines cannot be used, a region's page,
the not-found page, demonstration badges, contact details left out and regional figures
suppressed for the public."""
from __future__ import annotations

import datetime as dt
import json

import plotly
import pytest
from flask_babel import gettext
from sqlalchemy import select

from dashboard.db import session_scope
from dashboard.devtools.testing import DashClient
from dashboard.ingest import rollout as rollout_files
from dashboard.ingest.loader import LoadReport
from dashboard.models import Entity, Organisation, Statistic, StatisticSource
from dashboard.national import geo
from helpers import DATA_DIR, seed
from layouts.parts import regions as region_parts

LANGS = ["ar", "fr", "en"]
CODES = [f"MA-{n:02d}" for n in range(1, 13)]


def page(client: DashClient, path: str):
    response = client.page(path)
    assert response.status_code == 200
    return response.get_json()["response"]["_pages_content"]["children"]


def translated(app, lang: str, text: str) -> str:
    with app.test_request_context(f"/?lang={lang}"):
        return gettext(text)


def text_of(tree, component_id: str) -> str:
    return DashClient.text_of(DashClient.find(tree, component_id)["children"])


@pytest.fixture
def demo_app(make_app, fresh_db_url):
    """The app on a database with this domain's demonstration layer."""
    seed(fresh_db_url)
    app = make_app(DATABASE_URL=fresh_db_url)
    with session_scope(app.extensions["db_engine"]) as session:
        rollout_files.load(session, DATA_DIR, True, LoadReport())
    return app


# --- /regions ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_regions_page_in_each_language(app, lang):
    tree = page(DashClient.in_language(app, lang), "/regions")
    props = DashClient.props_by_id(tree)
    assert all(f"regions-row-{code}" in props for code in CODES)
    fes = text_of(tree, "regions-row-MA-03")
    assert translated(app, lang, "Pilot") in fes
    assert translated(app, lang, "No report yet") in text_of(tree, "regions-row-MA-01")
    assert text_of(tree, "regions-count-pilot") == "1"
    assert text_of(tree, "regions-count-none") == "11"
    assert "regions-cards" not in props
    assert "regions-demo-note" not in props  # the seeded database has no demonstration stage


def test_map_draws_each_region_once_and_a_legend_per_stage(app):
    tree = page(DashClient.in_language(app, "fr"), "/regions")
    figure = DashClient.find(tree, "regions-map")["figure"]
    codes = DashClient.find(tree, "regions-map-codes")["data"]
    assert len(codes) == len(figure["data"])
    assert sorted(code for code in codes if code) == CODES
    fes = figure["data"][codes.index("MA-03")]
    assert fes["fill"] == "toself" and fes["hoveron"] == "fills"
    assert "Fès-Meknès" in fes["text"] and fes["x"][0] == fes["x"][-1]
    legend = [trace["name"] for trace in figure["data"] if trace.get("showlegend", True) and "name" in trace]
    assert len(legend) == 5  # four stages and the regions without a report
    assert legend[2] == translated(app, "fr", "Pilot") + " (1)"
    labels = figure["data"][-1]
    assert labels["mode"] == "text" and len(labels["text"]) == 12
    # Nothing in the figure points at another host (no tiles, no topojson).
    assert "http" not in json.dumps(figure)
    layout = figure["layout"]
    assert layout["yaxis"]["scaleanchor"] == "x"
    assert layout["xaxis"]["visible"] is False and layout["yaxis"]["visible"] is False
    assert "mapbox" not in layout and "geo" not in layout and "map" not in layout


def test_map_click_is_wired_in_the_browser(app):
    dependencies = DashClient(app.test_client()).dependencies
    click = [d for d in dependencies if d["output"] == "regions-go.pathname"]
    assert len(click) == 1 and click[0]["clientside_function"]
    assert [i["id"] for i in click[0]["inputs"]] == ["regions-map"]


@pytest.mark.parametrize("content", [None, "{broken", '{"type": "FeatureCollection", "features": []}'])
def test_cards_replace_the_map_when_the_outlines_cannot_be_used(app, monkeypatch, tmp_path, content):
    path = tmp_path / "regions.geojson"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    monkeypatch.setattr(geo, "outlines_path", lambda: path)
    tree = page(DashClient.in_language(app, "ar"), "/regions")
    props = DashClient.props_by_id(tree)
    assert "regions-map" not in props and "regions-map-section" not in props
    cards = DashClient.find(tree, "regions-cards")["children"]
    assert len(cards) == 12
    assert "/regions/MA-03" in json.dumps(cards)
    assert "regions-table" in props  # the table stays beneath


def test_demonstration_stages_are_marked(demo_app):
    tree = page(DashClient.in_language(demo_app, "fr"), "/regions")
    assert DashClient.find(tree, "regions-demo-note") is not None
    demo = translated(demo_app, "fr", "Demonstration data")
    assert demo in text_of(tree, "regions-row-MA-06")
    assert demo not in text_of(tree, "regions-row-MA-03")  # the reference stage
    assert text_of(tree, "regions-count-operational") == "2"
    assert DashClient.find(tree, "regions-count-none") is None


# --- /regions/<code> --------------------------------------------------------------------


@pytest.mark.parametrize("lang,name", [("ar", "فاس مكناس"), ("fr", "Fès-Meknès"), ("en", "Fez-Meknes")])
def test_region_page_in_each_language(app, lang, name):
    tree = page(DashClient.in_language(app, lang), "/regions/MA-03")
    assert name in DashClient.text_of(tree)
    assert text_of(tree, "region-stage") == translated(app, lang, "Pilot")
    history = DashClient.find(tree, "region-history")
    assert "cnclt.justice.gov.ma/?p=1932" in DashClient.text_of(history)
    assert '"rel": "noopener noreferrer"' in json.dumps(history)
    for section in ("region-bodies", "region-organisations", "region-activities", "region-figures"):
        assert DashClient.find(tree, section) is not None
    assert DashClient.find(tree, "regions-demo-note") is None


def test_region_without_a_report(app):
    tree = page(DashClient.in_language(app, "fr"), "/regions/MA-12")
    assert text_of(tree, "region-stage") == translated(app, "fr", "No report yet")
    assert translated(app, "fr", "Nothing has been reported for this region yet.") in text_of(tree, "region-history")


@pytest.mark.parametrize("lang", LANGS)
def test_unknown_region(app, lang):
    tree = page(DashClient.in_language(app, lang), "/regions/MA-13")
    not_found = DashClient.find(tree, "not-found")
    assert not_found is not None
    assert translated(app, lang, "There is no region with this code.") in DashClient.text_of(not_found["children"])
    assert '"href": "/regions"' in json.dumps(not_found)


def test_region_page_shows_no_contact_details(writable_app, login):
    with session_scope(writable_app.extensions["db_engine"]) as session:
        session.add(Organisation(code="TEST-SHELTER", name_fr="Foyer d'essai", name_en="Test shelter",
                                 name_ar="مأوى تجريبي", region_code="MA-03", services=["shelter"],
                                 phone="+212 535 00 00 00", email="foyer@example.org",
                                 address="12 rue des Essais, Fès", website="https://foyer.example.org"))
    for account in (None, "committee"):  # not even for those who may read contacts elsewhere
        client = login(writable_app.test_client(), account)
        client.get("/?lang=fr")
        tree = page(DashClient(client), "/regions/MA-03")
        text = json.dumps(DashClient.find(tree, "region-organisations"), ensure_ascii=False)
        assert "Foyer d'essai" in text
        for contact in ("+212", "foyer@example.org", "rue des Essais", "foyer.example.org"):
            assert contact not in text


def test_regional_figures_on_the_page(writable_app, login):
    with session_scope(writable_app.extensions["db_engine"]) as session:
        pmp = session.scalar(select(Entity).where(Entity.acronym == "PMP"))
        source = StatisticSource(entity_id=pmp.id, document="Rapport 2025 (test)")
        session.add(source)
        session.flush()
        for breakdown, code, value in (("", None, 60), ("region=MA-03", "MA-03", 2),
                                       ("region=MA-06", "MA-06", 58)):
            session.add(Statistic(series="victims_identified", entity_id=pmp.id, source_id=source.id,
                                  period="2025", year_start=2025, year_end=2025, value=value,
                                  breakdown=breakdown, region_code=code))
    public = DashClient.in_language(writable_app, "fr")
    figures = text_of(page(public, "/regions/MA-03"), "region-figures-table")
    assert translated(writable_app, "fr", "Victims identified") in figures
    assert "<5" in figures and " 2 " not in f" {figures} "
    # Casablanca's 58 would give Fès's count away with the total: hidden as well.
    assert translated(writable_app, "fr", "hidden") in text_of(page(public, "/regions/MA-06"),
                                                              "region-figures-table")
    committee = login(writable_app.test_client(), "committee")
    committee.get("/?lang=fr")
    exact = text_of(page(DashClient(committee), "/regions/MA-03"), "region-figures-table")
    assert "<5" not in exact and " 2 " in f" {exact} "


def test_the_small_cell_setting_takes_effect_on_the_region_page(make_app, writable_url):
    """SMALL_CELL_THRESHOLD reaches the regional figures: at 11, a region's 10 is "<11"."""
    app = make_app(DATABASE_URL=writable_url, SMALL_CELL_THRESHOLD=11)
    with session_scope(app.extensions["db_engine"]) as session:
        pmp = session.scalar(select(Entity).where(Entity.acronym == "PMP"))
        source = StatisticSource(entity_id=pmp.id, document="Rapport 2025 (test)")
        session.add(source)
        session.flush()
        for code, value in (("MA-03", 10), ("MA-06", 40)):
            session.add(Statistic(series="victims_identified", entity_id=pmp.id, source_id=source.id,
                                  period="2025", year_start=2025, year_end=2025, value=value,
                                  breakdown=f"region={code}", region_code=code))
    public = DashClient.in_language(app, "fr")
    figures = text_of(page(public, "/regions/MA-03"), "region-figures-table")
    assert "<11" in figures and " 10 " not in f" {figures} "
    assert " 40 " in f" {text_of(page(public, '/regions/MA-06'), 'region-figures-table')} "


def test_region_page_date_formats(app):
    tree = page(DashClient.in_language(app, "fr"), "/regions/MA-03")
    assert "2 août 2024" in text_of(tree, "region-history")
    assert dt.date(2024, 8, 2).isoformat() not in text_of(tree, "region-history")


def test_a_long_list_of_figures_is_cut_with_a_link_to_the_statistics(app, monkeypatch):
    monkeypatch.setattr(region_parts, "FIGURES_SHOWN", 1)
    figure = {"series": "victims_identified", "cells": {"region": "MA-03"}, "value": 12.0, "unit": "count",
              "small": False, "is_demo": False, "publisher": "PMP", "period": "2025", "url": "", "source": "Report"}
    with app.test_request_context("/?lang=en"):
        tree = json.loads(json.dumps(region_parts.figures_list([figure, {**figure, "period": "2024"}], "en", 5),
                                     cls=plotly.utils.PlotlyJSONEncoder))
    assert len(DashClient.components(tree, lambda c: c["type"] == "Tr")) == 2  # the header and one figure
    links = DashClient.components(tree, lambda c: c["type"] == "Link")
    assert [link["props"]["href"] for link in links] == ["/statistics"]
    assert DashClient.text_of(links[0]) == "See all 2"
