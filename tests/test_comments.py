"""Comments on a submission: who reads and writes the thread, what a comment may hold,
and the audit trail."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from dashboard.errors import Forbidden, InvalidInput, NotFound
from dashboard.models import AuditEvent, Measure
from dashboard.workflow import comments, submissions
from helpers import AS_OF_DATE, actor_of, snapshot

MJ_MEASURE = "A1.O1.M2"


def pending_update(session, tmp_path):
    measure = session.scalar(select(Measure).where(Measure.code == MJ_MEASURE))
    form = submissions.UpdateForm(status="in_progress", progress=60, narrative={"fr": "Fait."},
                                  period_start="2026-07-01", period_end="2026-09-30",
                                  links="https://justice.gov.ma/guide")
    return submissions.submit_measure_update(session, actor_of(session, "focal_mj"), MJ_MEASURE,
                                             measure.version, form, tmp_path, AS_OF_DATE)


def test_the_entity_and_the_secretariat_talk_and_the_committee_reads(session, tmp_path):
    update = pending_update(session, tmp_path)
    comments.add_comment(session, actor_of(session, "secretariat"), "measure_update", update.id,
                         "  Quel PV ?  ")
    comments.add_comment(session, actor_of(session, "focal_mj"), "measure_update", str(update.id),
                         "Celui du 3 juillet.")
    for key in ("focal_mj", "secretariat", "committee", "admin"):
        thread = comments.comments_for(session, actor_of(session, key), "measure_update", update.id)
        assert [c["body"] for c in thread] == ["Quel PV ?", "Celui du 3 juillet."]
    mine = comments.comments_for(session, actor_of(session, "focal_mj"), "measure_update", update.id)
    assert [c["mine"] for c in mine] == [False, True]
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "comment.add")).all()
    assert [e.after["body"] for e in events] == ["Quel PV ?", "Celui du 3 juillet."]
    assert comments.can_comment(session, actor_of(session, "focal_mj"), "measure_update", update.id)
    assert not comments.can_comment(session, actor_of(session, "committee"), "measure_update", update.id)


@pytest.mark.parametrize("key", ["committee", "admin"])
def test_readers_who_are_not_party_cannot_write(session, tmp_path, key):
    update = pending_update(session, tmp_path)
    before = snapshot(session)
    with pytest.raises(Forbidden):
        comments.add_comment(session, actor_of(session, key), "measure_update", update.id, "Bonjour")
    assert snapshot(session) == before


def test_another_entity_and_the_public_neither_read_nor_write(session, tmp_path):
    update = pending_update(session, tmp_path)
    before = snapshot(session)
    other = actor_of(session, "focal_pmp")
    with pytest.raises(NotFound):
        comments.comments_for(session, other, "measure_update", update.id)
    with pytest.raises(NotFound):
        comments.add_comment(session, other, "measure_update", update.id, "Bonjour")
    public = actor_of(session, None)
    with pytest.raises(Forbidden):
        comments.comments_for(session, public, "measure_update", update.id)
    with pytest.raises(Forbidden):
        comments.add_comment(session, public, "measure_update", update.id, "Bonjour")
    assert snapshot(session) == before


@pytest.mark.parametrize("body", ["", "   ", None, 5, ["x"], "x" * 2001])
def test_a_comment_holds_1_to_2000_characters(session, tmp_path, body):
    update = pending_update(session, tmp_path)
    with pytest.raises(InvalidInput) as refused:
        comments.add_comment(session, actor_of(session, "focal_mj"), "measure_update", update.id, body)
    assert refused.value.field == "comment"


def test_2000_characters_are_accepted(session, tmp_path):
    update = pending_update(session, tmp_path)
    comments.add_comment(session, actor_of(session, "focal_mj"), "measure_update", update.id, "é" * 2000)


@pytest.mark.parametrize(("kind", "item_id"), [("measure_update", 10**12), ("measure_update", "x"),
                                               ("measure_update", None), ("measure_update", True),
                                               ("statistic", 1), (["measure_update"], 1), (None, 1),
                                               ("measure_update", -1), ("measure_update", 2.0)])
def test_odd_kinds_and_ids_are_not_found(session, kind, item_id):
    with pytest.raises(NotFound):
        comments.comments_for(session, actor_of(session, "secretariat"), kind, item_id)
    assert not comments.can_comment(session, actor_of(session, "secretariat"), kind, item_id)


def test_an_indicator_values_thread(session, tmp_path):
    form = submissions.ValueForm(period="2025", value="150", links="https://www.pmp.ma/rapport")
    item = submissions.submit_indicator_value(session, actor_of(session, "focal_pmp"), "IND-01", form,
                                              tmp_path, AS_OF_DATE)
    comments.add_comment(session, actor_of(session, "focal_pmp"), "indicator_value", item.id, "Source : PMP.")
    thread = comments.comments_for(session, actor_of(session, "secretariat"), "indicator_value", item.id)
    assert [c["body"] for c in thread] == ["Source : PMP."]
    with pytest.raises(NotFound):
        comments.comments_for(session, actor_of(session, "focal_mj"), "indicator_value", item.id)
