"""/statistics in a real browser, in Arabic and French: every chart draws, the grid fills,
small counts read "<5", a CSV download answers; no console error and no request leaves the
app's host. The live server has the demonstration data (regional figures, small cells)."""
from __future__ import annotations

import pytest

from tests.browser.test_pages import DIRECTIONS

pytestmark = pytest.mark.browser


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
    assert "<5" in tab.inner_text("#statistics-regions")
    with tab.expect_download() as download:
        tab.locator("a[href^='/statistics/export/regions.csv']").click()
    assert download.value.suggested_filename == "statistics-regions.csv"
    page.assert_clean()
