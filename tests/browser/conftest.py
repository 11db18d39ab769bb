"""Browser tests: a live dashboard on 127.0.0.1 driven by Debian's chromium through Playwright.

The browser tests always use a temporary SQLite database, even when
DASHBOARD_TEST_DATABASE_URL points at PostgreSQL: they check what the pages render in a
real browser, the database backends are covered by the HTTP-level tests.

Never run ``playwright install``: the tests use the system chromium (apt package
``chromium``). Without it the tests are skipped, except in CI (``CI`` set) where they fail.
"""
from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from dashboard.app import create_app
from dashboard.db import make_engine, session_scope, upgrade
from dashboard.ingest.loader import load_all
from dashboard.models import Indicator, Measure, StrategicAxis
from dashboard.workflow import accounts
from helpers import AS_OF, DATA_DIR, DEMO_PASSWORD, PLAN_SMALL, REPO_ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Page

SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags chromium calls Google hosts on its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
]
RENDER_TIMEOUT_MS = 20_000

# Dash has rendered the page: the page container has content and nothing is loading.
DASH_READY_JS = """
() => {
    const content = document.getElementById('_pages_content');
    if (!content || content.children.length === 0) { return false; }
    if (document.querySelector('._dash-loading, [data-dash-is-loading="true"]')) { return false; }
    // Every chart has been drawn by plotly.js.
    return Array.from(document.querySelectorAll('.dash-graph'))
        .every(function(g) { return g.querySelector('.main-svg') !== null; });
}
"""

# Runs first in every document: a Content-Security-Policy violation becomes a console error
# (which fails any browser test) and is kept for the tests that look for it.
CSP_WATCH_JS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function(event) {
    var text = event.effectiveDirective + ' blocked ' + (event.blockedURI || 'inline') +
        ' at ' + event.sourceFile + ':' + event.lineNumber;
    window.__cspViolations.push(text);
    console.error('Content-Security-Policy violation: ' + text);
});
"""


@pytest.fixture(scope="session")
def live_database(tmp_path_factory) -> str:
    """A SQLite database with the demo plan when it is shipped, else the small test plan."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'dashboard.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        if (DATA_DIR / "plan" / "plan.yaml").exists() and (DATA_DIR / "demo" / "indicator_values.csv").exists():
            load_all(session, DATA_DIR, demo=True)
        else:
            load_all(session, DATA_DIR, demo=False, plan_file=PLAN_SMALL)
        accounts.use_fast_hashing()
        accounts.ensure_demo_accounts(session, DEMO_PASSWORD)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def sample_codes(live_database) -> dict[str, str]:
    """Codes for the detail pages, looked up in the data rather than hard-coded."""
    engine = make_engine(live_database)
    with session_scope(engine) as session:
        codes = {
            "axis": session.scalars(
                select(StrategicAxis.code).order_by(StrategicAxis.position, StrategicAxis.code)
            ).first(),
            "measure": session.scalars(select(Measure.code).order_by(Measure.code)).first(),
            "indicator": session.scalars(
                select(Indicator.code).where(Indicator.is_public.is_(True)).order_by(Indicator.code)
            ).first(),
        }
    engine.dispose()
    missing = [kind for kind, code in codes.items() if code is None]
    assert not missing, f"the test data has no {', '.join(missing)}"
    return codes


@pytest.fixture(scope="session")
def live_server(live_database, tmp_path_factory) -> Iterator[str]:
    """The dashboard served by werkzeug in a daemon thread; yields its base URL."""
    from werkzeug.serving import make_server

    app = create_app({"DATABASE_URL": live_database, "AS_OF": AS_OF,
                      "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads"))})
    # One log line per request would drown the output of a failing test.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="dashboard-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["db_engine"].dispose()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium (never `playwright install`)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class WatchedPage:
    """A Playwright page with what it logged and requested, and helpers for Dash pages."""

    page: Page
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    requested_urls: list[str] = field(default_factory=list)

    def url_for(self, path: str, lang: str | None = None) -> str:
        if lang is None:
            return self.base_url + path
        return self.base_url + path + ("&" if "?" in path else "?") + f"lang={lang}"

    def open(self, path: str, lang: str | None = None) -> None:
        self.page.goto(self.url_for(path, lang), wait_until="networkidle")
        self.wait_for_dash()

    def wait_for_dash(self) -> None:
        self.page.wait_for_function(DASH_READY_JS, timeout=RENDER_TIMEOUT_MS)
        self.page.wait_for_load_state("networkidle")
        # A callback may have started after the first check: check again once the network is quiet.
        self.page.wait_for_function(DASH_READY_JS, timeout=RENDER_TIMEOUT_MS)

    def foreign_requests(self) -> list[str]:
        """Requests that left the dashboard's host (data: and blob: URLs stay in the page)."""
        return [
            url for url in self.requested_urls
            if not url.startswith(("data:", "blob:")) and urlsplit(url).hostname != "127.0.0.1"
        ]

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations || []")

    def assert_clean(self) -> None:
        if self.console_errors:
            pytest.fail("errors in the browser console:\n" + "\n".join(self.console_errors))
        foreign = self.foreign_requests()
        if foreign:
            pytest.fail("requests left 127.0.0.1:\n" + "\n".join(foreign))

    def screenshot(self, name: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{re.sub(r'[^A-Za-z0-9._-]+', '-', name).strip('-')}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


VIEWPORT = {"width": 1366, "height": 900}


@pytest.fixture(scope="session")
def browser_tab(browser, live_server) -> Iterator[WatchedPage]:
    """One tab for the whole run. Its renderer keeps the scripts it compiled (plotly.js and
    the Dash renderer, several megabytes) from one test to the next, which makes a test's
    first page several times faster to open; ``page`` resets everything a test can change."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    context.add_init_script(CSP_WATCH_JS)
    tab = context.new_page()
    watched = WatchedPage(tab, live_server)
    # The handlers read the lists through ``watched``: ``page`` gives each test new ones.
    tab.on("console", lambda msg: watched.console_errors.append(f"console: {msg.text} ({msg.location.get('url', '')})")
           if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: watched.console_errors.append(f"page error: {exc}"))
    tab.on("request", lambda request: watched.requested_urls.append(request.url))
    tab.on("response", lambda response: watched.console_errors.append(
        f"HTTP {response.status}: {response.request.method} {response.url}") if response.status >= 400 else None)
    try:
        yield watched
    finally:
        context.close()


@pytest.fixture
def page(browser_tab) -> Iterator[WatchedPage]:
    """The tab as a test starts it: a blank document, no cookie (no language, no session),
    the desktop viewport, and empty lists of errors and requests."""
    tab = browser_tab.page
    tab.goto("about:blank")
    tab.context.clear_cookies()
    tab.set_viewport_size(VIEWPORT)
    browser_tab.console_errors = []
    browser_tab.requested_urls = []
    yield browser_tab
    tab.goto("about:blank")  # nothing of this test's page runs into the next test
