"""/statistics and its CSV exports: published figures with their sources, publishers never
mixed, and no count below the threshold for the public (demo data adds small cells)."""
from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pytest
from sqlalchemy import func, select

from dashboard.db import make_engine, session_scope, upgrade
from dashboard.devtools.testing import DashClient
from dashboard.ingest import statistics as statistics_files
from dashboard.ingest.loader import LoadReport, load_all
from dashboard.models import Entity, Statistic
from dashboard.national import statistics
from dashboard.web.routes import XLSX
from helpers import DATA_DIR, actor_of, create_test_users, without_isolates

THRESHOLD = 5
SMALL_NUMBER = re.compile(r"(?<![\d.,:/-])([1-4])(?![\d.,%:/-])")
# A day of a month in a figure's note ("3 October 2023") is no count.
DAY = re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|"
                 r"December)\b")
ISOLATES = str.maketrans("", "", "\u2066\u2067\u2068\u2069")


def counts_in(text: str) -> str:
    """A label or hover text as a reader scans it for counts."""
    return DAY.sub(" ", re.sub(r"<br>|</?b>", " ", text).replace("<5", ""))


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
            axis = "x" if trace.get("orientation") == "h" else "y"  # where a bar's value is
            values += [v for v in trace.get(axis) or [] if isinstance(v, (int, float))]
            texts += [str(t) for t in (trace.get("text") or []) + (trace.get("hovertext") or [])]
    return values, texts


def test_published_figures_are_loaded_with_their_sources_and_reload_changes_nothing(session):
    total = session.scalar(select(func.count()).select_from(Statistic).where(Statistic.is_demo.is_(False)))
    assert total == 126
    tip_2022 = session.scalar(select(Statistic).join(Statistic.entity).where(
        Statistic.period == "2022", Statistic.series == "victims_identified", Statistic.breakdown == ""))
    assert tip_2022.value == 166 and tip_2022.entity.acronym == "USDOS"
    # The citation is composed in each language from the source's parts.
    assert tip_2022.source.document == "Trafficking in Persons Report 2023"
    assert "Trafficking in Persons Report 2023" in tip_2022.source.citation_en
    assert "Rapport 2023 sur la traite des personnes" in tip_2022.source.citation_fr
    assert "تقرير الاتجار بالأشخاص لسنة 2023" in tip_2022.source.citation_ar.translate(ISOLATES)
    assert tip_2022.source.document_ar == "تقرير الاتجار بالأشخاص لسنة 2023"
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
    assert not [t for t in texts if SMALL_NUMBER.search(counts_in(t))]
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


# --- XLSX exports ----------------------------------------------------------------------------


def workbook(client, chart: str = "all"):
    response = client.get(f"/statistics/export/{chart}.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert response.headers["Cache-Control"] == "private, no-store"
    return openpyxl.load_workbook(io.BytesIO(response.data))


def figure_cells(book) -> list:
    sheet = book.worksheets[0]
    header_row = next(row for row in sheet.iter_rows() if row[0].font.bold and row[1].value)
    column = [cell.value for cell in header_row].index(header_row[6].value) + 1
    return [sheet.cell(row=r, column=column).value for r in range(header_row[0].row + 1, sheet.max_row + 1)]


def test_the_public_workbook_is_in_the_reader_s_language_with_numbers_and_no_small_count(demo_app, login):
    dash = as_user(demo_app, login, None, "fr")
    book = workbook(dash.client)
    assert book.sheetnames == ["Chiffres", "Sources"]
    figures = book.worksheets[0]
    assert not figures.sheet_view.rightToLeft
    assert "<5" in figures["A1"].value  # every sheet says how small counts are shown
    assert all("<5" in sheet["A1"].value for sheet in book.worksheets)
    assert [c.value for c in figures[3]][:4] == ["Producteur", "Nom", "Objet du décompte", "Période"]
    values = figure_cells(book)
    numbers = [v for v in values if isinstance(v, int | float)]
    assert numbers and "<5" in values
    assert not [v for v in numbers if 0 < v < THRESHOLD]
    assert not [v for v in values if isinstance(v, str) and SMALL_NUMBER.fullmatch(v)]
    sources = book.worksheets[1]
    assert sources.max_row > 3


def test_an_arabic_workbook_reads_right_to_left(demo_app, login):
    client = as_user(demo_app, login, None, "ar").client
    book = workbook(client)
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    # Small counts as the Arabic pages write them.
    assert "أقل من 5" in [without_isolates(c) for c in figure_cells(book)]
    assert client.get("/statistics/export/all.pdf").status_code == 404
    forged = client.get("/statistics/export/all.xlsx?year=2024%27;drop&publisher=%3Cscript%3E&series=x")
    assert forged.status_code == 200 and forged.mimetype == XLSX


def test_the_committee_workbook_holds_exact_figures_and_says_so_on_every_sheet(demo_app, login):
    book = workbook(as_user(demo_app, login, "committee").client)
    assert all("not for publication" in sheet["A1"].value for sheet in book.worksheets)
    assert any(isinstance(v, int | float) and 0 < v < THRESHOLD for v in figure_cells(book))


def test_a_formula_in_a_source_stays_text(demo_app, login):
    with session_scope(demo_app.extensions["db_engine"]) as session:
        pmp = session.scalar(select(Entity.id).where(Entity.acronym == "PMP"))
        statistics.upsert(session, entity_id=pmp, series="suspects", period="2031", breakdown="", value=40,
                          document='=HYPERLINK("http://example.invalid")')
    book = workbook(as_user(demo_app, login, None).client)
    cells = [cell for row in book.worksheets[1].iter_rows() for cell in row
             if str(cell.value).startswith("=HYPERLINK")]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_the_json_export_holds_what_the_reader_may_see(demo_app, login):
    public = as_user(demo_app, login, None).client.get("/statistics/export/all.json")
    assert public.status_code == 200 and public.mimetype == "application/json"
    assert public.headers["Cache-Control"] == "private, no-store"
    document = public.get_json()
    assert document["exact"] is False and document["small_count_threshold"] == THRESHOLD
    figures = document["figures"]
    assert figures and any(f["status"] == "small" for f in figures)
    assert not [f for f in figures if f["value"] is not None and f["unit"] == "count" and 0 < f["value"] < THRESHOLD]
    assert all(f["value"] is None for f in figures if f["status"] != "shown")
    exact = as_user(demo_app, login, "committee").client.get("/statistics/export/all.json").get_json()
    assert exact["exact"] is True and "not for publication" in exact["note"]
    assert any(f["unit"] == "count" and f["value"] is not None and 0 < f["value"] < THRESHOLD
               for f in exact["figures"])
