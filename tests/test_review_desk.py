"""The review desk for reporting files: a file's rows are one item of the queue; the
secretariat approves or returns the ticked rows (one reason for all), all or nothing; a row
sent again shows the earlier reason and what changed since."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_batches import filled_figures, filled_template

from dashboard.devtools.testing import DashClient
from dashboard.errors import Conflict, Forbidden, InvalidInput, NotFound
from dashboard.i18n import using_language
from dashboard.models import AuditEvent, IndicatorSubmission, Measure, MeasureUpdate, Statistic, StatisticSubmission
from dashboard.workflow import worklists
from dashboard.workflow.batches import RowChoice, confirm_import, decide_batch_rows, preview_file
from dashboard.workflow.submissions import UpdateForm, resubmit_measure_update, submit_measure_update
from helpers import AS_OF_DATE, actor_of, log_in_as


def sent_file(session, tmp_path):
    """focal_pmp's filled template, sent: one measure update and one indicator value."""
    content = filled_template(session)
    with using_language("fr"):
        first = preview_file(session, actor_of(session, "focal_pmp"), "rapport.xlsx", content, AS_OF_DATE)
        return confirm_import(session, actor_of(session, "focal_pmp"), "rapport.xlsx", content, first.fingerprint,
                              tmp_path, AS_OF_DATE, "fr")


def choices(session, batch) -> dict[str, str]:
    update = session.scalar(select(MeasureUpdate).where(MeasureUpdate.batch_id == batch.id))
    value = session.scalar(select(IndicatorSubmission).where(IndicatorSubmission.batch_id == batch.id))
    return {"update": RowChoice("measure_update", update.id, update.version).value(),
            "value": RowChoice("indicator_value", value.id, value.version).value()}


def decide(session, key, batch, decision, rows, reason=""):
    with using_language("en"):
        return decide_batch_rows(session, actor_of(session, key), batch, decision, rows, reason, AS_OF_DATE)


def test_the_queue_shows_a_file_as_one_item_and_not_its_rows_again(session, tmp_path):
    batch = sent_file(session, tmp_path)
    [item] = worklists.pending_batches(session, actor_of(session, "secretariat"), "fr")
    assert item["id"] == batch.id and item["entity"] == "PMP" and item["file"] is not None
    assert [r["measure"] for r in item["updates"]] == ["A2.O2.M1"] and len(item["values"]) == 1
    queue = worklists.review_queue_page(session, actor_of(session, "secretariat"), "fr", "updates")
    assert all(row["batch"] is None for row in queue["rows"])
    assert worklists.review_queue_counts(session, actor_of(session, "secretariat"))["updates"] >= 1


def test_approve_all_but_one_row_then_return_it_with_a_reason(session, tmp_path):
    batch = sent_file(session, tmp_path)
    rows = choices(session, batch)
    assert decide(session, "secretariat", batch.id, "approve", [rows["update"]]) == 1
    measure = session.scalar(select(Measure).where(Measure.code == "A2.O2.M1"))
    assert (measure.status, measure.progress) == ("in_progress", 50)
    assert decide(session, "secretariat", batch.id, "return", [rows["value"]], "The total is not the sum.") == 1
    value = session.scalar(select(IndicatorSubmission).where(IndicatorSubmission.batch_id == batch.id))
    assert value.state == "returned" and value.return_reason == "The total is not the sum."
    assert worklists.pending_batches(session, actor_of(session, "secretariat"), "fr") == []
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "import_batch")).all()
    assert actions == ["import.confirm", "import.approve", "import.return"]


def test_a_return_needs_a_reason_and_writes_nothing_without_one(session, tmp_path):
    batch = sent_file(session, tmp_path)
    rows = list(choices(session, batch).values())
    with pytest.raises(InvalidInput):
        decide(session, "secretariat", batch.id, "return", rows, "  ")
    assert len(worklists.pending_batches(session, actor_of(session, "secretariat"), "fr")[0]["values"]) == 1


def test_a_stale_row_refuses_the_whole_decision_and_names_the_row(session, tmp_path):
    batch = sent_file(session, tmp_path)
    rows = choices(session, batch)
    stale = rows["value"].rsplit(":", 1)[0] + ":99"
    with pytest.raises(Conflict, match=r"^IND-01: "):
        decide(session, "secretariat", batch.id, "approve", [rows["update"], stale])


@pytest.mark.parametrize("key", ["committee", "focal_pmp", "focal_mj", "admin", None])
def test_only_the_secretariat_decides(session, tmp_path, key):
    batch = sent_file(session, tmp_path)
    with pytest.raises(Forbidden):
        decide(session, key, batch.id, "approve", list(choices(session, batch).values()))


@pytest.mark.parametrize(("batch", "decision", "rows"), [
    ("nope", "approve", ["x"]), (10**20, "approve", []), (None, "approve", None),
])
def test_odd_requests_are_refused_with_a_message(session, tmp_path, batch, decision, rows):
    sent_file(session, tmp_path)
    with pytest.raises((NotFound, InvalidInput)):
        decide(session, "secretariat", batch, decision, rows)


@pytest.mark.parametrize("rows", [[], ["x"], "measure_update:1:1", [1, None, {}], ["measure_update:a:b"],
                                  ["indicator_value:99999:1"], ["statistic:1:1"]])
def test_ticked_rows_that_are_not_rows_of_the_file_are_refused(session, tmp_path, rows):
    batch = sent_file(session, tmp_path)
    with pytest.raises(InvalidInput):
        decide(session, "secretariat", batch.id, "approve", rows)
    with pytest.raises(InvalidInput):
        decide(session, "secretariat", batch.id, "maybe", list(choices(session, batch).values()))


def test_a_row_sent_again_shows_the_earlier_reason_and_what_changed(session, tmp_path):
    batch = sent_file(session, tmp_path)
    rows = choices(session, batch)
    decide(session, "secretariat", batch.id, "return", [rows["update"]], "Give the period of the training.")
    update = session.scalar(select(MeasureUpdate).where(MeasureUpdate.batch_id == batch.id))
    measure = update.measure
    form = UpdateForm(status="in_progress", progress=55, narrative={"fr": "Deux sessions, en mars et en mai."},
                      period_start="2025-03-01", period_end="2025-05-31")
    with using_language("en"):
        resubmit_measure_update(session, actor_of(session, "focal_pmp"), update.id, update.version, measure.version,
                                form, tmp_path, AS_OF_DATE)
    [item] = worklists.pending_batches(session, actor_of(session, "secretariat"), "en")
    again = item["updates"][0]["resubmission"]
    assert again["reason"] == "Give the period of the training."
    changed = {name: (old, new) for name, old, new in again["changes"]}
    assert changed["progress"] == (50, 55) and changed["period"][1] == "2025-03-01/2025-05-31"


# --- the page ----------------------------------------------------------------------------------


def test_the_secretariat_decides_on_the_page(writable_app, writable_engine, tmp_path):
    from sqlalchemy.orm import Session
    with Session(writable_engine) as session:
        batch = sent_file(session, writable_app.config["UPLOAD_DIR"])
        rows = choices(session, batch)
        session.commit()
        batch_id = batch.id
    client = log_in_as(writable_app.test_client(), "secretariat")
    client.get("/?lang=fr")
    dash = DashClient(client)
    tree = dash.page("/review").get_json()["response"]["_pages_content"]["children"]
    assert DashClient.find(tree, "review-batches") is not None
    [deciding] = [d["output"] for d in dash.dependencies
                  if any("batch-approve" in str(i.get("id")) for i in d["inputs"])]
    trigger = {"id": batch_id, "type": "batch-approve"}
    response = client.post("/_dash-update-component", json={
        "output": deciding,
        "outputs": [{"id": {"id": batch_id, "type": "batch-card"}, "property": "children"},
                    {"id": {"id": batch_id, "type": "batch-feedback"}, "property": "children"}],
        "inputs": [{"id": trigger, "property": "n_clicks", "value": 1},
                   {"id": {"id": batch_id, "type": "batch-return"}, "property": "n_clicks", "value": 0}],
        "state": [{"id": {"id": batch_id, "type": "batch-rows"}, "property": "value", "value": [rows["update"]]},
                  {"id": {"id": batch_id, "type": "batch-reason"}, "property": "value", "value": ""}],
        "changedPropIds": [json.dumps(trigger, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
    }, headers={"X-CSRFToken": dash.csrf_token()})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "1 ligne approuvée" in json.dumps(response.get_json(), ensure_ascii=False)
    with writable_engine.connect() as conn:
        assert conn.execute(select(MeasureUpdate.state).where(MeasureUpdate.batch_id == batch_id)).scalar() == "approved"


def test_a_yearly_figure_of_a_file_is_approved_and_published(session, tmp_path):
    content = filled_figures(session, "31")
    with using_language("fr"):
        first = preview_file(session, actor_of(session, "focal_pmp"), "chiffres.xlsx", content, AS_OF_DATE)
        batch = confirm_import(session, actor_of(session, "focal_pmp"), "chiffres.xlsx", content,
                               first.fingerprint, tmp_path, AS_OF_DATE, "fr")
    item = session.scalar(select(StatisticSubmission).where(StatisticSubmission.batch_id == batch.id))
    decide(session, "secretariat", batch.id, "approve", [RowChoice("statistic", item.id, item.version).value()])
    published = session.scalar(select(Statistic).where(Statistic.submission_id == item.id))
    assert published is not None and published.value == 31 and str(published.year_start) == str(item.year)


def test_the_review_queue_shows_each_submissions_comment_thread(writable_app, writable_engine):
    with Session(writable_engine) as session:
        measure = session.scalar(select(Measure).where(Measure.code == "A1.O1.M2"))
        form = UpdateForm(status="in_progress", progress=40, narrative={"fr": "Atelier."},
                          period_start="2025-01-01", period_end="2025-06-30", links="https://example.invalid/pv")
        with using_language("fr"):
            update = submit_measure_update(session, actor_of(session, "focal_mj"), "A1.O1.M2", measure.version, form,
                            writable_app.config["UPLOAD_DIR"], AS_OF_DATE)
        session.commit()
        update_id = update.id
    client = log_in_as(writable_app.test_client(), "secretariat")
    client.get("/?lang=fr")
    tree = DashClient(client).page("/review").get_json()["response"]["_pages_content"]["children"]
    bodies = DashClient.components(tree, lambda node: isinstance(node.get("props", {}).get("id"), dict)
                                   and node["props"]["id"].get("type") == "comment-body")
    assert any(node["props"]["id"].get("id") == update_id for node in bodies)
