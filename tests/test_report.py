"""The progress report: its data (public view only, a past year as it was), its page and
its PDF in three languages, the /report page that builds it, and what the PDF's text says.

The module's database makes IND-02 restricted and has a value of IND-01 waiting for
validation (150 for 2025), as tests/test_restricted_views.py does; the demonstration
database has small victim counts, which the report must show as "<5"."""
from __future__ import annotations

import base64
import datetime as dt
import re
import shutil
import subprocess

import pytest
from sqlalchemy import select

from dashboard.db import make_engine
from dashboard.devtools.testing import DashClient
from dashboard.errors import NotFound
from dashboard.i18n import using_language
from dashboard.models import Statistic, StrategicAxis
from dashboard.publishing import documents, report
from dashboard.publishing.report import ReportOptions, options_from
from helpers import AS_OF_DATE, RESTRICTED, log_in_as

THRESHOLD = 5
SMALL_NUMBER = re.compile(r"(?<![\d.,:/-])([1-4])(?![\d.,%:/-])")
LAM_ALEF = re.compile("[لاأإآ]")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (Debian's poppler-utils) is installed by make test")




def build(app, lang="en", **options) -> report.ProgressReport:
    with app.app_context(), using_language(lang):
        session = app.extensions["db_sessionmaker"]()
        try:
            return report.progress_report(session, lang, AS_OF_DATE, 90, options_from(options), THRESHOLD)
        finally:
            session.close()


def plain(text: str) -> str:
    """``text`` without lam and alef: pdftotext gives Arabic's lam-alef ligature back with its
    two letters swapped, and every other letter in order."""
    return LAM_ALEF.sub("", text)


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


# --- options ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("values", "expected"), [
    ({}, ReportOptions()),
    ({"year": "2025", "scope": "axis", "code": "A1"}, ReportOptions(2025, "axis", "A1")),
    ({"year": 2025}, ReportOptions(2025)),
    ({"year": "20x5", "scope": "galaxy", "code": "A1"}, ReportOptions()),
    ({"year": ["2025"], "scope": {"a": 1}, "code": 3}, ReportOptions()),
    ({"scope": "entity", "code": "MJ\x00"}, ReportOptions()),
    ({"scope": "entity", "code": "x" * 41}, ReportOptions()),
    ({"scope": "plan", "code": "A1"}, ReportOptions()),
    ({"year": "99999"}, ReportOptions()),
])
def test_options_from_keep_what_can_be_an_option(values, expected):
    assert options_from(values) == expected


@pytest.mark.parametrize("options", [
    ReportOptions(scope="axis", code="A9"), ReportOptions(scope="entity", code="NOPE"),
    ReportOptions(scope="partner", code="NOPE"), ReportOptions(year=1999),
])
def test_options_that_name_nothing_are_refused_in_the_readers_language(restricted_app, options):
    with restricted_app.app_context(), using_language("fr"):
        session = restricted_app.extensions["db_sessionmaker"]()
        with pytest.raises(NotFound) as refused:
            report.check_options(session, options)
        session.close()
    assert refused.value.message


# --- the report's data ------------------------------------------------------------------------


def test_the_report_holds_public_validated_data_only(restricted_app):
    built = build(restricted_app)
    indicators = {i.code: i for axis in built.axes for i in axis.indicators}
    assert RESTRICTED not in indicators
    assert "IND-01" in indicators and indicators["IND-01"].value != 150  # pending, not validated
    assert built.summary.total == sum(len(axis.measures) for axis in built.axes) > 0
    assert built.threshold == THRESHOLD


def test_a_scope_keeps_its_own_measures(restricted_app):
    whole = build(restricted_app)
    axis = build(restricted_app, scope="axis", code=whole.axes[0].code)
    assert [a.code for a in axis.axes] == [whole.axes[0].code]
    lead = whole.axes[0].measures[0].lead
    by_lead = build(restricted_app, scope="entity", code=lead)
    assert {m.lead for a in by_lead.axes for m in a.measures} == {lead}
    assert by_lead.scope_name != whole.scope_name


def test_a_past_year_shows_progress_as_it_was_at_the_years_end(restricted_app):
    # plan_small.yaml: A1.O1.M1 is completed (last update 2025-01-10), at 40 % on 2024-06-30.
    year_2024 = build(restricted_app, year="2024")
    measure = next(m for a in year_2024.axes for m in a.measures if m.code == "A1.O1.M1")
    assert (measure.status, measure.progress) == ("in_progress", 40)
    assert year_2024.as_of == dt.date(2024, 12, 31)
    today = next(m for a in build(restricted_app).axes for m in a.measures if m.code == "A1.O1.M1")
    assert (today.status, today.progress) == ("completed", 100)


def test_statistics_are_released_as_on_public_pages(demo_app):
    engine = make_engine(demo_app.config["DATABASE_URL"])
    with engine.connect() as connection:
        small = connection.execute(select(Statistic.id).where(Statistic.value.between(1, 4),
                                                              Statistic.unit == "count")).all()
    engine.dispose()
    assert small, "the demonstration data has small cells"
    for year in (None, 2023, 2024, 2025):
        lines = build(demo_app, year=str(year) if year else None).statistics
        assert lines
        assert all(line.small or line.value is None or line.value >= THRESHOLD or line.unit != "count"
                   for line in lines)
        html = documents.report_html(build(demo_app, year=str(year) if year else None), dt.datetime(2026, 1, 1))
        cells = re.findall(r'class="num stat-value"><bdi>([^<]*(?:&lt;\d)?[^<]*)</bdi>', html)
        assert cells and not [c for c in cells if SMALL_NUMBER.fullmatch(c.strip())]


def test_the_demonstration_plan_is_marked(demo_app, restricted_app):
    assert build(demo_app).is_demo
    html = documents.report_html(build(demo_app, "fr"), dt.datetime(2026, 1, 1))
    assert 'class="demo-mark"' in html and "@top-center" in html


# --- the addresses ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_report_page_is_in_the_readers_language(restricted_app, lang):
    response = restricted_app.test_client().get(f"/reports/progress?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.data.decode()
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in page
    assert f"/reports/progress.pdf?scope=plan&amp;lang={lang}" in page
    assert "http://" not in page.replace("http://report.invalid/", "") and "https://" not in page


def test_the_pdf_is_made_once_per_change_of_the_data(restricted_app):
    client = restricted_app.test_client()
    first = client.get("/reports/progress.pdf?lang=fr&scope=axis&code=A1")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.data.startswith(b"%PDF")
    assert first.headers["Content-Disposition"] == 'attachment; filename="progress-report-a1-to-date-fr.pdf"'
    again = client.get("/reports/progress.pdf?lang=fr&scope=axis&code=A1")
    assert again.data == first.data


@pytest.mark.parametrize("query", [
    "scope=entity&code=NOPE", "scope=axis&code=A9", "year=1999", "scope=partner&code=ZZ",
])
def test_an_option_that_names_nothing_is_a_404_with_a_message(restricted_app, query):
    for path in ("/reports/progress", "/reports/progress.pdf"):
        response = restricted_app.test_client().get(f"{path}?{query}&lang=fr")
        assert response.status_code == 404 and response.mimetype == "text/html"
        assert 'lang="fr"' in response.data.decode()


@pytest.mark.parametrize("query", [
    "year=%00", "scope=%00&code=%00", "year=-1", "year=2025.5", "code=%C0%AF", "year=" + "9" * 400,
    "scope=axis&code=A1&scope=entity", "lang=xx", "year[]=1",
])
def test_hostile_options_give_no_server_error(restricted_app, query):
    for path in ("/reports/progress", "/reports/progress.pdf"):
        assert restricted_app.test_client().get(f"{path}?{query}").status_code in (200, 404)


# --- the /report page -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_report_page_offers_every_scope(restricted_app, lang):
    client = restricted_app.test_client()
    client.get(f"/?lang={lang}")
    dash = DashClient(client)
    response = dash.page("/report")
    assert response.status_code == 200
    tree = response.get_json()["response"]["_pages_content"]["children"]
    [scope] = DashClient.components(tree, lambda n: n["props"].get("id") == "report-scope")
    assert [o["value"] for o in scope["props"]["options"]] == ["plan", "axis", "entity", "partner"]
    [link] = DashClient.components(tree, lambda n: n["props"].get("id") == "report-open")
    assert link["props"]["href"] == f"/reports/progress?scope=plan&lang={lang}"


def test_choosing_a_scope_lists_its_subjects_and_the_link_follows(restricted_app):
    client = restricted_app.test_client()
    client.get("/?lang=en")
    dash = DashClient(client)
    subjects = dash.call("report-code.options", {"report-scope.value": "axis"},
                         state={"report-code.value": ""}).get_json()["response"]
    options, value, disabled = (subjects["report-code"][p] for p in ("options", "value", "disabled"))
    assert value == options[0]["value"] == "A1" and disabled is False
    link = dash.call("report-open.href", {"report-year.value": "2025", "report-scope.value": "axis",
                                          "report-code.value": "A1"}).get_json()["response"]
    assert link["report-open"]["href"] == "/reports/progress?scope=axis&year=2025&code=A1&lang=en"


def test_the_download_button_sends_the_pdf(restricted_app):
    client = restricted_app.test_client()
    client.get("/?lang=fr")
    dash = DashClient(client)
    answer = dash.call("report-pdf.data", {"report-download.n_clicks": 1},
                       state={"report-year.value": "", "report-scope.value": "plan", "report-code.value": ""})
    answer = answer.get_json()["response"]
    data = answer["report-pdf"]["data"]
    assert data["filename"] == "progress-report-plan-to-date-fr.pdf"
    assert base64.b64decode(data["content"]).startswith(b"%PDF")
    assert "Ko" in answer["report-status"]["children"] or "KB" in answer["report-status"]["children"]


def test_the_download_of_a_subject_that_does_not_exist_says_so(restricted_app):
    client = restricted_app.test_client()
    client.get("/?lang=en")
    answer = DashClient(client).call("report-pdf.data", {"report-download.n_clicks": 1},
                                     state={"report-year.value": "1999", "report-scope.value": "plan",
                                            "report-code.value": ""}).get_json()["response"]
    assert "report-pdf" not in answer
    assert "1999" in answer["report-status"]["children"]


def test_the_report_is_the_same_for_the_committee(restricted_app):
    committee = log_in_as(restricted_app.test_client(), "committee")
    page = committee.get("/reports/progress?lang=en").data.decode()
    assert RESTRICTED not in page


# --- the PDF's text ---------------------------------------------------------------------------


@needs_pdftotext
@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_pdfs_text_reads_in_order_with_the_mark_and_page_numbers(demo_app, lang, tmp_path):
    response = demo_app.test_client().get(f"/reports/progress.pdf?lang={lang}")
    assert response.status_code == 200
    words = pdf_text(response.data, tmp_path)
    engine = make_engine(demo_app.config["DATABASE_URL"])
    with engine.connect() as connection:
        names = connection.execute(select(getattr(StrategicAxis, f"name_{lang}"))).scalars().all()
    engine.dispose()
    # Arabic ligatures of lam and alef come back reordered by pdftotext: names without one.
    readable = [name for name in names if "لا" not in name and "لأ" not in name]
    assert readable and all(name in words for name in readable)
    with demo_app.test_request_context(f"/?lang={lang}"), using_language(lang):
        mark = documents.texts()["demo_mark"]
    assert mark in words
    pages = re.findall(r"\b(\d+) / (\d+)\b", words)  # "2 / 18", in either order in Arabic
    assert len(pages) > 5 and len({max(int(a), int(b)) for a, b in pages}) == 1
