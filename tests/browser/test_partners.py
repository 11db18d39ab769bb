"""/partners in a real browser, in Arabic and French: the charts draw, the programmes table
fills, the partner filter narrows it and follows in the URL; no console error and no
request leaves the app's host. The live server has the demonstration data, so the
programmes are linked (illustratively) to measures."""
from __future__ import annotations

import re

import pytest

from tests.browser.test_pages import DIRECTIONS

pytestmark = pytest.mark.browser

GRID_ROWS = "#partners-grid .ag-center-cols-container .ag-row"


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_partners_page(page, lang):
    page.open("/partners", lang)
    page.screenshot(f"{lang}_partners")
    tab = page.page
    assert tab.evaluate("document.documentElement.dir") == DIRECTIONS[lang]
    assert tab.locator("#_pages_content h1").count() == 1
    for chart in ("#partners-by-partner", "#partners-by-axis", "#partners-committed-disbursed"):
        assert tab.locator(f"{chart} .main-svg").count() >= 1, chart
    tab.wait_for_function(f"() => document.querySelectorAll('{GRID_ROWS}').length === 7")  # asked a page at a time
    assert tab.locator("#partners-supported .app-progress").count() >= 1
    assert tab.locator(".demo-badge").count() >= 1  # the links to measures are illustrative
    page.assert_clean()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_partner_filter(page, lang):
    page.open("/partners", lang)
    tab = page.page
    tab.select_option("#partners-partner", "COE")
    tab.wait_for_url(re.compile(r"[?&]partner=COE(&|$)"))
    page.wait_for_dash()
    tab.wait_for_function(f"() => document.querySelectorAll('{GRID_ROWS}').length === 2")
    # The Council of Europe's South programme, named in the reader's language.
    assert {"ar": "برنامج الجنوب", "fr": "Programme Sud"}[lang] in tab.inner_text("#partners-grid")
    assert tab.locator("#partners-supported").inner_text().count("COE") >= 1
    page.assert_clean()
