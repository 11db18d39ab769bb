"""Every page renders in Arabic (right to left) and French, with no error and no outside request.

A full-page screenshot of each lands in test-artifacts/screenshots/<lang>_<page>.png.
"""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

# {axis}, {measure} and {indicator} are filled in from the test database (see sample_codes).
PAGES = [
    "/",
    "/plan",
    "/plan?axis=A1",
    "/implementation",
    "/indicators",
    "/indicators/{indicator}",
    "/axes/{axis}",
    "/measures/{measure}",
    "/entities",
    "/entities/MJ",
]
DIRECTIONS = {"ar": "rtl", "fr": "ltr"}
STYLESHEETS = {"ar": "bootstrap.rtl.min.css", "fr": "bootstrap.min.css"}

LINKED_STYLESHEETS_JS = """
() => Array.from(document.querySelectorAll('link[rel="stylesheet"]'))
    .map(function(link) { return new URL(link.href).pathname.split('/').pop(); })
"""


def _slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", path).strip("-") or "home"


@pytest.mark.parametrize("lang", ["ar", "fr"])
@pytest.mark.parametrize("template", PAGES)
def test_page_renders(page, sample_codes, template, lang):
    path = template.format(**sample_codes)
    page.open(path, lang)
    page.screenshot(f"{lang}_{_slug(path)}")
    tab = page.page

    assert tab.evaluate("document.documentElement.lang") == lang
    assert tab.evaluate("document.documentElement.dir") == DIRECTIONS[lang]
    stylesheets = tab.evaluate(LINKED_STYLESHEETS_JS)
    assert STYLESHEETS[lang] in stylesheets
    other = STYLESHEETS["fr" if lang == "ar" else "ar"]
    assert other not in stylesheets, f"both Bootstrap builds are linked: {stylesheets}"

    # The page's own content, not Dash's 404 page nor the "not found" message of a detail page.
    assert tab.locator("#not-found").count() == 0, f"{path} shows the not-found message"
    assert "not found" not in tab.inner_text("#_pages_content").lower(), f"{path} says not found"
    assert tab.locator("#_pages_content h1").count() >= 1, f"{path} has no h1"
    page.assert_clean()
