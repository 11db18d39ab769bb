"""On a 390 px phone no page is wider than the screen: long titles wrap and wide tables
scroll inside their own box."""
from __future__ import annotations

import openpyxl
import pytest

from dashboard.workflow.accounts import demo_email
from helpers import DEMO_PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PUBLIC_PAGES = ["/", "/plan", "/implementation", "/indicators", "/entities", "/statistics", "/regions",
                "/activities", "/partners", "/organisations"]
WIDTH_JS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def too_wide(page, paths: list[str], lang: str) -> list[str]:
    page.page.set_viewport_size(PHONE)
    problems = []
    for path in paths:
        page.open(path, lang)
        scroll, client = page.page.evaluate(WIDTH_JS)
        if scroll > client:
            problems.append(f"{path} [{lang}]: {scroll} px wide on a {client} px screen")
    return problems


def log_in_as_producer(page, lang: str) -> None:
    tab = page.page
    page.open("/login", lang)
    tab.fill("#login-email", demo_email("focal.pmp"))
    tab.fill("#login-password", DEMO_PASSWORD)
    with tab.expect_navigation(wait_until="networkidle"):
        tab.click("#login-submit")
    page.wait_for_dash()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_public_pages_fit_a_phone(page, lang):
    problems = too_wide(page, PUBLIC_PAGES, lang)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_a_producer_s_figures_table_fits_a_phone(page, lang):
    """The table of a body's figures has a visually hidden header, which used to escape the
    table's scroll box and widen the page."""
    tab = page.page
    log_in_as_producer(page, lang)
    # One figure of the body's own, so that its table is drawn.
    page.open("/statistics/report", lang)
    tab.select_option("#stat-entry-series", "persons_convicted")
    tab.fill("#stat-entry-year", "2016" if lang == "ar" else "2017")
    tab.fill("#stat-entry-value", "12")
    tab.fill("#stat-entry-document", "Rapport annuel de la Présidence du ministère public")
    tab.click("#stat-entry-submit")
    tab.locator("#stat-entry-feedback .alert-success").wait_for()
    problems = too_wide(page, ["/statistics/report", "/my"], lang)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_a_reporting_files_preview_fits_a_phone(page, lang, tmp_path):
    """The preview's table of rows scrolls inside its box; nothing is sent."""
    tab = page.page
    log_in_as_producer(page, lang)
    tab.set_viewport_size(PHONE)
    page.open("/my/import", lang)
    with tab.expect_download() as download:
        tab.click("#import-template-link")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    book = openpyxl.load_workbook(template)
    measures = book.worksheets[1]
    measures.cell(2, 7, "?")  # a status that does not exist
    measures.cell(2, 8, 50)
    book.save(template)
    tab.set_input_files("#import-upload input[type=file]", str(template))
    tab.locator("#import-summary").wait_for()
    page.wait_for_dash()
    scroll, client = tab.evaluate(WIDTH_JS)
    page.screenshot(f"import-preview-phone-{lang}")
    assert scroll <= client, f"/my/import [{lang}]: {scroll} px wide on a {client} px screen"
