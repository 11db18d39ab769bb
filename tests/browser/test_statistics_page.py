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
ISOLATES = str.maketrans("", "", "\u2066\u2067\u2068\u2069")


def text_of(tab, selector: str) -> str:
    """What the reader sees of an element, without the invisible direction isolates."""
    return tab.inner_text(selector).translate(ISOLATES)


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
    assert SMALL_LABELS[lang] in text_of(tab, "#statistics-regions")
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
    assert SMALL_LABELS[lang] in text_of(tab, "#statistics-regions")
    href = tab.locator("a[href^='/statistics/export/regions.csv']").get_attribute("href")
    assert "publisher=DGSN" in href and "year=2024" in href
    tab.locator("#statistics-grid").scroll_into_view_if_needed()  # the grid draws its rows in view
    tab.locator("#statistics-grid .ag-cell[col-id='period']").first.wait_for()
    cells = {column: {text for text in tab.locator(f"#statistics-grid .ag-cell[col-id='{column}']")
                      .all_inner_texts() if text} for column in ("period", "publisher")}
    assert cells == {"period": {"2024"}, "publisher": {"DGSN"}}
    page.assert_clean()


OVERLAPS = """(selector) => {
    const boxes = [...document.querySelectorAll(selector)].map(e => e.getBoundingClientRect())
        .filter(b => b.width > 0);
    const hits = [];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
            hits.push([a.top, b.top]);
    }));
    return {count: boxes.length, hits};
}"""


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_statistics_side_by_side_rate_and_readable_breakdowns(page, lang):
    """Publishers' counts of one year side by side, the 16.2.2 rate with its source, and the
    sex × age chart with labels and values that never run into each other."""
    page.open("/statistics", lang)
    tab = page.page
    side = text_of(tab, "#statistics-side-by-side")
    assert "269" in side and "229" in side and "120" in side and "60" in side
    rate = text_of(tab, "#statistics-sdg-rate")
    assert "0,62" in rate and "0,73" in rate and "RGPH 2024" in rate
    # Category names (every panel's y axis) and the values written at the bars' ends.
    for selector in ("#statistics-sex_age .yaxislayer-above text", "#statistics-sex_age text.bartext"):
        found = tab.evaluate(OVERLAPS, selector)
        assert found["count"] >= 4 and found["hits"] == [], (selector, found)
    assert SMALL_LABELS[lang] in text_of(tab, "#statistics-sex_age")
    page.assert_clean()


@pytest.mark.parametrize("lang", ["ar"])
def test_a_breakdown_of_small_counts_alone_reads_as_a_table(page, lang):
    page.open("/statistics?publisher=DGSN&year=2025", lang)
    tab = page.page
    assert tab.locator("table#statistics-origin").count() == 1
    assert SMALL_LABELS[lang] in text_of(tab, "#statistics-origin")
    page.assert_clean()
