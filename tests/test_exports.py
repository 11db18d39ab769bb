"""Every table and chart's data as files (``/export/<dataset>.csv|xlsx|json``, built in
``dashboard/publishing/exports.py``): each answers for the public and the committee, holds
what the page shows its reader (no restricted indicator, pending submission or small count
for the public; exact figures marked on every sheet for the committee), in the reader's
language, with numbers as numbers and a sheet of sources; hostile parameters give no server
error; every page links to its files."""
from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from sqlalchemy import select, text

from dashboard.app import create_app
from dashboard.db import make_engine, session_scope, upgrade
from dashboard.devtools.testing import DashClient
from dashboard.models import Measure
from dashboard.plan import rollups
from dashboard.publishing.exports import TABLES
from dashboard.web.routes import XLSX
from dashboard.workflow import submissions
from helpers import AS_OF, AS_OF_DATE, actor_of, log_in_as, seed

THRESHOLD = 5
RESTRICTED = "IND-02"  # made restricted in plan_app
PENDING_NARRATIVE = "Rapport en attente de validation 7731"
# One address per dataset, with the code a detail page puts in it.
ADDRESSES = {name: f"/export/{name}" for name in TABLES} | {
    "measure-history": "/export/measure-history?code=A1.O1.M1",
    "indicator-values": "/export/indicator-values?code=IND-11",
    "indicator-breakdowns": "/export/indicator-breakdowns?code=IND-14",
    "region-rollout": "/export/region-rollout?code=MA-01",
    "region-figures": "/export/region-figures?code=MA-01",
}
EXACT = "not for publication"



@pytest.fixture(scope="module")
def plan_app(databases, tmp_path_factory):
    """The small test plan with a restricted indicator, an indicator value and a measure
    update waiting for review."""
    url = databases.new()
    upgrade(url)
    seed(url)
    uploads = tmp_path_factory.mktemp("uploads")
    app = create_app({"DATABASE_URL": url, "AS_OF": AS_OF, "TESTING": True, "UPLOAD_DIR": str(uploads)})
    engine = make_engine(url)
    with session_scope(engine) as session:
        session.execute(text("UPDATE indicator SET is_public = false WHERE code = :code"), {"code": RESTRICTED})
        # IND-01 counts victims: its latest total becomes a small count.
        session.execute(text(
            "UPDATE indicator_value SET value = 3 WHERE breakdown = '' AND indicator_id = "
            "(SELECT id FROM indicator WHERE code = 'IND-01') AND period = (SELECT max(v.period) FROM indicator_value v "
            "JOIN indicator i ON i.id = v.indicator_id WHERE i.code = 'IND-01')"))
        rollups.refresh_indicator_latest(session)
        with app.test_request_context("/?lang=en"):
            submissions.submit_indicator_value(session, actor_of(session, "focal_pmp"), "IND-01",
                                               submissions.ValueForm(period="2025", value="150"), uploads, AS_OF_DATE)
            measure = session.scalar(select(Measure).where(Measure.code == "A1.O1.M2"))
            form = submissions.UpdateForm(status="in_progress", progress=60, narrative={"fr": PENDING_NARRATIVE},
                                          period_start="2026-07-01", period_end="2026-09-30",
                                          links="https://justice.example.invalid/guide", files=[])
            submissions.submit_measure_update(session, actor_of(session, "focal_mj"), "A1.O1.M2", measure.version,
                                              form, uploads, AS_OF_DATE)
    engine.dispose()
    yield app
    app.extensions["db_engine"].dispose()
    databases.drop(url)


def client_of(app, key: str | None, lang: str = "en"):
    client = log_in_as(app.test_client(), key)
    client.get(f"/?lang={lang}")
    return client


def fetch(client, address: str, kind: str):
    path, _, query = address.partition("?")
    response = client.get(f"{path}.{kind}" + (f"?{query}" if query else ""))
    assert response.status_code == 200, (address, kind, response.status_code)
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Content-Disposition"].endswith(f'.{kind}"')
    return response


def csv_rows(response) -> list[dict]:
    assert response.mimetype == "text/csv"
    body = response.data.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def workbook(response):
    assert response.mimetype == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.data))


def header_row(sheet) -> list:
    """The bold row of headers (under the note, when a sheet has one)."""
    row = next(r for r in sheet.iter_rows() if r[0].font.bold and len(r) > 1 and r[1].value)
    return [cell.value for cell in row]


# --- every dataset, every format, two readers ----------------------------------------------


@pytest.mark.parametrize("key", [None, "committee"])
@pytest.mark.parametrize("dataset", sorted(ADDRESSES))
def test_every_export_answers_in_three_formats(demo_app, dataset, key):
    client = client_of(demo_app, key)
    rows = csv_rows(fetch(client, ADDRESSES[dataset], "csv"))
    document = fetch(client, ADDRESSES[dataset], "json").get_json()
    assert document["language"] == "en"
    listed = document.get("rows", document.get("figures"))
    assert len(listed) == len(rows) > 0, dataset
    book = workbook(fetch(client, ADDRESSES[dataset], "xlsx"))
    assert book.sheetnames[-1] == "Sources" and len(book.sheetnames) == 2
    if dataset != "region-figures":  # the statistics' workbook names fewer columns than its CSV
        assert len(header_row(book.worksheets[0])) == len(rows[0])


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_workbook_headers_are_in_the_reader_s_language_with_numbers_as_numbers(demo_app, lang):
    english = header_row(workbook(fetch(client_of(demo_app, None), "/export/measures", "xlsx")).worksheets[0])
    client = client_of(demo_app, None, lang)
    book = workbook(fetch(client, "/export/measures", "xlsx"))
    sheet = book.worksheets[0]
    assert header_row(sheet) != english and len(header_row(sheet)) == len(english)
    assert all(s.sheet_view.rightToLeft is (lang == "ar") for s in book.worksheets)
    progress = [sheet.cell(row=r, column=8).value for r in range(2, sheet.max_row + 1)]  # "progress"
    assert progress and all(isinstance(v, int) for v in progress)
    assert len(book.sheetnames) == 2 and book.worksheets[1].max_row >= 2  # sources, cited
    programmes = workbook(fetch(client, "/export/programmes", "xlsx")).worksheets[0]
    amounts = [c.value for row in programmes.iter_rows(min_row=2) for c in row[7:9]]  # committed, disbursed
    assert any(isinstance(v, int | float) for v in amounts)


def test_the_csv_keeps_stable_codes_and_neutralises_formulas(demo_app):
    rows = csv_rows(fetch(client_of(demo_app, None, "ar"), "/export/measures", "csv"))
    assert list(rows[0])[:3] == ["code", "name", "axis"]
    assert all(not row["name"].startswith(("=", "+", "@")) for row in rows)


# --- what each reader may see ---------------------------------------------------------------


def test_small_counts_never_reach_a_public_export(demo_app):
    client = client_of(demo_app, None)
    rows = csv_rows(fetch(client, ADDRESSES["region-figures"], "csv"))
    assert any(row["value"] == "<5" for row in rows)
    assert not [row for row in rows if row["value"].isdigit() and 0 < int(row["value"]) < THRESHOLD]
    document = fetch(client, ADDRESSES["region-figures"], "json").get_json()
    assert document["exact"] is False
    assert not [f for f in document["figures"] if f["value"] is not None and 0 < f["value"] < THRESHOLD]
    book = workbook(fetch(client, ADDRESSES["region-figures"], "xlsx"))
    assert all("<5" in sheet["A1"].value and EXACT not in sheet["A1"].value for sheet in book.worksheets)


@pytest.mark.parametrize("code", ["IND-11", "IND-14", "IND-27", "IND-28"])
def test_small_breakdown_counts_never_reach_a_public_export(demo_app, code):
    client = client_of(demo_app, None)
    for year in ("", "&year=2023", "&year=2024", "&year=2025"):
        rows = csv_rows(fetch(client, f"/export/indicator-breakdowns?code={code}{year}", "csv"))
        assert not [r for r in rows if r["value"].replace(".", "", 1).isdigit() and 0 < float(r["value"]) < THRESHOLD]
        assert {r["status"] for r in rows} <= {"shown", "small", "hidden"}
    latest = csv_rows(fetch(client, f"/export/indicator-breakdowns?code={code}", "csv"))
    assert "small" in {r["status"] for r in latest}  # the demonstration data has small cells
    committee = client_of(demo_app, "committee")
    exact = csv_rows(fetch(committee, f"/export/indicator-breakdowns?code={code}", "csv"))
    assert any(0 < float(r["value"]) < THRESHOLD for r in exact if r["value"])
    book = workbook(fetch(committee, f"/export/indicator-breakdowns?code={code}", "xlsx"))
    assert all(EXACT in sheet["A1"].value for sheet in book.worksheets)


def test_the_committee_gets_exact_figures_marked_on_every_sheet(demo_app):
    client = client_of(demo_app, "committee")
    rows = csv_rows(fetch(client, ADDRESSES["region-figures"], "csv"))
    assert "<5" not in {row["value"] for row in rows}
    for address in (ADDRESSES["region-figures"], ADDRESSES["indicator-values"]):
        book = workbook(fetch(client, address, "xlsx"))
        assert all(EXACT in sheet["A1"].value for sheet in book.worksheets), address
    assert fetch(client, ADDRESSES["indicator-values"], "json").get_json()["exact"] is True


def test_the_public_indicator_workbook_says_how_small_counts_are_shown(demo_app):
    client = client_of(demo_app, None)
    book = workbook(fetch(client, ADDRESSES["indicator-values"], "xlsx"))
    assert all(EXACT not in sheet["A1"].value and "<5" in sheet["A1"].value for sheet in book.worksheets)
    assert fetch(client, ADDRESSES["indicator-values"], "json").get_json()["exact"] is False
    # Tables without a victim count carry no such note.
    assert header_row(workbook(fetch(client, "/export/measures", "xlsx")).worksheets[0])[0] is not None
    assert "exact" not in fetch(client, "/export/measures", "json").get_json()


@pytest.mark.parametrize("key", [None, "focal_mj"])
def test_a_restricted_indicator_is_not_found_for_the_public(demo_app, key):
    client = client_of(demo_app, key)
    for kind in ("csv", "xlsx", "json"):
        assert client.get(f"/export/indicator-values.{kind}?code=IND-17").status_code == 404
        assert client.get(f"/export/indicator-breakdowns.{kind}?code=IND-17").status_code == 404
    achievement = fetch(client, "/export/indicator-achievement", "json").get_json()["rows"]
    assert sum(row["indicators"] for row in achievement) == len(
        fetch(client, "/indicators/export", "json").get_json()["indicators"])


def test_the_committee_exports_a_restricted_indicator(demo_app):
    document = fetch(client_of(demo_app, "committee"), "/export/indicator-values?code=IND-17", "json").get_json()
    assert document["rows"]


def test_contact_details_only_for_signed_in_readers(demo_app):
    public = fetch(client_of(demo_app, None), "/export/organisations", "json").get_json()
    assert "phone" not in public["columns"] and not any("phone" in row for row in public["rows"])
    assert "phone" in fetch(client_of(demo_app, "committee"), "/export/organisations", "json").get_json()["columns"]


@pytest.mark.parametrize("key", [None, "focal_pmp"])
def test_pending_submissions_never_reach_a_public_export(plan_app, key):
    client = client_of(plan_app, key)
    history = fetch(client, "/export/measure-history?code=A1.O1.M2", "json").get_json()
    assert PENDING_NARRATIVE not in json.dumps(history, ensure_ascii=False)
    assert {row["state"] for row in history["rows"]} <= {"approved"}
    values = fetch(client, "/export/indicator-values?code=IND-01", "json").get_json()["rows"]
    assert 150 not in [row["value"] for row in values]
    assert client.get(f"/export/indicator-values.json?code={RESTRICTED}").status_code == 404
    measures = csv_rows(fetch(client, "/export/measures?axis=A1", "csv"))
    assert {row["code"] for row in measures} >= {"A1.O1.M2"}


def test_insiders_see_the_update_under_review_marked(plan_app):
    rows = fetch(client_of(plan_app, "focal_mj"), "/export/measure-history?code=A1.O1.M2", "json").get_json()["rows"]
    assert [row["state"] for row in rows if row["text"] == PENDING_NARRATIVE] == ["submitted"]


@pytest.mark.parametrize("key", [None, "focal_mj"])
def test_the_indicators_table_withholds_a_small_latest_value_and_says_so(plan_app, key):
    client = client_of(plan_app, key)
    [row] = [r for r in fetch(client, "/indicators/export", "json").get_json()["indicators"] if r["code"] == "IND-01"]
    assert row["latest_status"] == "small" and row["latest_value"] is None
    book = workbook(fetch(client, "/indicators/export", "xlsx"))
    assert book.sheetnames == ["Indicators", "Sources"]
    assert all("<5" in sheet["A1"].value and EXACT not in sheet["A1"].value for sheet in book.worksheets)


@pytest.mark.parametrize("key", ["committee", "focal_pmp"])
def test_readers_of_the_exact_latest_value_get_it_marked_on_every_sheet(plan_app, key):
    client = client_of(plan_app, key)
    [row] = [r for r in fetch(client, "/indicators/export", "json").get_json()["indicators"] if r["code"] == "IND-01"]
    assert row["latest_value"] == 3
    book = workbook(fetch(client, "/indicators/export", "xlsx"))
    assert all(EXACT in sheet["A1"].value for sheet in book.worksheets)


def test_readers_of_restricted_data_export_the_restricted_indicator(plan_app):
    client = client_of(plan_app, "committee")
    assert fetch(client, f"/export/indicator-values?code={RESTRICTED}", "csv").data


# --- filters ----------------------------------------------------------------------------------


def test_exports_follow_the_page_filters(demo_app):
    client = client_of(demo_app, None)
    every = csv_rows(fetch(client, "/export/measures", "csv"))
    axis = csv_rows(fetch(client, "/export/measures?axis=A2", "csv"))
    assert axis and {row["axis"] for row in axis} == {"A2"} and len(axis) < len(every)
    named = fetch(client, "/export/measures?axis=A2&year=2024&overdue=1&lead=x%22y", "xlsx")
    assert named.headers["Content-Disposition"] == 'attachment; filename="measures-A2-2024-overdue.xlsx"'
    overdue = csv_rows(fetch(client, "/export/measures?overdue=1", "csv"))
    assert {row["overdue"] for row in overdue} <= {"yes"}
    led = csv_rows(fetch(client, "/export/measures?lead=MJCC", "csv"))
    assert {row["lead"] for row in led} == {"MJCC"}
    region = csv_rows(fetch(client, "/export/organisations?region=MA-01", "csv"))
    assert region and {row["region"] for row in region} == {"MA-01"}
    kinds = csv_rows(fetch(client, "/export/activities?kind=training", "csv"))
    assert 0 < len(kinds) < len(csv_rows(fetch(client, "/export/activities", "csv")))
    objectives = fetch(client, "/export/progress?axis=A1", "json").get_json()["rows"]
    assert objectives and all(row["code"].startswith("A1.") for row in objectives)


HOSTILE = ["axis=%00", "axis=A1%00", "lead=" + "x" * 5000, "year=99999999999999999999", "year=-1",
           "schedule=%3Cscript%3E", "status[]=1", "kind=%00", "q=%00%00", "text=%00", "region=%00",
           "code=%00", "code=" + "é" * 300, "overdue=%00", "partner=%27;drop%20table%20measure;--",
           "service=%00", "country=%00", "entity=%00", "lang=%00"]


@pytest.mark.parametrize("dataset", sorted(ADDRESSES))
def test_hostile_parameters_give_no_server_error(demo_app, dataset):
    client = client_of(demo_app, None)
    path = f"/export/{dataset}"
    for query in HOSTILE:
        for kind in ("csv", "json"):
            response = client.get(f"{path}.{kind}?{query}")
            assert response.status_code in (200, 400, 404), (dataset, query, response.status_code)
    assert client.get(f"{path}.pdf").status_code == 404


def test_an_unknown_dataset_or_code_is_not_found(demo_app):
    client = client_of(demo_app, None)
    assert client.get("/export/secrets.csv").status_code == 404
    for dataset in ("measure-history", "indicator-values", "indicator-breakdowns", "region-rollout",
                    "region-figures"):
        assert client.get(f"/export/{dataset}.json?code=NOPE").status_code == 404
        assert client.get(f"/export/{dataset}.json").status_code == 404


# --- the pages link to their files -------------------------------------------------------------

PAGES = {
    "/": ["progress", "schedule"],
    "/plan": ["measures"],
    "/implementation": ["measures", "lead-progress"],
    "/axes/A1": ["measures", "progress", "schedule"],
    "/entities": ["entities"],
    "/entities/MJCC": ["measures", "schedule"],
    "/regions": ["regions"],
    "/regions/MA-01": ["region-rollout", "region-figures"],
    "/activities": ["activities"],
    "/partners": ["programmes"],
    "/organisations": ["organisations"],
    "/indicators": ["indicator-achievement"],
    "/indicators/IND-11": ["indicator-values", "indicator-breakdowns"],
    "/measures/A1.O1.M1": ["measure-history"],
}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_each_page_shows_its_download_links(demo_app, path):
    dash = DashClient(client_of(demo_app, None))
    response = dash.page(path)
    assert response.status_code == 200
    links = [node["props"]["href"] for node in DashClient.components(
        response.get_json(), lambda n: n.get("type") == "A" and "/export/" in str(n["props"].get("href", "")))]
    for dataset in PAGES[path]:
        found = [href for href in links if href.startswith(f"/export/{dataset}.")]
        assert {href.split("?")[0].rsplit(".", 1)[1] for href in found} == {"csv", "xlsx", "json"}, (path, dataset)
    for href in links:  # each link answers
        assert client_of(demo_app, None).get(href).status_code == 200, href


def test_the_plan_links_follow_its_filters(demo_app):
    dash = DashClient(client_of(demo_app, None))
    response = dash.page("/plan", "?axis=A2&status=in_progress")
    links = [node["props"]["href"] for node in DashClient.components(
        response.get_json(), lambda n: n.get("type") == "A" and "/export/measures" in str(n["props"].get("href", "")))]
    assert links and all("axis=A2" in href and "status=in_progress" in href for href in links)
