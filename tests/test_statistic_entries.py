"""National figures entered by producers' focal points: who may enter them, what is valid,
review, publication under the producer, versions and races (on the backend under test).

In the test accounts PMP (focal_pmp) produces figures; MJ (focal_mj) does not.
"""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.errors import Conflict, Forbidden, InvalidInput
from dashboard.models import AuditEvent, Entity, Statistic, StatisticSubmission
from dashboard.national import statistics
from dashboard.workflow import audit
from dashboard.workflow import statistic_entries as entries
from helpers import AS_OF_DATE, actor_of, snapshot


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


# --- consistency of a publisher's table (series and year) -----------------------------------------
# Issue 9: a producer submitted Total 310 and Foreign 500 for one year and both were published.


FOREIGN = {"nationality": "foreign"}


def refusal(session: Session, **changes) -> str:
    """The message refusing an entry, after checking that nothing was written."""
    before = snapshot(session)
    with pytest.raises(InvalidInput) as refused:
        submit(session, **changes)
    assert refused.value.field == "value"
    assert snapshot(session) == before
    return str(refused.value)


def test_a_cell_above_the_published_total_is_refused_naming_both_figures(session):
    approve(session, submit(session, value="310"))
    message = refusal(session, breakdown=FOREIGN, value="500")
    assert "Nationality: Foreign 500 (this figure) is above the total 310 (published) for 2025." in message


def test_a_total_below_a_published_cell_is_refused_naming_both_figures(session):
    approve(session, submit(session, breakdown=FOREIGN, value="500"))
    message = refusal(session, value="310")
    assert "Nationality: Foreign 500 (published) is above the total 310 (this figure) for 2025." in message


def test_figures_waiting_for_review_count_as_they_would_be_published(session):
    submit(session, value="310")  # waiting for review, not published
    message = refusal(session, breakdown=FOREIGN, value="500")
    assert "Nationality: Foreign 500 (this figure) is above the total 310 (waiting for review)" in message
    submit(session, breakdown={"sex": "male"}, value="200")
    message = refusal(session, breakdown={"sex": "female"}, value="150")
    assert ("Sex: Female 150 (this figure) + Sex: Male 200 (waiting for review) add up to 350, more than "
            "the total 310 (waiting for review) for 2025") in message
    # And the other way round: a total below a cell waiting for review.
    submit(session, series="cases_registered", breakdown=FOREIGN, value="500")
    message = refusal(session, series="cases_registered", value="310")
    assert "Nationality: Foreign 500 (waiting for review) is above the total 310 (this figure)" in message


def test_a_correction_waiting_for_review_is_what_an_entry_is_checked_against(session):
    approve(session, submit(session, value="310"))
    submit(session, value="600")  # the total corrected, waiting for review
    submit(session, breakdown=FOREIGN, value="500")  # consistent with the correction


def test_a_crossed_cell_is_never_above_its_margins(session):
    approve(session, submit(session, breakdown={"sex": "female"}, value="40"))
    message = refusal(session, breakdown={"sex": "female", "age_group": "child"}, value="50")
    assert "Age group: Child, Sex: Female 50 (this figure) is above Sex: Female 40 (published)" in message
    approve(session, submit(session, breakdown={"age_group": "child", "nationality": "foreign"}, value="30"))
    message = refusal(session, breakdown={"age_group": "child"}, value="20")
    assert "Age group: Child, Nationality: Foreign 30 (published) is above Age group: Child 20 (this figure)" \
        in message


def test_exclusive_categories_never_add_up_past_the_total(session):
    approve(session, submit(session, value="310"))
    approve(session, submit(session, breakdown={"sex": "male"}, value="200"))
    message = refusal(session, breakdown={"sex": "female"}, value="150")
    assert ("Sex: Female 150 (this figure) + Sex: Male 200 (published) add up to 350, more than the total "
            "310 (published) for 2025") in message
    submit(session, breakdown={"sex": "female"}, value="110")  # 310 in all: fine
    # A category left out is unknown, not zero: 300 foreign victims leave room for 10 Moroccans.
    approve(session, submit(session, breakdown=FOREIGN, value="300"))
    submit(session, breakdown={"nationality": "moroccan"}, value="10")
    assert "311 (this figure) is above the total 310" in refusal(session, breakdown={"region": "MA-01"}, value="311")


def test_a_crossed_table_never_adds_up_past_the_total_margins_or_not(session):
    approve(session, submit(session, value="100"))
    for cells, value in ((("male", "adult"), "40"), (("male", "child"), "30"), (("female", "adult"), "20")):
        approve(session, submit(session, breakdown={"sex": cells[0], "age_group": cells[1]}, value=value))
    message = refusal(session, breakdown={"sex": "female", "age_group": "child"}, value="20")
    assert "add up to 110, more than the total 100 (published)" in message
    # A margin counts at least as much as its known cells: Male 70 + Female (at least 20) > 85.
    approve(session, submit(session, breakdown={"sex": "male"}, value="70"))
    message = refusal(session, value="85")  # the total corrected to 85
    assert "Sex: Male 70 (published)" in message and "add up to 90, more than the total 85 (this figure)" in message


def test_forms_of_exploitation_may_overlap(session):
    approve(session, submit(session, value="310"))
    approve(session, submit(session, breakdown={"exploitation_form": "sexual"}, value="200"))
    approve(session, submit(session, breakdown={"exploitation_form": "forced_labour"}, value="150"))
    # ... but one form is never above the total, nor its sexes past the form.
    assert "320" in refusal(session, breakdown={"exploitation_form": "begging"}, value="320")
    approve(session, submit(session, breakdown={"exploitation_form": "sexual", "sex": "male"}, value="150"))
    message = refusal(session, breakdown={"exploitation_form": "sexual", "sex": "female"}, value="60")
    assert "add up to 210, more than Form of exploitation: Sexual exploitation 200 (published)" in message


def test_children_are_never_more_than_all_ages(session):
    approve(session, submit(session, value="100"))
    assert "Age group: Child 101 (this figure) is above the total 100 (published)" in refusal(
        session, breakdown={"age_group": "child"}, value="101")
    approve(session, submit(session, breakdown={"age_group": "child"}, value="60"))
    assert "Age group: Child 60 (published) is above the total 50 (this figure)" in refusal(session, value="50")
    assert "is above Age group: Child 60 (published)" in refusal(
        session, breakdown={"age_group": "child", "sex": "female"}, value="61")


def test_a_resubmitted_figure_is_checked_against_what_was_published_meanwhile(session):
    item = submit(session, breakdown=FOREIGN, value="500")
    entries.return_statistic(session, actor_of(session, "secretariat"), item.id, item.version, "Which report?")
    approve(session, submit(session, value="310"))
    before = snapshot(session)
    with pytest.raises(InvalidInput) as refused:
        entries.resubmit_statistic(session, actor_of(session, "focal_pmp"), item.id, item.version,
                                   form(breakdown=FOREIGN, value="500"), AS_OF_DATE)
    assert "Nationality: Foreign 500 (this figure) is above the total 310 (published)" in str(refused.value)
    assert snapshot(session) == before
    entries.resubmit_statistic(session, actor_of(session, "focal_pmp"), item.id, item.version,
                               form(breakdown=FOREIGN, value="50"), AS_OF_DATE)


def test_an_approval_is_checked_against_what_is_published_then(session):
    approve(session, submit(session, value="310"))
    correction = submit(session, value="600")
    foreign = submit(session, breakdown=FOREIGN, value="500")  # consistent with the correction
    before = snapshot(session)
    with pytest.raises(Conflict) as refused:
        approve(session, foreign)  # before the correction: it would contradict the published 310
    assert ("Nationality: Foreign 500 (this figure) is above the total 310 (published) for 2025."
            in str(refused.value))
    assert snapshot(session) == before
    approve(session, correction)
    approve(session, foreign)
    assert {f.breakdown: f.value for f in published(session, series="victims_identified")} == {
        "": 600, "nationality=foreign": 500}


def test_an_approval_is_refused_when_the_published_table_changed_since_submission(session):
    foreign = submit(session, breakdown=FOREIGN, value="500")
    # The year's total is published meanwhile (a data file, or another approval).
    pmp = session.scalar(select(Entity.id).where(Entity.acronym == "PMP"))
    statistics.upsert(session, entity_id=pmp, series="victims_identified", period="2025", breakdown="",
                      value=310, document="Annual report 2025")
    with pytest.raises(Conflict) as refused:
        approve(session, foreign)
    assert "Nationality: Foreign 500 (this figure) is above the total 310 (published)" in str(refused.value)
    assert foreign.state == "submitted"


def pending_entry(session: Session, value: float, breakdown: str = "") -> StatisticSubmission:
    """An entry written straight into the database: as two sent at once, or before the checks."""
    item = StatisticSubmission(
        entity_id=session.scalar(select(Entity.id).where(Entity.acronym == "PMP")),
        submitted_by_id=actor_of(session, "focal_pmp").user_id, state="submitted",
        submitted_at=audit.utcnow(), series="victims_identified", year=2025, breakdown=breakdown,
        value=value, document="Annual report 2025")
    session.add(item)
    session.flush()
    return item


def test_approve_a_then_b_that_contradicts_a_is_refused(session):
    total, foreign = pending_entry(session, 310), pending_entry(session, 500, "nationality=foreign")
    approve(session, total)
    with pytest.raises(Conflict) as refused:
        approve(session, foreign)
    assert "Nationality: Foreign 500 (this figure) is above the total 310 (published)" in str(refused.value)


def test_a_table_that_already_disagrees_can_be_corrected_one_figure_at_a_time(session):
    pmp = session.scalar(select(Entity.id).where(Entity.acronym == "PMP"))
    for breakdown, value in (("", 310), ("nationality=foreign", 500), ("nationality=moroccan", 200)):
        statistics.upsert(session, entity_id=pmp, series="victims_identified", period="2025",
                          breakdown=breakdown, value=value, document="A report loaded from a file")
    refusal(session, breakdown=FOREIGN, value="600")  # worse: refused
    approve(session, submit(session, breakdown=FOREIGN, value="300"))  # better, not yet right
    approve(session, submit(session, value="600"))  # consistent now


def _race(engine, calls) -> list:
    """Run each ``call(session)`` in its own thread and transaction, all at once."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index: int) -> None:
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait()
            try:
                calls[index](session)
                session.commit()
                outcomes[index] = "ok"
            except (Conflict, InvalidInput) as refused:
                session.rollback()
                outcomes[index] = refused

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_contradicting_entries_sent_at_once_one_is_refused(writable_url, engine_for):
    engine = engine_for(writable_url)
    outcomes = _race(engine, [lambda s: submit(s, value="310"), lambda s: submit(s, breakdown=FOREIGN, value="500")])
    assert sorted(type(o).__name__ for o in outcomes) == ["InvalidInput", "str"]


def test_two_contradicting_approvals_at_once_one_is_refused(writable_url, engine_for):
    engine = engine_for(writable_url)
    with Session(engine, expire_on_commit=False) as session:
        items = [(i.id, i.version) for i in (pending_entry(session, 310),
                                             pending_entry(session, 500, "nationality=foreign"))]
        session.commit()
    outcomes = _race(engine, [
        lambda s, item=item: entries.approve_statistic(s, actor_of(s, "secretariat"), *item, AS_OF_DATE)
        for item in items])
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "str"]
    with Session(engine) as session:
        assert len(list(session.scalars(select(Statistic).where(Statistic.period == "2025")))) == 1


def test_the_reviewer_sees_the_change_from_the_year_before(session):
    # PMP published 229 victims identified for 2024.
    change = entries.year_on_year(session, submit(session, value="400"))
    assert change == {"previous_year": 2024, "previous_value": 229, "change": 171,
                      "ratio": pytest.approx(171 / 229), "flagged": True}
    entries.return_statistic(session, actor_of(session, "secretariat"), *_id_version(session), "Check")
    assert not entries.year_on_year(session, submit(session, value="300"))["flagged"]  # +31 %
    missing = entries.year_on_year(session, submit(session, breakdown=FOREIGN, value="20"))
    assert missing["previous_value"] is None and missing["flagged"]


def _id_version(session: Session) -> tuple[int, int]:
    item = session.scalar(select(StatisticSubmission).where(StatisticSubmission.state == "submitted"))
    return item.id, item.version


def test_an_entry_reports_every_fault_at_once():
    with pytest.raises(InvalidInput) as refused:
        entries.check_statistic(entries.StatisticForm(series="nope", year="1900", breakdown={"sex": "x"},
                                                      value="1e6", document=" ", note="n" * 6000), AS_OF_DATE)
    assert [f for f, _m in refused.value.problems] == ["series", "year", "breakdown", "value", "document", "note"]
    assert refused.value.field == "series"
    with pytest.raises(InvalidInput) as refused:
        entries.check_statistic(entries.StatisticForm(series=["x"], year=None, breakdown="x", value="many",
                                                      document=5, note=None), AS_OF_DATE)
    assert "as a number" in dict(refused.value.problems)["value"]
