"""The reporting cycle with a workbook, in Arabic, in a real browser: a focal point downloads
their template, fills it (with mistakes), reads the errors in the preview, corrects them and
confirms; the secretariat approves the file except one row, returned with a reason; the
public sees the approved progress and the audit trail shows the import with its file."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from dashboard.db import make_engine, session_scope
from dashboard.models import IndicatorSubmission, MeasureUpdate
from dashboard.workflow.templates import MEASURE_FILLED, indicator_headers, measure_headers
from tests.browser.test_validation_flow import log_in, log_out

pytestmark = pytest.mark.browser

REASON = "يرجى توضيح عدد المستفيدين"
FILE_NAME = "تقرير-الداخلية.xlsx"
MEASURE_KEYS = list(measure_headers())
INDICATOR_KEYS = list(indicator_headers())


def column(keys: list[str], key: str) -> int:
    return keys.index(key) + 1


def fill(template: Path, target: Path, fixed: bool) -> tuple[list[str], str]:
    """Two measure rows and two indicator values; unless ``fixed``, one of each is wrong.
    Returns the measures' codes and the indicator's code."""
    book = openpyxl.load_workbook(template)
    measures, values = book.worksheets[1], book.worksheets[2]
    rows = [r for r in range(2, measures.max_row + 1)
            if (measures.cell(r, column(MEASURE_KEYS, "current_progress")).value or 0) < 60][:2]
    assert len(rows) == 2, "the demonstration data has two measures of MI to report on"
    for number, row in enumerate(rows):
        cells = {"status": "في طور الإنجاز", "progress": 60 + number, "narrative_ar": "تم تكوين أطر الوزارة",
                 "period_start": "2026-07-01", "period_end": "2026-09-30"}
        if number == 1 and not fixed:
            cells.update(status="ربما", progress="١٥٠")  # an unknown status, progress above 100
        for key in MEASURE_FILLED:
            if key in cells:
                measures.cell(row, column(MEASURE_KEYS, key), cells[key])
    value = column(INDICATOR_KEYS, "value")
    values.cell(2, value, "١٢")  # the total of the first period due, in Arabic-Indic digits
    values.cell(3, value, 5 if fixed else -5)
    book.save(target)
    codes = [measures.cell(r, 1).value for r in rows]
    return codes, values.cell(2, 1).value


def upload(page, path: Path) -> str:
    tab = page.page
    before = tab.inner_text("#import-preview")
    tab.set_input_files("#import-upload input[type=file]", str(path))
    tab.wait_for_function("before => document.querySelector('#import-preview').innerText !== before", arg=before)
    tab.locator("#import-summary").wait_for()
    page.wait_for_dash()
    return tab.inner_text("#import-preview")


def test_a_workbook_goes_from_the_focal_point_to_the_public_in_arabic(page, tmp_path, live_database):
    tab = page.page
    log_in(page, "focal.mi")
    page.open("/my/import", "ar")
    assert tab.evaluate("document.documentElement.dir") == "rtl"
    with tab.expect_download() as download:
        tab.click("#import-template-link")
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name.startswith("reporting-template-MI-ar-")

    # 1. A file with mistakes: the preview says what is wrong, in Arabic, row by row.
    wrong = tmp_path / FILE_NAME
    codes, indicator = fill(template, wrong, fixed=False)
    preview = upload(page, wrong)
    assert "للتصحيح" in preview and "اختر وضعية" in preview and "لا يمكن أن تكون القيمة سالبة" in preview
    page.screenshot("import-1-errors-ar")

    # 2. Corrected, every row is ready; the focal point confirms.
    fill(template, wrong, fixed=True)  # saved under the same name, chosen again
    preview = upload(page, wrong)
    assert "للتصحيح" not in preview
    tab.click("#import-confirm")
    tab.locator("#import-sent").wait_for()
    page.screenshot("import-2-sent-ar")
    log_out(page)

    # 3. The secretariat approves the file except one row, returned with a reason.
    log_in(page, "secretariat")
    page.open("/review", "ar")
    card = tab.locator("section[id^='review-batch-']").first
    page.screenshot("import-3-batch-ar")
    card.locator(".batch-rows label", has_text=codes[1]).locator("input").uncheck()
    card.locator("button[id*='batch-approve']").click()
    tab.locator("section[id^='review-batch-'] .alert-success").wait_for()
    page.wait_for_dash()
    card = tab.locator("section[id^='review-batch-']").first
    assert card.locator(".batch-rows label").count() == 1
    card.locator("textarea[id*='batch-reason']").fill(REASON)
    card.locator("button[id*='batch-return']").click()
    card.get_by_text("تم البت في كل صفوف هذا الملف").wait_for()
    page.screenshot("import-3-reviewed-ar")

    # 4. The audit trail shows the import with its file.
    page.open("/admin/audit", "ar")
    trail = tab.inner_text("#main")
    assert "import.confirm" in trail and "import.approve" in trail and "import.return" in trail
    log_out(page)

    # 5. The public sees the approved progress; the returned row's measure is unchanged.
    page.open(f"/measures/{codes[0]}", "ar")
    assert "60" in tab.inner_text("#main")
    engine = make_engine(live_database)
    with session_scope(engine) as session:
        states = dict(session.execute(select(MeasureUpdate.progress, MeasureUpdate.state)
                                      .where(MeasureUpdate.batch_id.is_not(None))).all())
        returned = session.scalar(select(MeasureUpdate.return_reason).where(MeasureUpdate.state == "returned"))
        values = session.scalars(select(IndicatorSubmission.state).where(IndicatorSubmission.batch_id.is_not(None)))
        assert states == {60: "approved", 61: "returned"} and returned == REASON
        assert set(values) == {"approved"}
    engine.dispose()
    page.open(f"/indicators/{indicator}", "ar")
    page.assert_clean()
