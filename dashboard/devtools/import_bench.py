"""``python -m dashboard bench-import``: how long a reporting workbook of N filled rows takes
to read and preview, then to send as one batch, on the benchmark's scaled-up plan.

The workbook is the template of the body with the most rows to fill (the Ministry of
Justice's, with the plan at benchmark scale), downloaded as a focal point would and filled
in like one (a new status, progress, a narrative and a period for each open measure; a
value for each indicator row due), up to ``rows`` filled rows. The preview and the batch
are timed ``repeat`` times, each in a transaction rolled back afterwards, so every run
starts from the same data; the figures printed are the median and the slowest.
"""
from __future__ import annotations

import datetime as dt
import io
import statistics
import tempfile
import time
from pathlib import Path

import openpyxl
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.config import Config
from dashboard.db import make_engine
from dashboard.devtools.bench import build_dataset
from dashboard.i18n import using_language
from dashboard.models import User
from dashboard.permissions import Actor
from dashboard.workflow import accounts
from dashboard.workflow.batches import confirm_import, preview_file
from dashboard.workflow.templates import (
    MEASURE_FILLED,
    indicator_headers,
    measure_headers,
    reporting_template,
)

AS_OF = dt.date(2026, 11, 22)
CLOSED = {"completed", "cancelled"}


def filled_workbook(template: bytes, rows: int) -> tuple[bytes, int]:
    """The template with up to ``rows`` rows filled in; returns the file and the rows filled."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    measures, values = book.worksheets[1], book.worksheets[2]
    measure_keys, value_keys = list(measure_headers()), list(indicator_headers())
    filled = 0
    for row in range(2, measures.max_row + 1):
        if filled >= rows:
            break
        current = measures.cell(row, measure_keys.index("current_progress") + 1).value or 0
        if measures.cell(row, 1).value is None or current >= 99:
            continue
        cells = {"status": "in_progress", "progress": current + 1, "narrative_fr": "Activités du trimestre.",
                 "period_start": "2026-07-01", "period_end": "2026-09-30"}
        for key in MEASURE_FILLED:
            if key in cells:
                measures.cell(row, measure_keys.index(key) + 1, cells[key])
        filled += 1
    value_column = value_keys.index("value") + 1
    for row in range(2, values.max_row + 1):
        if filled >= rows:
            break
        if values.cell(row, 1).value is not None:
            values.cell(row, value_column, 12)
            filled += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), filled


def _timed(engine, work) -> tuple[float, object]:
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            start = time.perf_counter()
            result = work(session)
            return (time.perf_counter() - start) * 1000, result
        finally:
            session.close()
            transaction.rollback()


def run(rows: int = 500, repeat: int = 5, database_url: str | None = None) -> int:
    config = Config()
    with tempfile.TemporaryDirectory(prefix="import-bench-") as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        start = time.perf_counter()
        build_dataset(url, Path(config.DATA_DIR), scale=1)
        print(f"dataset built in {time.perf_counter() - start:.1f} s")
        engine = make_engine(url)
        uploads = Path(folder) / "uploads"
        with engine.connect() as connection, Session(bind=connection) as session:
            focal = session.scalar(select(User).where(User.email == accounts.demo_email("focal.mj")))
            actor = Actor(user_id=focal.id, email=focal.email, role=focal.role, entity_id=focal.entity_id)
            with using_language("fr"):
                template = reporting_template(session, actor, "fr", AS_OF).content
        content, filled = filled_workbook(template, rows)
        print(f"workbook: {filled} filled rows, {len(content) / 1024:.0f} KB (template {len(template) / 1024:.0f} KB)")
        previews, sends = [], []
        for _ in range(repeat):
            with using_language("fr"):
                elapsed, preview = _timed(engine, lambda s: preview_file(s, actor, "report.xlsx", content, AS_OF))
            previews.append(elapsed)
            with using_language("fr"):
                elapsed, batch = _timed(engine, lambda s, p=preview: confirm_import(
                    s, actor, "report.xlsx", content, p.fingerprint, uploads, AS_OF, "fr"))
            sends.append(elapsed)
        print(f"rows ready {preview.ready}, to correct {preview.refused}; batch of "
              f"{batch.measure_rows} measure updates and {batch.indicator_rows} indicator values")
        print(f"read + preview: median {statistics.median(previews):.0f} ms, slowest {max(previews):.0f} ms")
        print(f"confirm (preview again + write the batch): median {statistics.median(sends):.0f} ms, "
              f"slowest {max(sends):.0f} ms")
        engine.dispose()
    return 0
