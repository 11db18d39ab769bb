"""A chart's toolbar offers its image as PNG and as SVG, in the page's language (plotly.js
locales served by the dashboard; the SVG button's title from the page), and nothing that
leads to Plotly's servers."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TITLES = {"ar": "تنزيل الرسم البياني بصيغة PNG", "fr": "Télécharger le graphique en fichier PNG",
          "en": "Download plot as a PNG"}


def toolbar(tab):
    chart = tab.locator(".js-plotly-plot").first
    chart.hover()
    buttons = chart.locator(".modebar-btn")
    chart.locator("[data-attr='download-svg']").wait_for()
    return chart, buttons


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_toolbar_downloads_the_chart_in_the_page_language(page, lang):
    tab = page.page
    page.open("/", lang)
    chart, buttons = toolbar(tab)
    titles = [b.get_attribute("data-title") for b in buttons.all()]
    svg_title = tab.locator("[data-svg-title]").first.get_attribute("data-svg-title")
    assert titles == [TITLES[lang], svg_title] and svg_title  # PNG, then SVG
    assert chart.locator(".modebar a[href*='plotly']").count() == 0  # no logo, no Chart Studio
    with tab.expect_download() as download:
        buttons.first.click()
    assert download.value.suggested_filename.endswith(".png")
    page.assert_clean()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_toolbar_downloads_the_chart_as_svg(page, lang):
    tab = page.page
    page.open("/", lang)
    chart, _buttons = toolbar(tab)
    with tab.expect_download() as download:
        chart.locator("[data-attr='download-svg']").click()
    assert download.value.suggested_filename == "home-axis-progress.svg"
    with open(download.value.path(), encoding="utf-8") as image:
        content = image.read()
    assert content.lstrip().startswith("<svg") and "main-svg" in content
    page.assert_clean()


def test_a_chart_drawn_by_a_callback_gets_the_svg_button(page):
    tab = page.page
    page.open("/implementation", "fr")
    tab.select_option("#impl-axis", index=1)
    page.wait_for_dash()
    chart = tab.locator("#impl-comparison-chart .js-plotly-plot, #impl-comparison-chart.js-plotly-plot").first
    chart.hover()
    chart.locator("[data-attr='download-svg']").wait_for()
    page.assert_clean()
