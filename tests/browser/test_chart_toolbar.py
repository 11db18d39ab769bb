"""A chart's toolbar offers its image as PNG, in the page's language (plotly.js locales
served by the dashboard), and nothing that leads to Plotly's servers."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TITLES = {"ar": "تنزيل الرسم البياني بصيغة PNG", "fr": "Télécharger le graphique en fichier PNG",
          "en": "Download plot as a PNG"}


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_toolbar_downloads_the_chart_in_the_page_language(page, lang):
    tab = page.page
    page.open("/", lang)
    chart = tab.locator(".js-plotly-plot").first
    chart.hover()
    buttons = chart.locator(".modebar-btn")
    buttons.first.wait_for()
    assert [b.get_attribute("data-title") for b in buttons.all()] == [TITLES[lang]]
    assert chart.locator(".modebar a[href*='plotly']").count() == 0  # no logo, no Chart Studio
    with tab.expect_download() as download:
        buttons.first.click()
    assert download.value.suggested_filename.endswith(".png")
    page.assert_clean()
