"""The validation flow's services: submit, return, resubmit, approve; checks; versions;
and two conflicting writes at the same moment (on the backend under test)."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.errors import Conflict, Forbidden, InvalidInput, NotFound
from dashboard.models import (
    AuditEvent,
    Evidence,
    ImportBatch,
    Indicator,
    IndicatorValue,
    Measure,
    MeasureProgressEvent,
    MeasureUpdate,
)
from dashboard.permissions import Actor
from dashboard.workflow import audit, submissions
from dashboard.workflow.evidence import Upload
from helpers import AS_OF_DATE, actor_of, email_of, snapshot
from tests import evidence_samples

MJ_MEASURE = "A1.O1.M2"  # led by MJ, in progress at 30%
PDF = evidence_samples.PDF


def actor(session: Session, key: str | None) -> Actor:
    return actor_of(session, key, address="192.0.2.1")


def form(**changes) -> submissions.UpdateForm:
    values = dict(status="in_progress", progress=60, narrative={"fr": "Guide rédigé et relu."},
                  period_start="2026-07-01", period_end="2026-09-30", links="https://justice.gov.ma/guide",
                  files=[])
    values.update(changes)
    return submissions.UpdateForm(**values)


def measure(session: Session, code: str = MJ_MEASURE) -> Measure:
    return session.scalar(select(Measure).where(Measure.code == code))


def submit(session, tmp_path, key="focal_mj", **changes) -> MeasureUpdate:
    m = measure(session)
    return submissions.submit_measure_update(session, actor(session, key), MJ_MEASURE, m.version,
                                             form(**changes), tmp_path, AS_OF_DATE)


# --- submitting --------------------------------------------------------------------------


def test_focal_point_of_the_lead_entity_submits_an_update_that_waits(session, tmp_path):
    before = (measure(session).status, measure(session).progress)
    update = submit(session, tmp_path, files=[Upload("rapport.pdf", PDF)])
    assert update.state == "submitted"
    assert (measure(session).status, measure(session).progress) == before  # not counted yet
    [link, file] = sorted(update.evidence, key=lambda e: e.kind, reverse=True)
    assert link.kind == "link" and file.kind == "file"
    assert (tmp_path / file.stored_name).read_bytes() == PDF
    assert file.filename == "rapport.pdf" and file.stored_name != "rapport.pdf"
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "measure_update.submit"))
    assert event.actor_email == email_of("focal_mj") and event.after["progress"] == 60
    assert event.address == "192.0.2.1"


@pytest.mark.parametrize("key", [None, "focal_pmp", "committee", "secretariat", "admin"])
def test_only_a_focal_point_of_the_lead_entity_may_submit(session, tmp_path, key):
    before = snapshot(session)
    with pytest.raises(Forbidden):
        submit(session, tmp_path, key=key)
    assert snapshot(session) == before
    assert list(tmp_path.iterdir()) == []


def test_a_forged_measure_code_is_not_found(session, tmp_path):
    with pytest.raises(NotFound):
        submissions.submit_measure_update(session, actor(session, "focal_mj"), "Z9'; DROP TABLE measure;--",
                                          1, form(), tmp_path, AS_OF_DATE)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"progress": -1}, "progress"),
        ({"progress": 101}, "progress"),
        ({"progress": "12.5"}, "progress"),
        ({"progress": "lots"}, "progress"),
        ({"status": "finished"}, "status"),
        ({"status": "completed", "progress": 90}, "progress"),
        ({"narrative": {"fr": "  ", "ar": ""}}, "narrative"),
        ({"narrative": {"en": "x" * 5001}}, "narrative"),
        ({"period_start": "2026-10-01", "period_end": "2026-09-01"}, "period"),
        ({"period_start": "2019-01-01"}, "period"),
        ({"period_end": "2026-12-31"}, "period"),  # after the as-of date
        ({"period_start": "soon"}, "period"),
        ({"links": "javascript:alert(1)"}, "links"),
        ({"links": "", "files": []}, "evidence"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_changes_nothing(session, tmp_path, changes, field):
    before = snapshot(session)
    with pytest.raises(InvalidInput) as refused:
        submit(session, tmp_path, **changes)
    assert refused.value.field == field
    assert snapshot(session) == before


def test_a_stale_version_is_refused_with_the_newer_values(session, tmp_path):
    m = measure(session)
    with pytest.raises(Conflict) as conflict:
        submissions.submit_measure_update(session, actor(session, "focal_mj"), MJ_MEASURE, m.version - 1,
                                          form(), tmp_path, AS_OF_DATE)
    assert conflict.value.newer["progress"] == 30
    assert "30" in str(conflict.value)


def test_a_second_pending_update_of_the_same_measure_is_refused(session, tmp_path):
    submit(session, tmp_path)
    with pytest.raises(Conflict):
        submit(session, tmp_path)


def test_narrative_html_is_stored_as_typed(session, tmp_path):
    update = submit(session, tmp_path, narrative={"fr": "<script>alert(1)</script>"})
    assert update.narrative_fr == "<script>alert(1)</script>"


# --- reviewing ---------------------------------------------------------------------------


def test_approval_makes_the_update_the_measure_state_and_its_history(session, tmp_path):
    update = submit(session, tmp_path)
    version = update.version
    secretariat = actor(session, "secretariat")
    submissions.approve_measure_update(session, secretariat, update.id, version, AS_OF_DATE)
    m = measure(session)
    assert (m.status, m.progress, m.last_updated) == ("in_progress", 60, AS_OF_DATE)
    assert update.state == "approved" and update.reviewed_by_id == secretariat.user_id
    event = session.scalar(select(MeasureProgressEvent).where(MeasureProgressEvent.update_id == update.id))
    assert (event.recorded_on, event.progress) == (AS_OF_DATE, 60)
    record = session.scalar(select(AuditEvent).where(AuditEvent.action == "measure_update.approve"))
    assert record.before["progress"] == 30 and record.after["progress"] == 60


def test_return_needs_a_reason_then_the_focal_point_resubmits(session, tmp_path):
    update = submit(session, tmp_path)
    secretariat = actor(session, "secretariat")
    with pytest.raises(InvalidInput) as refused:
        submissions.return_measure_update(session, secretariat, update.id, update.version, "   ")
    assert refused.value.field == "reason"
    submissions.return_measure_update(session, secretariat, update.id, update.version, "Joindre le PV.")
    assert update.state == "returned" and update.return_reason == "Joindre le PV."
    m = measure(session)
    submissions.resubmit_measure_update(session, actor(session, "focal_mj"), update.id, update.version,
                                        m.version, form(progress=65), tmp_path, AS_OF_DATE)
    assert (update.state, update.progress) == ("submitted", 65)
    submissions.approve_measure_update(session, secretariat, update.id, update.version, AS_OF_DATE)
    assert measure(session).progress == 65
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.object_type.in_(
        ["measure_update", "measure"])).order_by(AuditEvent.id)).all()
    assert actions == ["measure_update.submit", "measure_update.return", "measure_update.resubmit",
                       "measure_update.approve"]


@pytest.mark.parametrize("key", [None, "focal_mj", "focal_pmp", "committee", "admin"])
def test_only_the_secretariat_reviews(session, tmp_path, key):
    update = submit(session, tmp_path)
    before = snapshot(session)
    with pytest.raises(Forbidden):
        submissions.approve_measure_update(session, actor(session, key), update.id, update.version, AS_OF_DATE)
    with pytest.raises(Forbidden):
        submissions.return_measure_update(session, actor(session, key), update.id, update.version, "no")
    assert snapshot(session) == before


def test_a_review_based_on_a_stale_update_version_is_refused(session, tmp_path):
    update = submit(session, tmp_path)
    with pytest.raises(Conflict):
        submissions.approve_measure_update(session, actor(session, "secretariat"), update.id,
                                           update.version + 1, AS_OF_DATE)


def test_approval_is_refused_when_the_measure_changed_since_the_update(session, tmp_path):
    update = submit(session, tmp_path)
    m = measure(session)
    m.progress = 45  # changed in the meantime (e.g. by a data load)
    session.flush()
    with pytest.raises(Conflict) as conflict:
        submissions.approve_measure_update(session, actor(session, "secretariat"), update.id,
                                           update.version, AS_OF_DATE)
    assert conflict.value.newer["progress"] == 45
    assert measure(session).progress == 45


def test_an_approved_update_cannot_be_returned_or_edited(session, tmp_path):
    update = submit(session, tmp_path)
    secretariat = actor(session, "secretariat")
    submissions.approve_measure_update(session, secretariat, update.id, update.version, AS_OF_DATE)
    with pytest.raises(InvalidInput):
        submissions.return_measure_update(session, secretariat, update.id, update.version, "late")
    with pytest.raises(InvalidInput):
        submissions.resubmit_measure_update(session, actor(session, "focal_mj"), update.id, update.version,
                                            measure(session).version, form(), tmp_path, AS_OF_DATE)


# --- indicator values --------------------------------------------------------------------


def value_form(**changes) -> submissions.ValueForm:
    values = dict(period="2025", value="150", breakdown={}, note="", links="https://www.pmp.ma/rapport")
    values.update(changes)
    return submissions.ValueForm(**values)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value": "beaucoup"}, "value"),
        ({"value": "-3"}, "value"),
        ({"value": "nan"}, "value"),
        ({"value": "12.5"}, "value"),  # a count of victims is whole
        ({"period": "2031"}, "period"),
        ({"period": "2027"}, "period"),  # after the as-of year
        ({"period": "2025-Q1"}, "period"),  # an annual indicator
        ({"period": "last year"}, "period"),
        ({"breakdown": {"age_group": "child"}}, "breakdown"),  # not a disaggregation of IND-01
        ({"breakdown": {"sex": "unknown"}}, "breakdown"),
    ],
)
def test_indicator_values_are_checked(session, tmp_path, changes, field):
    with pytest.raises(InvalidInput) as refused:
        submissions.submit_indicator_value(session, actor(session, "focal_pmp"), "IND-01", value_form(**changes),
                                           tmp_path, AS_OF_DATE)
    assert refused.value.field == field


def test_an_approved_value_is_published_and_refreshes_the_latest_value(session, tmp_path):
    item = submissions.submit_indicator_value(session, actor(session, "focal_pmp"), "IND-01",
                                              value_form(value="1 234"), tmp_path, AS_OF_DATE)
    assert item.value == 1234 and item.previous_value is None
    with pytest.raises(Forbidden):
        submissions.submit_indicator_value(session, actor(session, "focal_mj"), "IND-01", value_form(),
                                           tmp_path, AS_OF_DATE)
    submissions.approve_indicator_value(session, actor(session, "secretariat"), item.id, item.version, AS_OF_DATE)
    indicator = session.scalar(select(Indicator).where(Indicator.code == "IND-01"))
    session.refresh(indicator)
    assert (indicator.latest_period, indicator.latest_value, indicator.last_reported_on) == ("2025", 1234, AS_OF_DATE)
    published = session.scalar(select(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id,
                                                            IndicatorValue.period == "2025"))
    assert published.is_demo is False and published.source_fr == indicator.source_fr


def test_a_correction_of_a_published_cell_shows_the_previous_value(session, tmp_path):
    item = submissions.submit_indicator_value(
        session, actor(session, "focal_pmp"), "IND-01",
        value_form(period="2024", value="3", breakdown={"nationality": "foreign"}), tmp_path, AS_OF_DATE)
    assert item.previous_value == 2 and item.breakdown == "nationality=foreign"
    submissions.return_indicator_value(session, actor(session, "secretariat"), item.id, item.version,
                                       "Source ?")
    submissions.resubmit_indicator_value(session, actor(session, "focal_pmp"), item.id, item.version,
                                         value_form(period="2024", value="4", breakdown={"nationality": "foreign"}),
                                         tmp_path, AS_OF_DATE)
    submissions.approve_indicator_value(session, actor(session, "secretariat"), item.id, item.version, AS_OF_DATE)
    cell = session.scalar(select(IndicatorValue).where(IndicatorValue.breakdown == "nationality=foreign",
                                                       IndicatorValue.period == "2024"))
    assert cell.value == 4


# --- two writes at the same moment -------------------------------------------------------


def _race(engine, *writes):
    """Run each write in its own thread and session, started together; return the outcomes."""
    barrier = threading.Barrier(len(writes))
    outcomes: list = [None] * len(writes)

    def run(index, write):
        with Session(engine, expire_on_commit=False) as session:
            prepared = write(session, None)  # reads what the user saw
            barrier.wait()
            try:
                write(session, prepared)
                session.commit()
                outcomes[index] = "ok"
            except Conflict as conflict:
                session.rollback()
                outcomes[index] = conflict

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(writes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_reviewers_deciding_at_once_one_wins_and_the_other_is_told(writable_url, engine_for, tmp_path):
    engine = engine_for(writable_url)
    with Session(engine, expire_on_commit=False) as session:
        update = submit(session, tmp_path)
        session.commit()
        update_id, version = update.id, update.version

    def approve(session, prepared):
        if prepared is None:
            return actor(session, "secretariat")
        submissions.approve_measure_update(session, prepared, update_id, version, AS_OF_DATE)

    def send_back(session, prepared):
        if prepared is None:
            return actor(session, "secretariat")
        submissions.return_measure_update(session, prepared, update_id, version, "Incomplet.")

    outcomes = _race(engine, approve, send_back)
    assert sorted(o == "ok" for o in outcomes) == [False, True], outcomes
    with Session(engine) as session:
        update = session.get(MeasureUpdate, update_id)
        decisions = session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action.in_(["measure_update.approve", "measure_update.return"])))
        assert decisions == 1
        approved = outcomes[0] == "ok"
        assert update.state == ("approved" if approved else "returned")
        assert measure(session).progress == (60 if approved else 30)


def test_two_focal_points_submitting_at_once_never_make_two_pending_updates(writable_url, engine_for, tmp_path):
    engine = engine_for(writable_url)

    def send(progress):
        def write(session, prepared):
            if prepared is None:
                return actor(session, "focal_mj"), measure(session).version
            who, version = prepared
            submissions.submit_measure_update(session, who, MJ_MEASURE, version, form(progress=progress),
                                              tmp_path, AS_OF_DATE)
        return write

    outcomes = _race(engine, send(50), send(70))
    assert sorted(o == "ok" for o in outcomes) == [False, True], outcomes
    with Session(engine) as session:
        pending = session.scalars(select(MeasureUpdate).where(MeasureUpdate.state == "submitted")).all()
        assert len(pending) == 1


# --- the audit trail stays as written ----------------------------------------------------


def test_audit_records_cannot_be_changed_or_deleted(writable_url, engine_for):
    engine = engine_for(writable_url)
    with Session(engine) as session:
        audit.record(session, Actor(role="admin", email="x@test"), "test.event", "thing", 1)
        session.commit()
    for statement in ("UPDATE audit_event SET action = 'forged'", "DELETE FROM audit_event"):
        with Session(engine) as session, pytest.raises(Exception, match="append-only"):
            session.execute(__import__("sqlalchemy").text(statement))
            session.commit()
    with Session(engine) as session:
        assert session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "thing")) == "test.event"




def test_a_resubmission_may_rely_on_the_evidence_already_attached(session, tmp_path):
    update = submit(session, tmp_path)
    submissions.return_measure_update(session, actor(session, "secretariat"), update.id, update.version,
                                      "Préciser la période.")
    submissions.resubmit_measure_update(session, actor(session, "focal_mj"), update.id, update.version,
                                        measure(session).version, form(links=""), tmp_path, AS_OF_DATE)
    assert update.state == "submitted" and len(update.evidence) == 1


# --- every fault at once ---------------------------------------------------------------------


def test_an_update_form_reports_every_fault_at_once(session, tmp_path):
    before = snapshot(session)
    with pytest.raises(InvalidInput) as refused:
        submit(session, tmp_path, status="nonsense", progress="abc", narrative={}, period_start="",
               period_end="", links="ftp://x")
    fields = [field for field, _message in refused.value.problems]
    assert fields == ["status", "progress", "narrative", "period", "links"]
    assert (refused.value.field, refused.value.message) == refused.value.problems[0]
    assert set(refused.value.by_field()) == set(fields)
    assert snapshot(session) == before


def test_one_fault_still_names_its_field(session, tmp_path):
    with pytest.raises(InvalidInput) as refused:
        submit(session, tmp_path, status="completed", progress=60)
    assert refused.value.field == "progress" and len(refused.value.problems) == 1


def test_hostile_types_in_an_update_form_are_faults_not_crashes(session, tmp_path):
    with pytest.raises(InvalidInput) as refused:
        submit(session, tmp_path, status=["x"], progress={"a": 1}, narrative={"fr": 5}, period_start=7,
               period_end=None, links=["https://x"])
    assert {f for f, _m in refused.value.problems} >= {"status", "progress", "narrative", "period", "evidence"}


def test_a_value_form_reports_every_fault_at_once(session, tmp_path):
    with pytest.raises(InvalidInput) as refused:
        submissions.submit_indicator_value(session, actor(session, "focal_pmp"), "IND-01",
                                           value_form(period="x", value="-", breakdown={"sex": "??"},
                                                      note="n" * 6000, links="nope"),
                                           tmp_path, AS_OF_DATE)
    assert [f for f, _m in refused.value.problems] == ["period", "breakdown", "value", "note", "links"]
    assert refused.value.field == "period"


def test_a_plain_invalid_input_has_one_problem():
    error = InvalidInput("Bad.", "x")
    assert error.problems == [("x", "Bad.")] and error.by_field() == {"x": ["Bad."]}


# --- withdrawing -----------------------------------------------------------------------------


def test_the_focal_point_withdraws_a_pending_update_then_sends_a_new_one(session, tmp_path):
    m = measure(session)
    before = (m.status, m.progress, m.version)
    update = submit(session, tmp_path)
    submissions.withdraw_measure_update(session, actor(session, "focal_mj"), update.id, update.version)
    assert update.state == "withdrawn"
    assert (m.status, m.progress, m.version) == before  # never counted
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "measure_update.withdraw"))
    assert event.before["state"] == "submitted" and event.after["state"] == "withdrawn"
    again = submit(session, tmp_path, progress=70)  # the pending slot is free again
    assert again.state == "submitted" and again.id != update.id
    with pytest.raises(InvalidInput):
        submissions.approve_measure_update(session, actor(session, "secretariat"), update.id, update.version,
                                           AS_OF_DATE)
    submissions.approve_measure_update(session, actor(session, "secretariat"), again.id, again.version,
                                       AS_OF_DATE)
    assert measure(session).progress == 70


@pytest.mark.parametrize("key", [None, "focal_pmp", "committee", "secretariat", "admin"])
def test_only_the_entitys_focal_point_withdraws(session, tmp_path, key):
    update = submit(session, tmp_path)
    before = snapshot(session)
    with pytest.raises(Forbidden):
        submissions.withdraw_measure_update(session, actor(session, key), update.id, update.version)
    assert snapshot(session) == before


def test_withdraw_checks_the_version_and_the_state(session, tmp_path):
    update = submit(session, tmp_path)
    focal = actor(session, "focal_mj")
    with pytest.raises(Conflict):
        submissions.withdraw_measure_update(session, focal, update.id, update.version + 1)
    with pytest.raises(NotFound):
        submissions.withdraw_measure_update(session, focal, "9999999", 1)
    submissions.return_measure_update(session, actor(session, "secretariat"), update.id, update.version, "Non.")
    with pytest.raises(InvalidInput):
        submissions.withdraw_measure_update(session, focal, update.id, update.version)


def test_a_pending_value_is_withdrawn_and_never_published(session, tmp_path):
    focal = actor(session, "focal_pmp")
    item = submissions.submit_indicator_value(session, focal, "IND-01", value_form(value="4321"), tmp_path,
                                              AS_OF_DATE)
    with pytest.raises(Forbidden):
        submissions.withdraw_indicator_value(session, actor(session, "focal_mj"), item.id, item.version)
    submissions.withdraw_indicator_value(session, focal, item.id, item.version)
    assert item.state == "withdrawn"
    assert not session.scalar(select(IndicatorValue.id).where(IndicatorValue.value == 4321))
    again = submissions.submit_indicator_value(session, focal, "IND-01", value_form(value="4322"), tmp_path,
                                               AS_OF_DATE)
    assert again.state == "submitted"


# --- evidence of a returned update -------------------------------------------------------------


def returned(session, tmp_path, **changes) -> MeasureUpdate:
    update = submit(session, tmp_path, **changes)
    submissions.return_measure_update(session, actor(session, "secretariat"), update.id, update.version, "PV?")
    return update


def resubmit(session, tmp_path, update, remove=(), key="focal_mj", **changes):
    return submissions.resubmit_measure_update(session, actor(session, key), update.id, update.version,
                                               measure(session).version, form(**changes), tmp_path,
                                               AS_OF_DATE, remove_evidence=list(remove))


def test_evidence_is_removed_from_a_returned_update_when_it_is_sent_again(session, tmp_path):
    update = returned(session, tmp_path, files=[Upload("faux.pdf", PDF)])
    [link, file] = sorted(update.evidence, key=lambda e: e.kind, reverse=True)
    stored = tmp_path / file.stored_name
    resubmit(session, tmp_path, update, remove=[file.id, str(link.id)], links="https://justice.gov.ma/vrai")
    assert [e.url for e in update.evidence] == ["https://justice.gov.ma/vrai"]
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "measure_update.remove_evidence"))
    assert {e["id"] for e in event.before["evidence"]} == {file.id, link.id}
    assert stored.exists()  # until the commit
    session.commit()
    assert not stored.exists()


def test_removing_every_piece_of_evidence_without_new_one_is_refused(session, tmp_path):
    update = returned(session, tmp_path)
    [link] = update.evidence
    with pytest.raises(InvalidInput) as refused:
        resubmit(session, tmp_path, update, remove=[link.id], links="")
    assert refused.value.field == "evidence"


@pytest.mark.parametrize("bad", [[10**15], ["x"], [None], [True], [1.5]])
def test_evidence_of_another_submission_or_odd_ids_are_refused(session, tmp_path, bad):
    update = returned(session, tmp_path)
    with pytest.raises(InvalidInput):
        resubmit(session, tmp_path, update, remove=bad)


def test_evidence_of_another_entitys_update_cannot_be_removed(session, tmp_path):
    other = submissions.submit_indicator_value(session, actor(session, "focal_pmp"), "IND-01", value_form(),
                                               tmp_path, AS_OF_DATE)
    update = returned(session, tmp_path)
    with pytest.raises(InvalidInput):
        resubmit(session, tmp_path, update, remove=[other.evidence[0].id])
    assert other.evidence


def test_a_file_shared_by_several_rows_stays_until_the_last_is_removed(session, tmp_path):
    update = returned(session, tmp_path, files=[Upload("classeur.pdf", PDF)])
    [file] = [e for e in update.evidence if e.kind == "file"]
    # A workbook's file is the evidence of many rows: another row shares the stored file.
    value = submissions.submit_indicator_value(session, actor(session, "focal_pmp"), "IND-01", value_form(),
                                               tmp_path, AS_OF_DATE)

    value.evidence.append(Evidence(kind="file", filename="classeur.pdf", stored_name=file.stored_name,
                                   content_type=file.content_type, size=file.size, sha256=file.sha256,
                                   uploaded_by_id=file.uploaded_by_id, uploaded_at=file.uploaded_at))
    session.flush()
    stored = tmp_path / file.stored_name
    resubmit(session, tmp_path, update, remove=[file.id])
    session.commit()
    assert stored.exists()  # the other row still needs it


def test_a_rolled_back_removal_keeps_the_file(session, tmp_path):
    update = returned(session, tmp_path, files=[Upload("a.pdf", PDF)])
    session.commit()
    [file] = [e for e in update.evidence if e.kind == "file"]
    stored = tmp_path / file.stored_name
    resubmit(session, tmp_path, update, remove=[file.id])
    session.rollback()
    assert stored.exists()


def test_the_same_file_twice_is_attached_once(session, tmp_path):
    update = returned(session, tmp_path, files=[Upload("rapport.pdf", PDF)])
    resubmit(session, tmp_path, update, files=[Upload("rapport-copie.pdf", PDF), Upload("encore.pdf", PDF)])
    files = [e for e in update.evidence if e.kind == "file"]
    assert len(files) == 1 and files[0].filename == "rapport.pdf"
    assert len(list(tmp_path.iterdir())) == 1
    assert len([e for e in update.evidence if e.kind == "link"]) == 1  # the same link is not repeated


def test_a_file_a_reporting_file_still_names_stays_on_disk(session, tmp_path):
    update = returned(session, tmp_path, files=[Upload("classeur.pdf", PDF)])
    [file] = [e for e in update.evidence if e.kind == "file"]
    focal = actor(session, "focal_mj")
    session.add(ImportBatch(entity_id=focal.entity_id, submitted_by_id=focal.user_id, created_at=file.uploaded_at,
                            filename="classeur.pdf", stored_name=file.stored_name, content_type=file.content_type,
                            size=file.size, sha256=file.sha256, lang="fr"))
    session.flush()
    resubmit(session, tmp_path, update, remove=[file.id])
    session.commit()
    assert (tmp_path / file.stored_name).exists()
