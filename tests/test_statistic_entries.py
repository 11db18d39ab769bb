"""National figures entered by producers' focal points: who may enter them, what is valid,
review, publication under the producer, versions and races (on the backend under test).

In the test accounts PMP (focal_pmp) produces figures; MJ (focal_mj) does not.
"""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import statistic_entries as entries
from dashboard.errors import Conflict, Forbidden, InvalidInput
from dashboard.models import AuditEvent, Entity, Statistic, StatisticSubmission
from tests.conftest import AS_OF_DATE, actor_of, snapshot


def form(**changes) -> entries.StatisticForm:
    values = dict(series="victims_identified", year=2025, breakdown={}, value="240",
                  document="Annual report 2025 of the Public Prosecution", note="")
    values.update(changes)
    return entries.StatisticForm(**values)


def submit(session: Session, key: str = "focal_pmp", **changes) -> StatisticSubmission:
    return entries.submit_statistic(session, actor_of(session, key), form(**changes), AS_OF_DATE)


def approve(session: Session, item: StatisticSubmission) -> StatisticSubmission:
    return entries.approve_statistic(session, actor_of(session, "secretariat"), item.id, item.version, AS_OF_DATE)


def published(session: Session, **where) -> list[Statistic]:
    pmp = session.scalar(select(Entity.id).where(Entity.acronym == "PMP"))
    return list(session.scalars(select(Statistic).filter_by(entity_id=pmp, period="2025", **where)))


@pytest.mark.parametrize("key", [None, "focal_mj", "committee", "secretariat", "admin"])
def test_only_a_producer_s_focal_point_may_enter_figures(session, key):
    before = snapshot(session)
    with pytest.raises(Forbidden):
        submit(session, key)
    assert snapshot(session) == before


@pytest.mark.parametrize("changes, field", [
    ({"series": "happiness"}, "series"),
    ({"year": 2015}, "year"),
    ({"year": AS_OF_DATE.year + 1}, "year"),
    ({"year": "last year"}, "year"),
    ({"value": "-3"}, "value"),
    ({"value": "12.5"}, "value"),
    ({"value": "many"}, "value"),
    ({"value": "200000"}, "value"),
    ({"value": "1e3"}, "value"),
    ({"breakdown": {"sex": "other"}}, "breakdown"),
    ({"breakdown": {"colour": "blue"}}, "breakdown"),
    ({"breakdown": {"sex": "female", "age_group": "child", "nationality": "foreign"}}, "breakdown"),
    ({"document": "  "}, "document"),
    ({"document": "x" * 501}, "document"),
])
def test_bad_input_is_refused_with_the_field_named_and_nothing_written(session, changes, field):
    before = snapshot(session)
    with pytest.raises(InvalidInput) as refused:
        submit(session, **changes)
    assert refused.value.field == field
    assert snapshot(session) == before


def test_an_approved_figure_is_published_under_its_producer_with_its_source(session):
    item = submit(session, breakdown={"sex": "female", "age_group": "child"}, value="31")
    assert item.state == "submitted" and item.previous_value is None
    approve(session, item)
    [figure] = published(session, series="victims_identified")
    assert (figure.value, figure.breakdown, figure.sex, figure.age_group) == (31, "age_group=child;sex=female",
                                                                               "female", "child")
    assert figure.entity.acronym == "PMP" and figure.source.entity.acronym == "PMP"
    assert figure.source.document == "Annual report 2025 of the Public Prosecution"
    assert not figure.is_demo and figure.submission_id == item.id
    actions = [a for (a,) in session.execute(select(AuditEvent.action).where(AuditEvent.object_type == "statistic"))]
    assert actions[-2:] == ["statistic.submit", "statistic.approve"]


def test_a_second_figure_for_the_same_cell_replaces_the_first_and_shows_what_it_replaces(session):
    approve(session, submit(session))
    second = submit(session, value="250")
    assert second.previous_value == 240
    approve(session, second)
    assert [f.value for f in published(session, series="victims_identified", breakdown="")] == [250]


def test_one_figure_per_cell_waits_for_review(session):
    submit(session)
    with pytest.raises(Conflict):
        submit(session, value="300")
    submit(session, breakdown={"sex": "male"}, value="120")  # another cell is fine


def test_a_returned_figure_is_corrected_and_sent_again(session):
    item = submit(session)
    secretariat = actor_of(session, "secretariat")
    with pytest.raises(InvalidInput):
        entries.return_statistic(session, secretariat, item.id, item.version, " ")
    entries.return_statistic(session, secretariat, item.id, item.version, "Which report? Give its page.")
    assert item.state == "returned"
    with pytest.raises(Forbidden):
        entries.resubmit_statistic(session, actor_of(session, "focal_mj"), item.id, item.version, form(), AS_OF_DATE)
    entries.resubmit_statistic(session, actor_of(session, "focal_pmp"), item.id, item.version,
                               form(document="Annual report 2025, page 14"), AS_OF_DATE)
    assert item.state == "submitted" and item.document == "Annual report 2025, page 14"


def test_only_the_secretariat_decides(session):
    item = submit(session)
    for key in ("focal_pmp", "committee", "admin"):
        with pytest.raises(Forbidden):
            entries.approve_statistic(session, actor_of(session, key), item.id, item.version, AS_OF_DATE)


def test_a_stale_decision_is_a_conflict(session):
    item = submit(session)
    with pytest.raises(Conflict):
        entries.approve_statistic(session, actor_of(session, "secretariat"), item.id, item.version - 1, AS_OF_DATE)


def test_approval_is_refused_when_the_published_figure_changed_meanwhile(session):
    first = submit(session)
    approve(session, first)
    # Two entries written against the same published figure: the second one is stale.
    second = submit(session, value="260")
    figure = published(session, series="victims_identified", breakdown="")[0]
    figure.value = 255
    session.flush()
    with pytest.raises(Conflict):
        approve(session, second)


def test_two_reviewers_at_once_one_wins(writable_url, engine_for):
    engine = engine_for(writable_url)
    with Session(engine, expire_on_commit=False) as session:
        item = submit(session)
        session.commit()
        item_id, version = item.id, item.version
    barrier = threading.Barrier(2)
    outcomes: list = [None, None]

    def decide(index: int, approving: bool) -> None:
        with Session(engine, expire_on_commit=False) as session:
            secretariat = actor_of(session, "secretariat")
            session.get(StatisticSubmission, item_id)
            barrier.wait()
            try:
                if approving:
                    entries.approve_statistic(session, secretariat, item_id, version, AS_OF_DATE)
                else:
                    entries.return_statistic(session, secretariat, item_id, version, "Check the total.")
                session.commit()
                outcomes[index] = "ok"
            except Conflict as conflict:
                session.rollback()
                outcomes[index] = conflict

    threads = [threading.Thread(target=decide, args=(0, True)), threading.Thread(target=decide, args=(1, False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "str"]
    with Session(engine) as session:
        assert session.get(StatisticSubmission, item_id).state in ("approved", "returned")


def test_a_cell_cannot_outnumber_the_published_total_nor_a_total_its_cells(session):
    approve(session, submit(session, value="240"))
    with pytest.raises(InvalidInput) as refused:
        submit(session, breakdown={"age_group": "child"}, value="1234")
    assert refused.value.field == "value" and "240" in str(refused.value)
    approve(session, submit(session, breakdown={"age_group": "child"}, value="90"))
    with pytest.raises(InvalidInput) as refused:
        submit(session, value="80")
    assert "90" in str(refused.value)
