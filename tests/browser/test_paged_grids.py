"""The grids that ask the server for a page at a time (AG Grid's infinite row model), in a
real browser: /plan's measures (sorted and filtered on the server, re-asked when a filter
changes), its tree built when opened, /implementation's overdue measures and /my's
measures; no console error, no request off the host."""
from __future__ import annotations

import re

import pytest

from tests.browser.test_pages import DIRECTIONS
from tests.browser.test_validation_flow import log_in

pytestmark = pytest.mark.browser


def rows(grid: str) -> str:
    return f"#{grid} .ag-center-cols-container .ag-row"


def wait_rows(tab, grid: str, test: str = "> 0") -> None:
    tab.wait_for_function(f"() => document.querySelectorAll('{rows(grid)}').length {test}")


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_plan_grid_pages_from_the_server(page, lang):
    page.open("/plan", lang)
    tab = page.page
    assert tab.evaluate("document.documentElement.dir") == DIRECTIONS[lang]
    wait_rows(tab, "plan-grid")
    assert tab.locator("#plan-tree .card").count() == 0  # the tree waits to be opened
    first = tab.locator(rows("plan-grid")).count()
    # A filter re-asks the server for the grid's first page.
    axis = tab.locator("#plan-axis option").last.get_attribute("value")
    tab.select_option("#plan-axis", axis)
    tab.wait_for_url(re.compile(rf"[?&]axis={re.escape(axis)}(&|$)"))
    page.wait_for_dash()
    tab.wait_for_function(
        f"() => [...document.querySelectorAll('{rows('plan-grid')} .ag-cell[col-id=\"code\"]')]"
        f".every(c => c.innerText.startsWith('{axis}.')) && document.querySelectorAll('{rows('plan-grid')}').length > 0")
    assert tab.locator(rows("plan-grid")).count() <= first
    # The tree: built when opened, an axis's objectives when asked.
    tab.click("#plan-tree-open")
    tab.locator("#plan-tree .card").first.wait_for()
    tab.locator("#plan-tree .card button").first.click()
    tab.locator("#plan-tree .list-group-item").first.wait_for()
    page.assert_clean()


def test_plan_grid_sorts_on_the_server(page):
    page.open("/plan", "fr")
    tab = page.page
    wait_rows(tab, "plan-grid")
    tab.click("#plan-grid .ag-header-cell[col-id='progress'] .ag-header-cell-label")
    page.wait_for_dash()
    tab.click("#plan-grid .ag-header-cell[col-id='progress'] .ag-header-cell-label")  # descending
    page.wait_for_dash()
    tab.wait_for_function(
        f"() => {{ const v = [...document.querySelectorAll('{rows('plan-grid')}')]"
        ".sort((a, b) => a.getAttribute('row-index') - b.getAttribute('row-index'))"
        ".map(r => parseFloat(r.querySelector('.ag-cell[col-id=\"progress\"]').innerText));"
        " return v.length > 1 && v.every((x, i) => i === 0 || v[i - 1] >= x); }")
    page.assert_clean()


def test_overdue_grid_and_my_measures(page):
    page.open("/implementation", "fr")
    wait_rows(page.page, "impl-overdue-grid")
    log_in(page, "focal.mj")
    page.open("/my", "ar")
    wait_rows(page.page, "my-measures-grid")
    # The code column is pinned (to the right in Arabic): its links are outside the centre rows.
    assert page.page.locator("#my-measures-grid a[href^='/measures/']").count() >= 1
    page.assert_clean()
