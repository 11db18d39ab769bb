"""Every page of the registry, in Arabic and French, runs under the Content-Security-Policy:
no console error, no ``securitypolicyviolation`` event, nothing loaded from elsewhere. The
pages of logged-in roles are opened again as those roles, with their full content."""
from __future__ import annotations

import re

import dash
import pytest
from sqlalchemy import select

from dashboard.db import make_engine, session_scope
from dashboard.models import Activity, Region
from dashboard.workflow.accounts import demo_email
from helpers import DEMO_PASSWORD

pytestmark = pytest.mark.browser

# The pages only a role sees in full, by demo account.
ROLE_PAGES = {
    "secretariat": ["/review", "/admin/users", "/admin/audit"],
    "focal.pmp": ["/my", "/statistics/report"],
}


@pytest.fixture(scope="module")
def every_page(live_server, live_database, sample_codes) -> list[str]:
    """A real path for every page of the registry (templates filled from the test data)."""
    engine = make_engine(live_database)
    with session_scope(engine) as session:
        first = {
            "axes": sample_codes["axis"],
            "measures": sample_codes["measure"],
            "indicators": sample_codes["indicator"],
            "entities": "MJ",
            "regions": session.scalar(select(Region.code).order_by(Region.code)),
            "activities": session.scalar(select(Activity.code).order_by(Activity.code)),
        }
    engine.dispose()
    paths = []
    for page in dash.page_registry.values():
        template = page.get("path_template") or page["path"]
        if "<" in template:
            section = template.strip("/").split("/")[0]
            assert first.get(section), f"no test value for {template}: add one to every_page"
            template = re.sub(r"<[^>]+>", first[section], template)
        paths.append(template)
    assert len(paths) >= 20
    return sorted(paths)


def open_all(page, paths: list[str], lang: str) -> list[str]:
    """Open each path; returns what went wrong, page by page."""
    problems = []
    for path in paths:
        page.console_errors.clear()
        response = page.page.goto(page.url_for(path, lang), wait_until="networkidle")
        page.wait_for_dash()
        header = response.headers.get("content-security-policy", "")
        if "script-src 'self' 'sha256-" not in header:
            problems.append(f"{path}: no Content-Security-Policy ({header!r})")
        problems += [f"{path}: {violation}" for violation in page.csp_violations()]
        problems += [f"{path}: {error}" for error in page.console_errors]
    problems += [f"request left 127.0.0.1: {url}" for url in page.foreign_requests()]
    return problems


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_every_page_runs_under_the_policy(page, every_page, lang):
    problems = open_all(page, every_page, lang)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["ar", "fr"])
@pytest.mark.parametrize("who", sorted(ROLE_PAGES))
def test_the_pages_of_each_role_run_under_the_policy(page, who, lang):
    tab = page.page
    page.open("/login", lang)
    tab.fill("#login-email", demo_email(who))
    tab.fill("#login-password", DEMO_PASSWORD)
    with tab.expect_navigation(wait_until="networkidle"):
        tab.click("#login-submit")
    page.wait_for_dash()
    assert tab.is_visible("#user-name")
    problems = open_all(page, ROLE_PAGES[who], lang)
    assert not problems, "\n".join(problems)


def test_an_injected_inline_script_is_blocked_and_reported(page):
    """The watch is live and the policy is enforced: a script written into the page by
    another script (as an injection would) does not run and fires the event."""
    page.open("/", "fr")
    page.page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.__injected = true;';
        document.body.appendChild(script);
    }""")
    page.page.wait_for_function("() => window.__cspViolations.length > 0")
    assert page.page.evaluate("window.__injected === undefined")
    assert any(v.startswith("script-src-elem blocked inline") for v in page.csp_violations())
    assert any("Content-Security-Policy" in error for error in page.console_errors)
