"""/organisations in a real browser, in Arabic and French: the counts and cards render, the
filters narrow them and follow in the URL, contact details appear only after logging in,
and the national hotline is shown to everyone; no console error, no outside request."""
from __future__ import annotations

import re

import pytest

from dashboard.national.organisations import NATIONAL_HOTLINE
from dashboard.workflow.accounts import demo_email
from helpers import DEMO_PASSWORD
from tests.browser.test_pages import DIRECTIONS

pytestmark = pytest.mark.browser

CARDS = "#organisations-cards .organisation-card"


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_directory_for_the_public(page, lang):
    page.open("/organisations", lang)
    page.screenshot(f"{lang}_organisations")
    tab = page.page
    assert tab.evaluate("document.documentElement.dir") == DIRECTIONS[lang]
    assert tab.locator("#organisations-by-region .main-svg").count() >= 1
    assert tab.locator(CARDS).count() == 24  # one page of the 25; "Next" shows the last one
    tab.locator("#organisations-cards-page button").nth(1).click()
    tab.wait_for_function(f"() => document.querySelectorAll('{CARDS}').length === 1")
    assert tab.inner_text("#organisations-hotline") == NATIONAL_HOTLINE
    content = tab.content()
    assert "example.invalid" not in content and "+212 500" not in content
    assert tab.locator("#organisations-login-note").count() == 1

    tab.select_option("#organisations-region", "MA-03")
    tab.wait_for_url(re.compile(r"[?&]region=MA-03(&|$)"))
    page.wait_for_dash()
    tab.wait_for_function(f"() => document.querySelectorAll('{CARDS}').length === 3")
    tab.fill("#organisations-text", "Moustaqbal")
    tab.press("#organisations-text", "Enter")
    tab.wait_for_function(f"() => document.querySelectorAll('{CARDS}').length === 1")
    assert "example.invalid" not in tab.content()
    page.assert_clean()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_contacts_after_logging_in(page, lang):
    tab = page.page
    page.open("/login", lang)
    tab.fill("#login-email", demo_email("focal.mj"))
    tab.fill("#login-password", DEMO_PASSWORD)
    with tab.expect_navigation(wait_until="networkidle"):
        tab.click("#login-submit")
    page.wait_for_dash()
    page.open("/organisations?region=MA-01", lang)
    assert tab.locator(CARDS).count() == 2
    assert "demo-01@example.invalid" in tab.inner_text("#organisations-cards")
    assert tab.locator("#organisations-login-note").count() == 0
    page.screenshot(f"{lang}_organisations_logged_in")
    page.assert_clean()
