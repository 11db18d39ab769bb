"""The partners and funding page (/partners) and its callback, over HTTP.

Two databases: the seeded one (reference programmes, no link to measures) and one where
illustrative links tie JTIP to measures of two axes of tests/fixtures/plan_small.yaml and
the access-to-justice programme to one, so that the by-axis view has something to show.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask_babel import gettext

from dashboard.app import create_app
from dashboard.db import make_engine, session_scope, upgrade
from dashboard.devtools.testing import DashClient
from dashboard.i18n import fmt_mad
from dashboard.ingest import funding as funding_files
from dashboard.ingest.loader import LoadReport
from helpers import AS_OF, DATA_DIR, kpi_value, seed
from layouts.parts import funding as funding_parts


@pytest.fixture(scope="module")
def reference_app(seeded_url):
    app = create_app({"DATABASE_URL": seeded_url, "AS_OF": AS_OF, "TESTING": True})
    yield app
    app.extensions["db_engine"].dispose()


@contextmanager
def app_on_own_database(databases, load) -> Iterator:
    """The app on a seeded database of its own, to which ``load(session)`` adds data."""
    url = databases.new()
    upgrade(url)
    seed(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        load(session)
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "AS_OF": AS_OF, "TESTING": True})
    try:
        yield app
    finally:
        app.extensions["db_engine"].dispose()
        databases.drop(url)


@pytest.fixture(scope="module")
def linked_app(databases, tmp_path_factory):
    """The seeded data plus illustrative links from programmes to plan_small's measures."""
    data = tmp_path_factory.mktemp("partners") / "data"
    shutil.copytree(DATA_DIR / "reference", data / "reference")
    (data / "demo").mkdir()
    (data / "demo" / "programme_measures.yaml").write_text(
        "- programme: JTIP\n  measures: [A1.O1.M1, A2.O1.M1]\n"
        "- programme: UNWOMEN-CH-JUSTICE\n  measures: [A2.O2.M1]\n", encoding="utf-8")
    with app_on_own_database(databases, lambda session: funding_files.load(session, data, True, LoadReport())) as app:
        yield app


def page(app, lang: str, search: str = "") -> dict:
    response = DashClient.in_language(app, lang).page("/partners", search)
    assert response.status_code == 200
    return response.get_json()["response"]["_pages_content"]["children"]


def translated(app, lang: str, text: str, **values) -> str:
    with app.test_request_context(f"/?lang={lang}"):
        return gettext(text, **values)


def programme_rows(app, lang: str = "en", partner: str = "") -> list[dict]:
    """The programmes table's rows, as the grid asks for them."""
    return DashClient.in_language(app, lang).grid_rows("partners-grid", {"partners-partner.value": partner})


def kpi_text(tree, key: str) -> str:
    return DashClient.text_of(DashClient.find(tree, f"partners-kpi-{key}")["children"])


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_page_in_each_language(reference_app, lang):
    tree = page(reference_app, lang)
    text = DashClient.text_of(tree)
    assert translated(reference_app, lang, "Partners and funding") in text
    # Morocco-specific: JTIP's USD 2.5 million at 10.00; GLO.ACT and South III apart.
    assert fmt_mad(25_000_000, lang) in kpi_text(tree, "morocco")
    assert fmt_mad(36_007_200, lang) in kpi_text(tree, "regional")
    assert fmt_mad(118_800_000, lang) in kpi_text(tree, "global")
    assert kpi_value(DashClient.find(tree, "partners-kpi-programmes")) == "7"
    assert kpi_value(DashClient.find(tree, "partners-kpi-unknown")) == "4"
    grid = DashClient.find(tree, "partners-grid")
    assert len(programme_rows(reference_app, lang)) == 7
    assert grid["dashGridOptions"]["enableRtl"] is (lang == "ar")


def test_amounts_rates_and_unknowns_in_the_table(reference_app):
    tree = page(reference_app, "en")
    # A programme without an acronym of its own is known by its name, in the reader's language.
    rows = {r["acronym"] or r["name"]: r for r in programme_rows(reference_app)}
    south_3, south_5 = (f"South Programme {n} of the European Union and the Council of Europe" for n in ("III", "V"))
    assert rows[south_3]["committed"] == "3,334,000 EUR"
    assert rows[south_3]["mad"] == "36,007,200 MAD (at 1 EUR = 10.80 MAD, indicative rate of Nov 20, 2026)"
    assert rows[south_3]["period"] == "2018–2020"
    assert rows["JTIP"]["period"] == "from 2024"
    assert rows["GLO.ACT"]["scope"] == "Global programme"
    assert rows[south_5]["committed"] == "not published" and rows[south_5]["mad"] == "not published"
    assert all(r["disbursed"] == "not published" for r in rows.values())
    assert all(r["source"] for r in rows.values())
    assert not [r for r in rows.values() for key in ("committed", "disbursed", "mad") if r[key].startswith("0 ")]
    rates = DashClient.text_of(DashClient.find(tree, "partners-rates")["children"])
    assert "1 EUR = 10.80 MAD" in rates and "1 USD = 10.00 MAD" in rates and "1 CHF = 11.30 MAD" in rates


def test_global_budget_is_flagged_as_not_morocco(reference_app):
    tree = page(reference_app, "en")
    assert "not Morocco's share" in kpi_text(tree, "global")
    totals = DashClient.text_of(DashClient.find(tree, "partners-totals"))
    assert "Budget of the whole global programme" in totals


def test_unknown_amounts_are_labelled_points_not_zero_bars(reference_app):
    figure = DashClient.find(page(reference_app, "en"), "partners-by-partner")["figure"]
    bars = [t for t in figure["data"] if t["type"] == "bar"]
    points = next(t for t in figure["data"] if t["type"] == "scatter")
    labels = figure["data"][0]["y"]
    eu_only = labels.index("EU")  # the EU technical support programme: no amount published
    assert all(trace["x"][eu_only] is None for trace in bars)
    assert "EU" in points["y"]
    assert all("not published" in text for text in points["text"])
    joint = labels.index("EU + IOM + UNICEF + UNODC (joint)")  # GLO.ACT, whole, not split
    assert [t["x"][joint] for t in bars if t["x"][joint] is not None] == [118_800_000.0]

    committed = DashClient.find(page(reference_app, "en"), "partners-committed-disbursed")["figure"]
    names = [t.get("name") for t in committed["data"]]
    assert "Disbursed" not in names  # nothing disbursed is published: no bar at all
    marks = next(t for t in committed["data"] if t["type"] == "scatter")
    assert len(marks["y"]) == 7 and all("disbursed" in text for text in marks["text"])


def test_without_links_there_is_no_axis_view(reference_app):
    tree = page(reference_app, "en")
    assert DashClient.find(tree, "partners-by-axis") is None
    assert DashClient.find(tree, "partners-by-axis-empty") is not None
    assert "No programme is linked" in DashClient.text_of(DashClient.find(tree, "partners-supported"))


def test_illustrative_links_by_axis_and_per_partner(linked_app):
    tree = page(linked_app, "en")
    figure = DashClient.find(tree, "partners-by-axis")["figure"]
    labels = figure["data"][0]["y"]
    assert labels[-2:] == ["Several axes (not split)", "No measure linked"]
    assert any(label.startswith("A2 ·") for label in labels)  # access to justice: A2.O2.M1 only
    several = labels.index("Several axes (not split)")
    amounts = [t["x"][several] for t in figure["data"] if t["type"] == "bar"]
    assert [x for x in amounts if x is not None] == [25_000_000.0]  # JTIP, whole
    text = DashClient.text_of(tree)
    assert "Illustrative links" in text and "are illustrative" in text
    supported = DashClient.find(tree, "partners-supported")
    supported_text = DashClient.text_of(supported)
    assert "USDOS" in supported_text and "A1.O1.M1" in supported_text and "A2.O2.M1" in supported_text
    assert '"progressbar"' in str(supported).replace("'", '"')


def test_partner_filter_from_the_url_and_the_callback(linked_app):
    tree = page(linked_app, "en", "?partner=COE")
    assert DashClient.find(tree, "partners-partner")["value"] == "COE"
    assert [r["name"] for r in programme_rows(linked_app, partner="COE")] == [
        f"South Programme {n} of the European Union and the Council of Europe" for n in ("III", "V")]
    assert DashClient.find(tree, "partners-summary")["children"] == "2 programmes"
    # The key figures keep covering every programme.
    assert kpi_value(DashClient.find(tree, "partners-kpi-programmes")) == "7"

    dash = DashClient.in_language(linked_app, "fr")
    outputs = dash.call("partners-grid-box.children", {"partners-partner.value": "UNWOMEN"}).get_json()["response"]
    assert DashClient.find(outputs["partners-grid-box"], "partners-grid")  # a new table asks for its rows
    assert [r["name"] for r in programme_rows(linked_app, "fr", "UNWOMEN")] == [
        "Programme d'accès à la justice avec la Présidence du ministère public (ONU Femmes et Suisse)"]
    assert "A2.O2.M1" in DashClient.text_of(outputs["partners-supported"]["children"])
    assert len(programme_rows(linked_app, "fr")) == 7
    nobody = dash.call("partners-grid-box.children", {"partners-partner.value": "NOBODY"})
    assert nobody.status_code == 200 and programme_rows(linked_app, "fr", "NOBODY") == []
    assert dash.call("partners-grid-box.children", {"partners-partner.value": ["EU"]}).status_code == 400


def test_a_partners_measures_are_listed_a_page_at_a_time(linked_app, monkeypatch):
    (usdos,) = DashClient.components(page(linked_app, "en"), lambda c: c["props"].get("id") == {
        "type": "partner-measures", "partner": "USDOS"})
    every = [c["props"]["children"] for c in DashClient.components(usdos, lambda c: c["type"] == "Link")]
    assert len(every) >= 2
    monkeypatch.setattr(funding_parts, "MEASURES_PAGE", 1)
    dash = DashClient.in_language(linked_app, "en")

    def turn(partner, number):
        button = {"page": number, "partner": partner, "type": "partner-measures-page"}
        payload = {"output": '{"partner":["MATCH"],"type":"partner-measures"}.children',
                   "outputs": {"id": {"partner": partner, "type": "partner-measures"}, "property": "children"},
                   "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]], "state": [],
                   "changedPropIds": [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"]}
        return dash.client.post("/_dash-update-component", data=json.dumps(payload),
                                content_type="application/json", headers={"X-CSRFToken": dash.csrf_token()})

    seen = []
    for number in range(len(every)):
        response = turn("USDOS", number)
        assert response.status_code == 200
        seen += [c["props"]["children"] for c in DashClient.components(
            response.get_json()["response"], lambda c: c["type"] == "Link")]
    assert seen == every
    assert turn("NOBODY", 0).status_code == 204  # no such partner: nothing changes
    assert turn("USDOS", "x").status_code == 400


def test_long_programme_lists_are_cut_in_the_charts(make_app, monkeypatch):
    monkeypatch.setattr(funding_parts, "CHART_PROGRAMMES", 2)
    monkeypatch.setattr(funding_parts, "AXIS_PROGRAMMES", 1)
    tree = page(make_app(PAGE_CACHE=False), "en")
    figure = DashClient.find(tree, "partners-committed-disbursed")["figure"]
    bars = {label for trace in figure["data"] for label in (trace.get("y") or trace.get("x") or [])
            if isinstance(label, str)}
    assert len(bars) == 2, bars
    assert DashClient.find(tree, "partners-chart-cut")["children"] == \
        "The 2 largest commitments of 7 programmes; the table lists them all."
