"""/statistics and its CSV exports: published figures with their sources, publishers never
mixed, and no count below the threshold for the public (demo data adds small cells)."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import func, select

from dashboard.db import make_engine, session_scope, upgrade
from dashboard.devtools.testing import DashClient
from dashboard.ingest import statistics as statistics_files
from dashboard.ingest.loader import LoadReport, load_all
from dashboard.models import Statistic
from dashboard.national import statistics
from helpers import DATA_DIR, actor_of, create_test_users

THRESHOLD = 5
SMALL_NUMBER = re.compile(r"(?<![\d.,:/-])([1-4])(?![\d.,%:/-])")


@pytest.fixture
def demo_app(make_app, fresh_db_url):
    """The app on a database with the demonstration data (regional figures, small cells)."""
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        load_all(session, DATA_DIR, demo=True)
        create_test_users(session)
    engine.dispose()
    return make_app(DATABASE_URL=fresh_db_url)


def as_user(app, login, key, lang="en") -> DashClient:
    client = login(app.test_client(), key)
    client.get(f"/?lang={lang}")
    return DashClient(client)


def exports(client) -> dict[str, list[dict]]:
    tables = {}
    for chart in statistics.CHARTS:
        response = client.get(f"/statistics/export/{chart}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.headers["Cache-Control"] == "private, no-store"
        text = response.data.decode("utf-8")
        assert text.startswith("\ufeff")
        tables[chart] = list(csv.DictReader(io.StringIO(text[1:])))
    return tables


def chart_numbers(tree) -> tuple[list[float], list[str]]:
    """Every plotted value and every text or hover label of the page's charts."""
    values, texts = [], []
    for graph in DashClient.components(tree, lambda n: n["type"] == "Graph"):
        for trace in graph["props"]["figure"]["data"]:
            values += [v for v in trace.get("y") or [] if isinstance(v, (int, float))]
            texts += [str(t) for t in (trace.get("text") or []) + (trace.get("hovertext") or [])]
    return values, texts


def test_published_figures_are_loaded_with_their_sources_and_reload_changes_nothing(session):
    total = session.scalar(select(func.count()).select_from(Statistic).where(Statistic.is_demo.is_(False)))
    assert total == 74
    tip_2022 = session.scalar(select(Statistic).join(Statistic.entity).where(
        Statistic.period == "2022", Statistic.series == "victims_identified", Statistic.breakdown == ""))
    assert tip_2022.value == 166 and tip_2022.entity.acronym == "USDOS"
    assert tip_2022.source.citation == "US TIP report 2023"
    # A share stays a share: the 2017-2019 minors are 47.41 %, no count is derived.
    minors = session.scalar(select(Statistic).where(Statistic.period == "2017-2019",
                                                    Statistic.breakdown == "age_group=child"))
    assert (minors.unit, minors.value) == ("percent", 47.41)
    report = LoadReport()
    statistics_files.load(session, DATA_DIR, False, report)
    assert report.changes == 0


def test_no_series_mixes_publishers(session):
    figures = statistics.released_figures(session, actor_of(session, None), "en", THRESHOLD)
    for (publisher, series), rows in statistics.same_source_groups(figures).items():
        assert {f.publisher for f in rows} == {publisher} and {f.series for f in rows} == {series}
    # 2022 victims: the TIP report's 166 and the Public Prosecution's figures stay apart.
    trends = statistics.select_figures(figures, "trends")
    victims_2022 = [f for f in trends if f.series == "persons_prosecuted" and f.year == 2022]
    assert sorted((f.publisher, f.value) for f in victims_2022) == [("PMP", 153), ("USDOS", 149)]


def test_the_page_draws_one_trace_per_publisher_and_never_a_sum(app, login):
    tree = as_user(app, login, None).page("/statistics").get_json()["response"]["_pages_content"]["children"]
    graph = DashClient.find(tree, "statistics-trend-persons_prosecuted")
    names = [trace["name"] for trace in graph["figure"]["data"]]
    assert sorted(names) == sorted(set(names)) and {"PMP", "USDOS"} <= set(names)
    for trace in graph["figure"]["data"]:
        assert 302 not in (trace.get("y") or [])  # 153 + 149: never added


def test_published_small_counts_are_protected_for_the_public(session):
    figures = statistics.released_figures(session, actor_of(session, None), "en", THRESHOLD)
    begging = next(f for f in figures if f.period == "2022" and f.cells == {"exploitation_form": "begging"})
    assert begging.value is None and begging.status == statistics.SMALL
    foreign_2021 = next(f for f in figures if f.period == "2021" and f.cells == {"nationality": "foreign"})
    assert foreign_2021.value is None  # 2 foreign victims
    # Secondary suppression: the Moroccan count would give the foreign one away (169 - 167).
    moroccan_2021 = next(f for f in figures if f.period == "2021" and f.cells == {"nationality": "moroccan"})
    assert moroccan_2021.value is None


def test_the_committee_sees_exact_figures(session):
    figures = statistics.released_figures(session, actor_of(session, "committee"), "en", THRESHOLD)
    begging = next(f for f in figures if f.period == "2022" and f.cells == {"exploitation_form": "begging"})
    assert begging.value == 4 and begging.status == statistics.SHOWN


def test_a_public_scrape_of_the_page_and_every_export_finds_no_small_count(demo_app, login):
    dash = as_user(demo_app, login, None)
    response = dash.page("/statistics")
    tree = response.get_json()["response"]["_pages_content"]["children"]
    values, texts = chart_numbers(tree)
    assert values, "the page draws figures"
    assert not [v for v in values if 0 < v < THRESHOLD]
    assert not [t for t in texts if SMALL_NUMBER.search(re.sub(r"<br>|</?b>", " ", t).replace("<5", ""))]
    rows = dash.grid_rows("statistics-grid", {"statistics-publisher.value": "", "statistics-year.value": "",
                                              "statistics-series.value": ""})
    assert not [row for row in rows if SMALL_NUMBER.fullmatch(row["value"])]
    assert any(row["value"] == "<5" for row in rows)
    for chart, rows in exports(dash.client).items():
        for row in rows:
            value = row["value"]
            assert not (value.replace(".", "", 1).isdigit() and 0 < float(value) < THRESHOLD), (chart, row)
    assert any(row["value"] == "<5" for row in exports(dash.client)["regions"])


def test_the_committee_export_has_the_exact_small_counts(demo_app, login):
    dash = as_user(demo_app, login, "committee")
    rows = exports(dash.client)["all"]
    assert "<5" not in {row["value"] for row in rows}
    assert any(row["value"] in {"1", "2", "3", "4"} for row in rows)


def test_an_unknown_export_is_not_found(client):
    assert client.get("/statistics/export/secret.csv").status_code == 404


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_page_renders_in_every_language(app, login, lang):
    response = as_user(app, login, None, lang).page("/statistics")
    assert response.status_code == 200
    assert "statistics-page" in json.dumps(response.get_json())


def test_a_demo_database_loads_idempotently(fresh_db_url):
    upgrade(fresh_db_url)
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        load_all(session, DATA_DIR, demo=True)
    with session_scope(engine) as session:
        assert load_all(session, DATA_DIR, demo=True).changes == 0
    engine.dispose()
