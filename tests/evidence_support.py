"""An evidence file committed through the service, for tests that download or back it up."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from dashboard.db import make_engine, session_scope
from dashboard.models import Measure
from dashboard.workflow import submissions
from dashboard.workflow.evidence import Upload
from helpers import AS_OF_DATE, actor_of
from tests import evidence_samples

MEASURE = "A1.O1.M2"  # led by MJ in tests/fixtures/plan_small.yaml


def submit_evidence(url: str, folder: Path, key: str = "focal_mj") -> tuple[int, bytes]:
    """A measure update with one PDF, submitted and committed by ``key``; (evidence id, bytes)."""
    content = evidence_samples.PDF
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            version = session.scalar(select(Measure.version).where(Measure.code == MEASURE))
            form = submissions.UpdateForm(
                status="in_progress", progress=45, narrative={"en": "Training sessions held."},
                period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 10, 31),
                files=[Upload("report.pdf", content)],
            )
            update = submissions.submit_measure_update(session, actor_of(session, key), MEASURE, version,
                                                       form, folder, AS_OF_DATE)
            session.flush()
            evidence_id = update.evidence[0].id
    finally:
        engine.dispose()
    return evidence_id, content
