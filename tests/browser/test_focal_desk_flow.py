"""The focal point's desk in a real browser, in French: the report form shows every fault at
once next to its field; the update sent is then withdrawn after the browser's confirmation,
and the form is back; a comment is sent on the way."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from dashboard.db import make_engine, session_scope
from dashboard.models import Entity, Measure
from tests.browser.test_validation_flow import log_in, log_out, pick_date

pytestmark = pytest.mark.browser

FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                 "octobre", "novembre", "décembre")


@pytest.fixture(scope="module")
def other_mj_measure(live_database) -> str:
    """A measure the Ministry of Justice leads that the validation flow leaves alone."""
    engine = make_engine(live_database)
    with session_scope(engine) as session:
        codes = session.scalars(
            select(Measure.code).join(Entity, Entity.id == Measure.lead_entity_id)
            .where(Entity.acronym == "MJ", Measure.status == "in_progress").order_by(Measure.code.desc())
        ).all()
    engine.dispose()
    return codes[0]


def test_every_fault_at_once_then_withdraw(page, other_mj_measure):
    tab = page.page
    log_in(page, "focal.mj")
    page.open(f"/measures/{other_mj_measure}", "fr")
    tab.fill("#measure-report-progress", "150")
    tab.click("#measure-report-submit")
    tab.locator("#measure-report-feedback .alert-danger").wait_for()
    # Progress, period, narrative and evidence are each marked next to their field.
    for slot in ("progress", "period", "narrative", "evidence"):
        assert tab.inner_text(f"#measure-report-error-{slot}").strip(), slot
    assert tab.locator("#measure-report .is-invalid").count() >= 1  # the progress field
    assert tab.locator("#measure-report-feedback li").count() == 4
    page.screenshot("desk-1-all-faults-fr")

    # The date picker speaks French: its placeholder, and the months of its calendar.
    start = tab.locator("#measure-report-period-start")
    assert start.get_attribute("placeholder") == "AAAA-MM-JJ"
    start.click()
    calendar = tab.locator("[role=dialog], .dash-datepicker-calendar-container").first
    calendar.wait_for()
    months = calendar.inner_text().lower()
    assert any(m in months for m in FRENCH_MONTHS), months
    assert not any(m in months for m in ("january", "june", "july", "september")), months
    start.press("Escape")

    tab.fill("#measure-report-progress", "60")
    pick_date(tab, "start", "2026-07-01")
    pick_date(tab, "end", "2026-09-30")
    tab.fill("#measure-report-narrative-fr", "Deux ateliers tenus.")
    tab.fill("#measure-report-links", "https://www.justice.gov.ma/rapport")
    tab.click("#measure-report-submit")
    tab.locator("#measure-report-feedback .alert-success").wait_for()
    tab.locator("#measure-report-withdraw button").wait_for()

    # A comment to the secretariat on the update that waits.
    thread = tab.locator("#measure-report section[aria-label]").last
    thread.locator("textarea").fill("Le procès-verbal suit par courrier.")
    thread.locator("button").click()
    thread.locator(".text-success").wait_for()
    assert "Le procès-verbal suit par courrier." in thread.locator("ol").inner_text()
    assert thread.locator("textarea").input_value() == ""
    page.screenshot("desk-2-comment-fr")

    tab.once("dialog", lambda dialog: dialog.accept())
    tab.click("#measure-report-withdraw button")
    tab.locator("#measure-report-submit").wait_for()  # the form is back
    assert tab.locator("#measure-report-feedback .alert-success").count() == 1
    page.screenshot("desk-3-withdrawn-fr")
    log_out(page)
    page.assert_clean()
