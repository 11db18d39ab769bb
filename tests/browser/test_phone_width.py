"""On a 390 px phone no page is wider than the screen: long titles wrap and wide tables
scroll inside their own box; the menu folds behind a button; no chart's labels overlap.

A full-page screenshot of each page lands in test-artifacts/screenshots/phone-<lang>-<page>.png."""
from __future__ import annotations

import re

import openpyxl
import pytest

from dashboard.workflow.accounts import demo_email
from helpers import DEMO_PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PUBLIC_PAGES = ["/", "/plan", "/implementation", "/indicators", "/entities", "/statistics", "/regions",
                "/activities", "/partners", "/organisations"]
# Detail pages ({axis}, {measure}, {indicator} from the test data) and the other public pages.
MORE_PUBLIC_PAGES = ["/indicators/{indicator}", "/axes/{axis}", "/measures/{measure}", "/entities/MJ",
                     "/report", "/data", "/login"]
WIDTH_JS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"

# Text of the visible charts that overlaps another of the same chart, axis and kind by more
# than 1 px each way: ticks by axis, bar texts and annotations by chart. Each line of a text
# is a box as long as the line and as tall as the font, turned as plotly turns it: the line
# box of Noto Sans Arabic is more than twice the font size, and would make labels 9 px apart
# overlap.
OVERLAPS_JS = """
() => {
    function box(part, text) {
        const length = part.getComputedTextLength();
        const size = parseFloat(getComputedStyle(text).fontSize);
        const turn = /rotate\\((-?[0-9.]+)/.exec(text.getAttribute('transform') || '');
        const angle = (turn ? parseFloat(turn[1]) : 0) * Math.PI / 180;
        const cos = Math.abs(Math.cos(angle)), sin = Math.abs(Math.sin(angle));
        const outer = part.getBoundingClientRect();
        const w = length * cos + size * sin, h = length * sin + size * cos;
        const cx = (outer.left + outer.right) / 2, cy = (outer.top + outer.bottom) / 2;
        return {left: cx - w / 2, right: cx + w / 2, top: cy - h / 2, bottom: cy + h / 2};
    }
    const kinds = ['.xtick text', '.ytick text', '.textpoint text', '.annotation-text'];
    const found = [];
    document.querySelectorAll('.js-plotly-plot').forEach(function(plot, p) {
        if (!plot.getClientRects().length) { return; }
        kinds.forEach(function(kind) {
            const groups = new Map();
            plot.querySelectorAll(kind).forEach(function(node) {
                if (!node.getClientRects().length || !node.textContent.trim()) { return; }
                // A tick's axis layer (xaxislayer-above of one subplot); the chart otherwise.
                const key = kind.includes('tick') ? node.parentNode.parentNode : plot;
                if (!groups.has(key)) { groups.set(key, []); }
                // plotly writes a text of several lines as tspans, each a line.
                const lines = node.querySelectorAll('tspan.line');
                (lines.length ? Array.from(lines) : [node]).forEach(function(part) {
                    if (part.textContent.trim()) { groups.get(key).push([part.textContent, box(part, node)]); }
                });
            });
            groups.forEach(function(boxes) {
                boxes.forEach(function(a, i) {
                    boxes.slice(i + 1).forEach(function(b) {
                        const dx = Math.min(a[1].right, b[1].right) - Math.max(a[1].left, b[1].left);
                        const dy = Math.min(a[1].bottom, b[1].bottom) - Math.max(a[1].top, b[1].top);
                        if (dx > 1 && dy > 1) {
                            found.push((plot.parentNode.id || 'chart ' + p) + ' ' + kind +
                                       ': "' + a[0] + '" over "' + b[0] + '"');
                        }
                    });
                });
            });
        });
    });
    return found;
}
"""


def too_wide(page, paths: list[str], lang: str) -> list[str]:
    page.page.set_viewport_size(PHONE)
    problems = []
    for path in paths:
        page.open(path, lang)
        scroll, client = page.page.evaluate(WIDTH_JS)
        if scroll > client:
            problems.append(f"{path} [{lang}]: {scroll} px wide on a {client} px screen")
    return problems


def phone_problems(page, paths: list[str], lang: str, charts: bool = True) -> list[str]:
    """Each path at 390 px: wider than the screen, menu not folded, overlapping chart text
    (unless ``charts`` is false)."""
    tab = page.page
    tab.set_viewport_size(PHONE)
    problems = []
    for path in paths:
        page.open(path, lang)
        page.screenshot(f"phone-{lang}-{re.sub(r'[^A-Za-z0-9]+', '-', path).strip('-') or 'home'}")
        scroll, client = tab.evaluate(WIDTH_JS)
        if scroll > client:
            problems.append(f"{path} [{lang}]: {scroll} px wide on a {client} px screen")
        if tab.is_visible("#nav-collapse") or not tab.is_visible("#nav-toggler"):
            problems.append(f"{path} [{lang}]: the menu is not folded behind its button")
        if charts:
            problems += [f"{path} [{lang}]: {overlap}" for overlap in tab.evaluate(OVERLAPS_JS)]
    return problems


def log_in(page, who: str, lang: str) -> None:
    tab = page.page
    page.open("/login", lang)
    tab.fill("#login-email", demo_email(who))
    tab.fill("#login-password", DEMO_PASSWORD)
    with tab.expect_navigation(wait_until="networkidle"):
        tab.click("#login-submit")
    page.wait_for_dash()


def log_in_as_producer(page, lang: str) -> None:
    log_in(page, "focal.pmp", lang)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_public_pages_fit_a_phone(page, sample_codes, lang):
    paths = PUBLIC_PAGES + [path.format(**sample_codes) for path in MORE_PUBLIC_PAGES]
    problems = phone_problems(page, [p for p in paths if p != "/statistics"], lang)
    problems += phone_problems(page, ["/statistics"], lang, charts=False)
    assert not problems, "\n".join(problems)
    page.assert_clean()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_statistics_charts_are_readable_on_a_phone(page, lang):
    problems = phone_problems(page, ["/statistics"], lang)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["ar", "fr"])
@pytest.mark.parametrize("who", ["focal.pmp", "secretariat"])
def test_logged_in_pages_fit_a_phone(page, who, lang):
    """Every page of the user's menu, their password page and, for a producer, reporting from a file."""
    tab = page.page
    log_in(page, who, lang)
    tab.set_viewport_size(PHONE)
    page.open("/", lang)
    paths = tab.eval_on_selector_all("#user-nav a", "links => links.map(a => a.getAttribute('href'))")
    paths += ["/account/password"] + (["/my/import"] if who.startswith("focal") else [])
    assert len(paths) >= 3, paths
    problems = phone_problems(page, paths, lang)
    assert not problems, "\n".join(problems)
    page.assert_clean()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_phone_menu_opens_on_click_and_closes_on_navigation(page, lang):
    tab = page.page
    tab.set_viewport_size(PHONE)
    page.open("/plan", lang)
    assert not tab.is_visible("#nav-1") and tab.get_attribute("#nav-toggler", "aria-expanded") == "false"
    tab.click("#nav-toggler")
    tab.locator("#nav-1").wait_for(state="visible")
    assert tab.is_visible("#lang-fr") and tab.get_attribute("#nav-toggler", "aria-expanded") == "true"
    # The open menu is as narrow as the screen too.
    scroll, client = tab.evaluate(WIDTH_JS)
    assert scroll <= client, f"the open menu is {scroll} px wide on a {client} px screen"
    tab.click("#nav-0")
    tab.wait_for_function("() => window.location.pathname === '/'")
    tab.locator("#nav-collapse").wait_for(state="hidden")
    page.assert_clean()


def test_the_desktop_menu_shows_without_a_button(page):
    page.open("/", "fr")
    assert page.page.is_visible("#nav-1") and not page.page.is_visible("#nav-toggler")


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_a_producer_s_figures_table_fits_a_phone(page, lang):
    """The table of a body's figures has a visually hidden header, which used to escape the
    table's scroll box and widen the page."""
    tab = page.page
    log_in_as_producer(page, lang)
    # One figure of the body's own, so that its table is drawn.
    page.open("/statistics/report", lang)
    tab.select_option("#stat-entry-series", "persons_convicted")
    tab.fill("#stat-entry-year", "2016" if lang == "ar" else "2017")
    tab.fill("#stat-entry-value", "12")
    tab.fill("#stat-entry-document", "Rapport annuel de la Présidence du ministère public")
    tab.click("#stat-entry-submit")
    tab.locator("#stat-entry-feedback .alert-success").wait_for()
    problems = too_wide(page, ["/statistics/report", "/my"], lang)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_a_reporting_files_preview_fits_a_phone(page, lang, tmp_path):
    """The preview's table of rows scrolls inside its box; nothing is sent."""
    tab = page.page
    log_in_as_producer(page, lang)
    tab.set_viewport_size(PHONE)
    page.open("/my/import", lang)
    with tab.expect_download() as download:
        tab.click("#import-template-link")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    book = openpyxl.load_workbook(template)
    measures = book.worksheets[1]
    measures.cell(2, 7, "?")  # a status that does not exist
    measures.cell(2, 8, 50)
    book.save(template)
    tab.set_input_files("#import-upload input[type=file]", str(template))
    tab.locator("#import-summary").wait_for()
    page.wait_for_dash()
    scroll, client = tab.evaluate(WIDTH_JS)
    page.screenshot(f"import-preview-phone-{lang}")
    assert scroll <= client, f"/my/import [{lang}]: {scroll} px wide on a {client} px screen"
