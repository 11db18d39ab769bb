"""The activities pages in a real browser: Arabic (right to left) and French, filters that
update the cards and the address bar, and an activity's own page; no console error and no
request leaving the app's host."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

DIRECTIONS = {"ar": "rtl", "fr": "ltr"}
SEED_ACTIVITIES = 6  # data/reference/activities.yaml


@pytest.mark.parametrize("lang", ["ar", "fr"])
@pytest.mark.parametrize("path, cards", [("/activities", SEED_ACTIVITIES),
                                         ("/activities/2024-study-visit-belgium", 1)])
def test_activities_pages_render(page, lang, path, cards):
    tab = page.page
    page.open(path, lang)
    page.screenshot(f"{lang}_{path.strip('/').replace('/', '-')}")
    assert tab.evaluate("document.documentElement.dir") == DIRECTIONS[lang]
    assert tab.locator("#not-found").count() == 0
    assert tab.locator("#_pages_content h1").count() == 1
    assert tab.locator(".activity-card").count() == cards
    # Outside documents open without giving the page a handle on them.
    for rel in tab.eval_on_selector_all(".activity-card a[target=_blank]", "links => links.map(a => a.rel)"):
        assert "noopener" in rel
    if cards > 1:  # the list: by kind, by year, by region and the timeline
        assert tab.locator("#_pages_content .dash-graph .main-svg").count() >= 4
    page.assert_clean()


def test_filters_update_the_cards_and_the_address(page):
    tab = page.page
    page.open("/activities", "fr")
    tab.select_option("#activities-kind", "training")
    tab.wait_for_url(re.compile(r"[?&]kind=training(&|$)"))
    page.wait_for_dash()
    tab.wait_for_function("() => document.querySelectorAll('.activity-card').length === 2")
    assert tab.inner_text("#activities-summary").startswith("2 activités · ")

    tab.fill("#activities-q", "Marrakech")
    tab.press("#activities-q", "Enter")
    tab.wait_for_url(re.compile(r"[?&]q=Marrakech(&|$)"))
    page.wait_for_dash()
    tab.wait_for_function("() => document.querySelectorAll('.activity-card').length === 1")

    # The filtered view can be bookmarked: reopening its address gives the same cards.
    page.open(tab.url.removeprefix(page.base_url))
    assert tab.locator(".activity-card").count() == 1
    assert tab.input_value("#activities-kind") == "training"
    page.assert_clean()
