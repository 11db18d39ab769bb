"""The focal point's side of the review desk through the measure page's callbacks, as the
browser sends them: every fault of the form at once next to its field, withdrawing the
update that waits, removing evidence from a returned one, and comment threads."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from dashboard.devtools.testing import DashClient
from dashboard.models import AuditEvent, Evidence, IndicatorSubmission, MeasureUpdate, SubmissionComment
from tests.test_indicator_entry import submit as submit_value
from tests.test_measure_updates import (
    SMALL_PDF,
    as_user,
    data_url,
    form,
    outputs,
    page,
    review,
    stored_files,
    submit,
    tables,
)

MEASURE = "A1.O1.M2"


def latest(engine):
    with engine.connect() as conn:
        return conn.execute(select(MeasureUpdate.id, MeasureUpdate.version, MeasureUpdate.state)
                            .order_by(MeasureUpdate.id.desc())).first()


def withdraw(dash: DashClient, pending):
    dep = next(d for d in dash.dependencies
               if any(i["id"] == "measure-report-withdraw" for i in d["inputs"]))
    return dash.call(dep["output"], {"measure-report-withdraw.submit_n_clicks": 1},
                     {"measure-report-pending.data": pending})


def comment(dash: DashClient, kind, item_id, body):
    ids = {part: {"type": f"comment-{part}", "kind": kind, "id": item_id}
           for part in ("list", "feedback", "body", "send")}
    dep = next(d for d in dash.dependencies if "comment-list" in d["output"])
    payload = {
        "output": dep["output"],
        "outputs": [{"id": ids["list"], "property": "children"}, {"id": ids["feedback"], "property": "children"},
                    {"id": ids["body"], "property": "value"}],
        "inputs": [{"id": ids["send"], "property": "n_clicks", "value": 1}],
        "state": [{"id": ids["body"], "property": "value", "value": body}],
        "changedPropIds": [json.dumps(ids["send"], sort_keys=True, separators=(",", ":")) + ".n_clicks"],
    }
    return dash.client.post("/_dash-update-component", data=json.dumps(payload), content_type="application/json",
                            headers={"X-CSRFToken": dash.csrf_token()})


def comment_result(response) -> tuple[str, str]:
    assert response.status_code == 200, response.data[:300]
    result = response.get_json()["response"]
    texts = {key: DashClient.text_of(props["children"]) for key, props in result.items() if "children" in props}
    feedback = next(v for k, v in texts.items() if "comment-feedback" in k)
    thread = next((v for k, v in texts.items() if "comment-list" in k), "")
    return feedback, thread


def test_every_fault_shows_next_to_its_field(writable_app, login, writable_engine, uploads):
    before = tables(writable_engine)
    dash = as_user(writable_app, login, "focal_mj")
    result = outputs(submit(dash, form(writable_engine, status="x", progress="abc", **{"narrative-en": ""},
                                       links="javascript:1")))
    assert "measure-report-body" not in result
    summary = DashClient.text_of(result["measure-report-feedback"]["children"])
    assert "4" in summary
    assert DashClient.text_of(result["measure-report-error-status"]["children"]) == "Choose a status."
    assert "whole number" in DashClient.text_of(result["measure-report-error-progress"]["children"])
    assert "at least one language" in DashClient.text_of(result["measure-report-error-narrative"]["children"])
    assert "web address" in DashClient.text_of(result["measure-report-error-links"]["children"])
    assert result["measure-report-error-period"]["children"] is None
    assert result["measure-report-progress"]["className"] == "form-control is-invalid"
    assert result["measure-report-status"]["className"] == "form-select is-invalid"
    assert tables(writable_engine) == before
    assert stored_files(uploads) == []


def test_the_faults_are_in_the_users_language(writable_app, login, writable_engine):
    dash = as_user(writable_app, login, "focal_mj", lang="fr")
    result = outputs(submit(dash, form(writable_engine, status="x", progress="abc")))
    assert DashClient.text_of(result["measure-report-error-status"]["children"]) != "Choose a status."


def test_withdraw_then_send_a_new_update(writable_app, login, writable_engine):
    dash = as_user(writable_app, login, "focal_mj")
    outputs(submit(dash, form(writable_engine)))
    update_id, version, state = latest(writable_engine)
    assert state == "submitted"
    body = DashClient.text_of(page(dash, f"/measures/{MEASURE}"))
    assert "Withdraw this update" in body
    for key in (None, "focal_pmp", "committee", "secretariat"):
        other = as_user(writable_app, login, key)
        result = outputs(withdraw(other, {"id": update_id, "version": version}))
        assert "measure-report-body" not in result
    assert latest(writable_engine).state == "submitted"
    result = outputs(withdraw(dash, {"id": update_id, "version": version}))
    assert "withdrawn" in DashClient.text_of(result["measure-report-feedback"]["children"])
    assert latest(writable_engine).state == "withdrawn"
    stale = outputs(withdraw(dash, {"id": update_id, "version": version}))
    assert "alert-danger" in stale["measure-report-feedback"]["children"]["props"]["className"]
    outputs(submit(dash, form(writable_engine, progress=50)))
    assert latest(writable_engine).state == "submitted"


@pytest.mark.parametrize("pending", [None, "x", {"id": "1", "version": 1}, {"id": 1}, [1], {"id": 2**40, "version": 1}])
def test_hostile_withdrawals_never_fail_the_server(writable_app, login, writable_engine, pending):
    dash = as_user(writable_app, login, "focal_mj")
    response = withdraw(dash, pending)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        result = response.get_json()["response"]
        assert "alert-danger" in result["measure-report-feedback"]["children"]["props"]["className"]


def test_evidence_ticked_is_removed_when_sent_again(writable_app, login, writable_engine, uploads):
    dash = as_user(writable_app, login, "focal_mj")
    outputs(submit(dash, form(writable_engine, files=[data_url(SMALL_PDF)], filename=["wrong.pdf"])))
    update_id, version, _state = latest(writable_engine)
    secretariat = as_user(writable_app, login, "secretariat")
    assert review(secretariat, "measure_update", update_id, "return", version, "Wrong file.").status_code == 200
    update_id, version, state = latest(writable_engine)
    assert state == "returned" and len(stored_files(uploads)) == 1
    body = DashClient.text_of(page(dash, f"/measures/{MEASURE}"))
    assert "Remove evidence" in body
    with writable_engine.connect() as conn:
        file_id = conn.scalar(select(Evidence.id).where(Evidence.measure_update_id == update_id,
                                                        Evidence.kind == "file"))
    state = form(writable_engine, update={"id": update_id, "version": version})
    state["measure-report-remove-evidence.value"] = [file_id]
    result = outputs(submit(dash, state))
    assert "measure-report-body" in result
    assert stored_files(uploads) == []
    with writable_engine.connect() as conn:
        assert conn.scalar(select(AuditEvent.id).where(AuditEvent.action == "measure_update.remove_evidence"))
        assert not conn.scalar(select(Evidence.id).where(Evidence.id == file_id))


def test_removing_another_entitys_evidence_is_refused(writable_app, login, writable_engine, uploads):
    dash = as_user(writable_app, login, "focal_mj")
    outputs(submit(dash, form(writable_engine)))
    update_id, version, _state = latest(writable_engine)
    review(as_user(writable_app, login, "secretariat"), "measure_update", update_id, "return", version, "No.")
    update_id, version, _state = latest(writable_engine)
    state = form(writable_engine, update={"id": update_id, "version": version})
    state["measure-report-remove-evidence.value"] = [987654]
    before = tables(writable_engine)
    result = outputs(submit(dash, state))
    assert "no such evidence" in DashClient.text_of(result["measure-report-feedback"]["children"])
    assert tables(writable_engine) == before
    state["measure-report-remove-evidence.value"] = ["x" * 5000]
    assert submit(dash, state).status_code == 400


def test_comments_on_the_pending_update(writable_app, login, writable_engine):
    dash = as_user(writable_app, login, "focal_mj")
    outputs(submit(dash, form(writable_engine)))
    update_id, _version, _state = latest(writable_engine)
    assert "Send the comment" in DashClient.text_of(page(dash, f"/measures/{MEASURE}"))
    feedback, thread = comment_result(comment(dash, "measure_update", update_id, "Le PV suit."))
    assert "added" in feedback and "Le PV suit." in thread
    secretariat = as_user(writable_app, login, "secretariat")
    feedback, thread = comment_result(comment(secretariat, "measure_update", update_id, "Merci."))
    assert "Le PV suit." in thread and "Merci." in thread
    for key in ("committee", "focal_pmp", None):
        feedback, _thread = comment_result(comment(as_user(writable_app, login, key), "measure_update",
                                                   update_id, "Intrus"))
        assert "added" not in feedback
    with writable_engine.connect() as conn:
        assert conn.scalars(select(SubmissionComment.body).order_by(SubmissionComment.id)).all() == [
            "Le PV suit.", "Merci."]


@pytest.mark.parametrize("kind,item_id,body", [
    ("measure_update", 1, "x" * 2001), ("measure_update", 1, ""), ("nothing", 1, "a"),
    ("measure_update", 2**31 - 1, "a"), ("measure_update", 1, None),
])
def test_hostile_comments_get_a_message(writable_app, login, kind, item_id, body):
    feedback, _thread = comment_result(comment(as_user(writable_app, login, "secretariat"), kind, item_id, body))
    assert feedback and "added" not in feedback


@pytest.mark.parametrize("kind,item_id,body", [
    ("measure_update", "1", "a"), ("measure_update", 2**40, "a"), ("measure_update", 1, "x" * 60_000),
    ("measure_update", 1, ["a"]), ("x" * 500, 1, "a"),
])
def test_malformed_comment_requests_are_refused_before_the_service(writable_app, login, kind, item_id, body):
    assert comment(as_user(writable_app, login, "secretariat"), kind, item_id, body).status_code == 400


# --- the indicator page ------------------------------------------------------------------------


def value_withdraw(dash: DashClient, item_id, version):
    wid = {"type": "indicator-entry-withdraw", "id": item_id, "version": version}
    dep = next(d for d in dash.dependencies if any("indicator-entry-withdraw" in i["id"] for i in d["inputs"]))
    payload = {
        "output": dep["output"],
        "outputs": [{"id": "indicator-entry-feedback", "property": "children"},
                    {"id": "indicator-entry-submissions", "property": "children"}],
        "inputs": [[{"id": wid, "property": "submit_n_clicks", "value": 1}]],
        "state": [{"id": "indicator-entry-code", "property": "data", "value": "IND-01"}],
        "changedPropIds": [json.dumps(wid, sort_keys=True, separators=(",", ":")) + ".submit_n_clicks"],
    }
    return dash.client.post("/_dash-update-component", data=json.dumps(payload), content_type="application/json",
                            headers={"X-CSRFToken": dash.csrf_token()})


def test_a_pending_value_is_withdrawn_from_the_indicator_page(writable_app, login, writable_engine):
    dash = as_user(writable_app, login, "focal_pmp")
    assert submit_value(dash, links="https://www.pmp.ma/r").status_code == 200
    with writable_engine.connect() as conn:
        item_id, version = conn.execute(select(IndicatorSubmission.id, IndicatorSubmission.version)
                                        .order_by(IndicatorSubmission.id.desc())).first()
    tree = page(dash, "/indicators/IND-01")
    assert "Withdraw" in DashClient.text_of(tree) and "Send the comment" in DashClient.text_of(tree)
    for key in ("focal_mj", "secretariat", "committee"):
        response = value_withdraw(as_user(writable_app, login, key), item_id, version)
        assert response.status_code == 200
        assert "indicator-entry-submissions" not in response.get_json()["response"]
    response = value_withdraw(dash, item_id, version)
    assert "withdrawn" in DashClient.text_of(response.get_json()["response"]["indicator-entry-feedback"]["children"])
    with writable_engine.connect() as conn:
        assert conn.scalar(select(IndicatorSubmission.state).where(IndicatorSubmission.id == item_id)) == "withdrawn"
    assert value_withdraw(dash, item_id, "x" * 5000).status_code == 400


def test_every_fault_of_the_value_form_at_once(writable_app, login):
    dash = as_user(writable_app, login, "focal_pmp")
    result = outputs(submit_value(dash, period="x", value="many", links="nope"))
    for slot, words in (("period", "Enter the period"), ("value", "as a number"), ("links", "web address")):
        assert words in DashClient.text_of(result[f"indicator-entry-error-{slot}"]["children"])
        assert result[f"indicator-entry-{slot}"]["invalid"] is True
    assert result["indicator-entry-note"]["invalid"] is False
