"""/statistics in a real browser, in Arabic and French: every chart draws, the grid fills,
small counts read "<5", a CSV download answers, the filters re-render the page; no console
error and no request leaves the app's host. The live server has the demonstration data (regional figures, small cells)."""
from __future__ import annotations

import re

import pytest

from tests.browser.test_pages import DIRECTIONS

pytestmark = pytest.mark.browser
# How a count from 1 to 4 reads on the page (the Arabic catalogue spells it out).
SMALL_LABELS = {"ar": "أقل من 5", "fr": "<5"}


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_statistics_page(page, lang):
    page.open("/statistics", lang)
    page.screenshot(f"{lang}_statistics")
    tab = page.page
    assert tab.evaluate("document.documentElement.dir") == DIRECTIONS[lang]
    assert tab.locator("#_pages_content h1").count() == 1
    for chart in ("#statistics-trend-victims_identified", "#statistics-sex_age", "#statistics-exploitation",
                  "#statistics-children", "#statistics-regions"):
        assert tab.locator(f"{chart} .main-svg").count() >= 1, chart
    assert tab.locator("#statistics-grid .ag-row").count() >= 10
    assert SMALL_LABELS[lang] in tab.inner_text("#statistics-regions")
    with tab.expect_download() as download:
        tab.locator("a[href^='/statistics/export/regions.csv']").click()
    assert download.value.suggested_filename == "statistics-regions.csv"
    page.assert_clean()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_statistics_filters(page, lang):
    """A publisher and a year re-render the charts and the table; the URL and the CSV links
    follow, and the filtered view still reads "<5" for small counts."""
    page.open("/statistics", lang)
    tab = page.page
    tab.select_option("#statistics-publisher", "DGSN")
    tab.wait_for_url(re.compile(r"[?&]publisher=DGSN(&|$)"))
    page.wait_for_dash()
    tab.select_option("#statistics-year", "2024")
    tab.wait_for_url(re.compile(r"[?&]year=2024(&|$)"))
    page.wait_for_dash()
    page.screenshot(f"{lang}_statistics_dgsn_2024")
    assert SMALL_LABELS[lang] in tab.inner_text("#statistics-regions")
    href = tab.locator("a[href^='/statistics/export/regions.csv']").get_attribute("href")
    assert "publisher=DGSN" in href and "year=2024" in href
    tab.locator("#statistics-grid").scroll_into_view_if_needed()  # the grid draws its rows in view
    tab.locator("#statistics-grid .ag-cell[col-id='period']").first.wait_for()
    cells = {column: {text for text in tab.locator(f"#statistics-grid .ag-cell[col-id='{column}']")
                      .all_inner_texts() if text} for column in ("period", "publisher")}
    assert cells == {"period": {"2024"}, "publisher": {"DGSN"}}
    page.assert_clean()
