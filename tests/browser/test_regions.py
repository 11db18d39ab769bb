"""The regions pages in chromium, in Arabic and French: the map is drawn from the app's own
outline file (no tile, no request to another host), a click on a region opens its page,
and a region's page shows its stage and history."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

DIRECTIONS = {"ar": "rtl", "fr": "ltr"}

# The page coordinates of a point (longitude, latitude) of the map, through plotly's axes.
POINT_ON_MAP_JS = """
([lon, lat]) => {
    const gd = document.querySelector('#regions-map .js-plotly-plot');
    const box = gd.getBoundingClientRect();
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    return [box.left + xa._offset + xa.l2p(lon), box.top + ya._offset + ya.l2p(lat)];
}
"""
# Inside Drâa-Tafilalet (MA-08), away from its borders and from the names written on the map.
DRAA_TAFILALET = (-5.0, 30.6)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_map_click_opens_the_region(page, lang):
    page.open("/regions", lang)
    page.screenshot(f"{lang}_regions")
    tab = page.page
    assert tab.evaluate("document.documentElement.dir") == DIRECTIONS[lang]
    # One filled outline per region, plus the names.
    assert tab.locator("#regions-map .scatterlayer .trace").count() >= 13
    assert tab.locator("#regions-table tbody tr").count() == 12
    assert tab.locator("#regions-demo-note").count() == 1  # the live server has demo data

    x, y = tab.evaluate(POINT_ON_MAP_JS, list(DRAA_TAFILALET))
    tab.mouse.move(x, y)
    tab.wait_for_selector("#regions-map .hoverlayer .hovertext")
    tab.mouse.click(x, y)
    tab.wait_for_url(re.compile(r"/regions/MA-08(\?|$)"))
    page.wait_for_dash()
    assert tab.locator("#region-stage").count() == 1
    assert tab.locator("#region-history li").count() >= 1
    page.assert_clean()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_region_page(page, lang):
    page.open("/regions/MA-03", lang)
    page.screenshot(f"{lang}_regions-MA-03")
    tab = page.page
    assert tab.evaluate("document.documentElement.dir") == DIRECTIONS[lang]
    assert tab.locator("#not-found").count() == 0
    # The reference step (the shelter agreement) with its source, not the demonstration one.
    history = tab.inner_text("#region-history")
    assert "2024" in history and "cnclt.justice.gov.ma" in history
    assert tab.locator("#region-history a[rel~='noopener']").count() == 1
    assert tab.locator("#region-bodies tbody tr").count() >= 1
    page.assert_clean()


def test_table_link_opens_the_region(page):
    page.open("/regions", "fr")
    page.page.click("#regions-row-MA-06 a")
    page.page.wait_for_url(re.compile(r"/regions/MA-06(\?|$)"))
    page.wait_for_dash()
    assert page.page.locator("#region-stage").count() == 1
    page.assert_clean()


def test_unknown_region(page):
    page.open("/regions/MA-99", "fr")
    assert page.page.locator("#not-found").count() == 1
    page.assert_clean()
