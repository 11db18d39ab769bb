"""The whole validation path in Arabic, in a real browser: a focal point reports with a
file, the secretariat returns it with a reason, the focal point sends it again, the
secretariat approves it; the public then sees the new progress and the audit trail shows
every step."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from dashboard.db import make_engine, session_scope
from dashboard.models import Entity, Measure
from dashboard.workflow.accounts import demo_email
from helpers import DEMO_PASSWORD
from tests import evidence_samples

pytestmark = pytest.mark.browser

PDF = evidence_samples.PDF
REASON = "يرجى إرفاق محضر الاجتماع"


@pytest.fixture(scope="module")
def mj_measure(live_database) -> dict:
    """A measure the Ministry of Justice leads and has not finished."""
    engine = make_engine(live_database)
    with session_scope(engine) as session:
        measure = session.scalars(
            select(Measure).join(Entity, Entity.id == Measure.lead_entity_id)
            .where(Entity.acronym == "MJ", Measure.status == "in_progress", Measure.progress < 80)
            .order_by(Measure.code)
        ).first()
        found = {"code": measure.code, "progress": measure.progress}
    engine.dispose()
    return found


def log_in(page, who: str) -> None:
    tab = page.page
    page.open("/login", "ar")
    tab.fill("#login-email", demo_email(who))
    tab.fill("#login-password", DEMO_PASSWORD)
    with tab.expect_navigation(wait_until="networkidle"):
        tab.click("#login-submit")
    page.wait_for_dash()
    assert tab.is_visible("#user-name")


def log_out(page) -> None:
    tab = page.page
    with tab.expect_navigation(wait_until="networkidle"):
        tab.click("#logout-button")
    page.wait_for_dash()
    assert tab.is_visible("#login-link")


def pick_date(tab, suffix: str, value: str) -> None:
    field = tab.locator(f"#measure-report-period-{suffix}")
    field.click()
    field.press_sequentially(value)
    field.press("Tab")


def submit_report(page) -> None:
    tab = page.page
    tab.click("#measure-report-submit")
    tab.locator("#measure-report-feedback .alert").wait_for()
    feedback = tab.inner_text("#measure-report-feedback")
    assert tab.locator("#measure-report-feedback .alert-success").count() == 1, feedback


def review(page, decision: str, reason: str = "") -> None:
    tab = page.page
    page.open("/review", "ar")
    card = tab.locator("section[id^='review-measure_update-']").first
    if reason:
        card.locator("textarea[id*='review-reason']").fill(reason)
    card.locator(f"button[id*='review-{decision}']").click()
    card.locator(".alert-success").wait_for()


def test_focal_point_and_secretariat_walk_the_validation_flow_in_arabic(page, mj_measure, tmp_path):
    tab = page.page
    code = mj_measure["code"]
    evidence = tmp_path / "محضر.pdf"
    evidence.write_bytes(PDF)

    # 1. The focal point reports, with a file.
    log_in(page, "focal.mj")
    assert "/my" in tab.url
    assert tab.evaluate("document.documentElement.dir") == "rtl"
    page.open(f"/measures/{code}", "ar")
    tab.select_option("#measure-report-status", "in_progress")
    tab.fill("#measure-report-progress", "70")
    pick_date(tab, "start", "2026-07-01")
    pick_date(tab, "end", "2026-09-30")
    tab.fill("#measure-report-narrative-ar", "تم تنظيم ورشتين لفائدة القضاة")
    tab.set_input_files("#measure-report-files input[type=file]", str(evidence))
    tab.locator("#measure-report-file-names li").wait_for()
    page.screenshot("flow-1-focal-point-form-ar")
    submit_report(page)
    page.screenshot("flow-1-submitted-ar")
    log_out(page)

    # 2. The secretariat returns it with a reason.
    log_in(page, "secretariat")
    review(page, "return", REASON)
    page.screenshot("flow-2-returned-ar")
    log_out(page)

    # 3. The focal point sees the reason, edits and resubmits; the secretariat approves.
    log_in(page, "focal.mj")
    page.open("/my", "ar")
    assert REASON in tab.inner_text("#main")
    page.open(f"/measures/{code}", "ar")
    assert REASON in tab.inner_text("#measure-report")
    tab.fill("#measure-report-progress", "75")
    submit_report(page)
    log_out(page)
    log_in(page, "secretariat")
    review(page, "approve")
    page.screenshot("flow-3-approved-ar")

    # 4. The audit trail shows every step.
    page.open("/admin/audit", "ar")
    trail = tab.inner_text("#main")
    for action in ("measure_update.submit", "measure_update.return", "measure_update.resubmit",
                   "measure_update.approve", "login.succeeded"):
        assert action in trail, action
    page.screenshot("flow-4-audit-ar")
    log_out(page)

    # 5. The public sees the new progress on the measure and in the summary's latest reports.
    page.open(f"/measures/{code}", "ar")
    assert "75" in tab.inner_text("#main")
    page.open("/", "ar")
    assert code in tab.inner_text("#main")
    page.screenshot("flow-5-public-summary-ar")
    page.assert_clean()
