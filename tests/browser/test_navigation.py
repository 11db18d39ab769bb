"""The language switcher keeps the page and its filters, the choice persists, and the
navigation works with the keyboard and without reloading the page."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

NAV = [("nav-0", "/", "/plan"), ("nav-1", "/plan", "/"), ("nav-2", "/implementation", "/"),
       ("nav-3", "/indicators", "/"), ("nav-4", "/entities", "/")]


def test_language_switch_keeps_the_filters_and_persists(page):
    tab = page.page
    page.open("/plan", "fr")
    axis = tab.eval_on_selector(
        "#plan-axis", "s => Array.from(s.options).map(o => o.value).find(v => v !== '')"
    )
    assert axis, "the axis filter offers no axis"
    tab.select_option("#plan-axis", axis)
    tab.wait_for_url(re.compile(rf"[?&]axis={re.escape(axis)}(&|$)"))
    page.wait_for_dash()
    # The Arabic link follows the filters (clientside callback) before we click it.
    tab.wait_for_function(
        "axis => document.getElementById('lang-ar').getAttribute('href').includes('axis=' + axis)", arg=axis
    )

    with tab.expect_navigation(wait_until="networkidle"):
        tab.click("#lang-ar")
    page.wait_for_dash()
    assert "lang=ar" in tab.url and f"axis={axis}" in tab.url
    assert tab.evaluate("document.documentElement.lang") == "ar"
    assert tab.evaluate("document.documentElement.dir") == "rtl"
    assert tab.input_value("#plan-axis") == axis
    assert tab.get_attribute("#lang-ar", "aria-current") == "true"

    # The cookie remembers the language: no ?lang= needed any more.
    page.open("/")
    assert tab.evaluate("document.documentElement.lang") == "ar"
    assert tab.evaluate("document.documentElement.dir") == "rtl"
    page.assert_clean()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_first_tab_reaches_the_skip_link(page, lang):
    tab = page.page
    page.open("/", lang)
    tab.keyboard.press("Tab")
    focused = tab.evaluate(
        "() => ({tag: document.activeElement.tagName, href: document.activeElement.getAttribute('href')})"
    )
    assert focused == {"tag": "A", "href": "#main"}
    # Visible once focused (Bootstrap's visually-hidden-focusable).
    assert tab.locator("a[href='#main']").is_visible()
    page.assert_clean()


@pytest.mark.parametrize(("link_id", "target", "start"), NAV, ids=[n[1] for n in NAV])
def test_nav_link_navigates_without_reload(page, link_id, target, start):
    tab = page.page
    page.open(start, "fr")
    # A full page load would drop this marker: dcc.Link must navigate in the page.
    tab.evaluate("window.__sameDocument = true")
    tab.click(f"#{link_id}")
    tab.wait_for_function("path => window.location.pathname === path", arg=target)
    page.wait_for_dash()

    assert tab.evaluate("window.__sameDocument === true"), "the navigation reloaded the page"
    assert "active" in tab.get_attribute(f"#{link_id}", "class").split()
    assert tab.locator("#not-found").count() == 0, f"{target} shows the not-found message"
    assert tab.locator("#_pages_content h1").count() >= 1, f"{target} has no h1"
    assert tab.evaluate("document.documentElement.lang") == "fr"
    page.assert_clean()
