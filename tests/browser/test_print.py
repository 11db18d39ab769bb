"""Printing a page prints its content: the print stylesheet hides the menu, buttons, filters
and footer, lays the columns out at the whole width and the charts are redrawn at it."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = ["/", "/plan", "/indicators", "/statistics", "/partners", "/activities"]
HIDDEN = [".app-navbar", "footer", ".filter-bar", "#_pages_content .btn"]
# (the widest chart's width, the content's width), in CSS pixels
WIDTHS_JS = """() => {
    const charts = Array.from(document.querySelectorAll('.js-plotly-plot .main-svg'));
    const widest = Math.max(0, ...charts.map(svg => svg.getBoundingClientRect().width));
    return [widest, document.getElementById('_pages_content').getBoundingClientRect().width];
}"""


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_pages_print_their_content_at_full_width(page, lang):
    tab = page.page
    for path in PAGES:
        page.open(path, lang)
        tab.emulate_media(media="print")
        tab.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        for selector in HIDDEN:
            shown = [el for el in tab.locator(selector).all() if el.is_visible()]
            assert not shown, f"{path} [{lang}]: {selector} is printed"
        # A page without charts (the plan explorer) has nothing to redraw.
        tab.wait_for_function(f"() => {{ const [chart, content] = ({WIDTHS_JS})(); "
                              "return chart === 0 || chart >= 0.9 * content; }")
        tab.emulate_media(media="screen")
    pdf = tab.pdf(format="A4")  # chromium prints the last page without an error
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.assert_clean()
