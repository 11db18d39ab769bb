"""The progress report downloaded as a user would: /report, "Download PDF", the button
shows a spinner while the server makes it, and the file's text (pdftotext) holds an axis
name in reading order, the demonstration mark and no victim count from 1 to 4."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from sqlalchemy import select

from dashboard.db import make_engine
from dashboard.i18n import using_language
from dashboard.models import StrategicAxis
from dashboard.publishing.documents import texts

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(shutil.which("pdftotext") is None,
                                 reason="pdftotext (Debian's poppler-utils) is installed by make test")]
SMALL_NUMBER = re.compile(r"(?<![\d.,:/<-])([1-4])(?![\d.,%:/-])")
LAM_ALEF = re.compile("[لاأإآ]")


def plain(text: str) -> str:
    """``text`` without lam and alef: pdftotext gives Arabic's lam-alef ligature back with its
    two letters swapped, and every other letter in order."""
    return LAM_ALEF.sub("", text)


def section(words: str, start: str, end: str) -> str:
    words, start, end = plain(words), plain(start), plain(end)
    begin = words.rindex(start)  # the chapter, after the table of contents
    return words[begin:words.index(end, begin)]


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_report_downloads_as_a_pdf_that_reads_right(page, live_database, lang, tmp_path):
    tab = page.page
    page.open("/report", lang)
    button = tab.locator("#report-download")
    with tab.expect_download(timeout=60_000) as download:
        button.click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    assert download.value.suggested_filename == f"progress-report-plan-to-date-{lang}.pdf"
    tab.locator("#report-status").filter(has_text=re.compile(".+")).wait_for()
    assert button.is_enabled()
    words = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                           text=True).stdout

    engine = make_engine(live_database)
    with engine.connect() as connection:
        names = connection.execute(select(getattr(StrategicAxis, f"name_{lang}"))).scalars().all()
    engine.dispose()
    assert names and all(plain(name) in plain(words) for name in names), names

    with using_language(lang):
        t = texts()
    assert t["demo_mark"] in words
    statistics = section(words, t["statistics"], t["activities"])
    assert re.search(r"\d{2,}", statistics)  # the section holds figures
    assert not SMALL_NUMBER.findall(statistics), statistics
    page.assert_clean()
