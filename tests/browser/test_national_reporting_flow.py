"""National reporting in French and Arabic, in a real browser: the Public Prosecution's focal
point enters a yearly figure, the Ministry of Justice's proposes a region's new rollout stage,
the secretariat approves both; the public then sees the figure under its publisher and the
region at its new stage. No console error, no request leaving the app's host."""
from __future__ import annotations

import pytest

from tests.browser.test_validation_flow import log_in, log_out

pytestmark = pytest.mark.browser

REGION = "MA-10"  # Guelmim-Oued Noun: not started in the demonstration data


def approve(page, kind: str, showing: str) -> None:
    """Approve the waiting submission of ``kind`` whose card shows ``showing`` (other tests on
    the same live server may have left submissions of their own waiting)."""
    tab = page.page
    page.open("/review", "ar")
    card = tab.locator(f"section[id^='review-{kind}-']", has_text=showing).first
    card.locator("button[id*='review-approve']").click()
    card.locator(".alert-success").wait_for()


def test_a_figure_and_a_rollout_stage_go_through_validation(page):
    tab = page.page
    log_in(page, "focal.pmp")
    page.open("/statistics/report", "fr")
    tab.select_option("#stat-entry-series", "persons_convicted")
    tab.fill("#stat-entry-year", "2025")
    tab.fill("#stat-entry-value", "137")
    tab.fill("#stat-entry-document", "Rapport annuel 2025 de la Présidence du ministère public")
    tab.click("#stat-entry-submit")
    tab.locator("#stat-entry-feedback .alert-success").wait_for()
    assert "137" in tab.inner_text("#stat-entry-entries")
    log_out(page)

    log_in(page, "focal.mj")
    page.open(f"/regions/{REGION}", "ar")
    tab.select_option("#rollout-report-stage", "preparing")
    tab.fill("#rollout-report-date", "2026-10-15")
    tab.fill("#rollout-report-note", "تم تنصيب اللجنة الجهوية")
    tab.click("#rollout-report-submit")
    tab.locator("#rollout-report-pending").wait_for()
    log_out(page)

    log_in(page, "secretariat")
    approve(page, "statistic", "137")
    approve(page, "rollout_update", "تم تنصيب اللجنة الجهوية")
    page.screenshot("ar_review_national")
    log_out(page)

    page.open("/statistics", "fr")
    trends = tab.evaluate("fetch('/statistics/export/trends.csv').then(function(r) { return r.text(); })")
    assert any(all(part in line.split(",") for part in ("PMP", "2025", "137")) for line in trends.splitlines())
    page.open(f"/regions/{REGION}", "ar")
    page.screenshot("ar_region_after_report")
    assert "تم تنصيب اللجنة الجهوية" in tab.inner_text("#_pages_content")
    page.assert_clean()
