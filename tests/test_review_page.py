"""The review queue (/review) and its decisions over HTTP: who sees it, what a card shows,
and approve / return refused to everyone but the secretariat, with nothing changed."""
from __future__ import annotations

import json

import pytest
from flask_babel import gettext
from sqlalchemy import select, update

from dashboard import labels
from dashboard.db import session_scope
from dashboard.devtools.testing import DashClient
from dashboard.errors import Forbidden
from dashboard.models import (
    IndicatorSubmission,
    IndicatorValue,
    Measure,
    MeasureUpdate,
)
from dashboard.permissions import PUBLIC
from dashboard.workflow import submissions, worklists
from helpers import AS_OF_DATE, actor_of
from tests.test_measure_updates import (
    MEASURE,
    as_user,
    form,
    latest_update,
    page,
    review,
    review_outcome,
    submit,
    tables,
)


@pytest.fixture
def pending_update(writable_app, login, writable_engine) -> dict:
    """MJ's focal point has submitted an update of A1.O1.M2 (in progress 30 % -> delayed 40 %)."""
    state = form(writable_engine, status="delayed", progress=40, **{"narrative-fr": "Retard dû au <b>budget</b>",
                                                       "narrative-ar": "تأخر بسبب الميزانية"})
    assert submit(as_user(writable_app, login, "focal_mj"), state).status_code == 200
    update_id, version, status = latest_update(writable_engine)
    assert status == "submitted"
    return {"kind": "measure_update", "id": update_id, "version": version}


@pytest.fixture
def pending_value(writable_engine, tmp_path) -> dict:
    """PMP's focal point has submitted 2025's total of IND-01 (victims identified)."""
    with session_scope(writable_engine) as session:
        item = submissions.submit_indicator_value(
            session, actor_of(session, "focal_pmp"), "IND-01",
            submissions.ValueForm(period="2025", value="150", note="Source: <i>annual report</i>",
                                  links="https://example.org/ind"),
            tmp_path / "values", AS_OF_DATE)
        session.flush()
        return {"kind": "indicator_value", "id": item.id, "version": item.version}


def state_of(engine, item: dict) -> str:
    model = MeasureUpdate if item["kind"] == "measure_update" else IndicatorSubmission
    with engine.connect() as conn:
        return conn.scalar(select(model.state).where(model.id == item["id"]))


def card_of(tree, item: dict):
    return DashClient.find(tree, f"review-{item['kind']}-{item['id']}")


def buttons(tree) -> list[dict]:
    return DashClient.components(tree, lambda n: isinstance(n["props"].get("id"), dict)
                                 and n["props"]["id"].get("type") in ("review-approve", "review-return"))


# --- who sees the queue -----------------------------------------------------------------------


def test_anonymous_is_asked_to_log_in(writable_app, login):
    tree = page(as_user(writable_app, login, None), "/review")
    refusal = DashClient.find(tree, "access-refused")
    assert "Please log in to do this." in DashClient.text_of(refusal)
    assert DashClient.components(refusal, lambda n: n["props"].get("href") == "/login?next=/review")
    assert DashClient.find(tree, "review-queue") is None


@pytest.mark.parametrize("key", ["focal_mj", "admin"])
def test_others_are_refused(writable_app, login, key):
    tree = page(as_user(writable_app, login, key), "/review")
    assert "Your account is not allowed to do this." in DashClient.text_of(DashClient.find(tree, "access-refused"))
    assert DashClient.find(tree, "review-queue") is None


def test_empty_queue_says_so(writable_app, login):
    text = DashClient.text_of(DashClient.find(page(as_user(writable_app, login, "secretariat"), "/review"), "review-queue"))
    assert "No measure update is waiting for review." in text
    assert "No indicator value is waiting for review." in text


def test_secretariat_sees_each_submission_with_its_decisions(writable_app, login, pending_update, pending_value):
    tree = page(as_user(writable_app, login, "secretariat", lang="fr"), "/review")
    card = card_of(tree, pending_update)
    text = DashClient.text_of(card)
    assert "A1.O1.M2" in text and "Guide des indicateurs" in text and "MJ" in text
    assert "Focal Mj" in text
    # The diff: status labels in French, progress in %.
    rows = DashClient.components(card, lambda n: n["type"] == "Tr")
    diff = [" ".join(DashClient.text_of(r).split()) for r in rows]
    with writable_app.test_request_context("/?lang=fr"):
        statuses, status, progress = labels.measure_status(), gettext("Status"), gettext("Progress")
    assert f"{status} {statuses['in_progress']} {statuses['delayed']}" in diff
    assert f"{progress} 30 % 40 %" in diff
    # The narratives as text, in their own direction.
    narrative = DashClient.components(card, lambda n: n["props"].get("children") == "Retard dû au <b>budget</b>")
    assert narrative and narrative[0]["type"] == "P"
    arabic = DashClient.components(card, lambda n: n["props"].get("children") == "تأخر بسبب الميزانية")
    assert arabic[0]["props"]["dir"] == "rtl"
    assert DashClient.components(card, lambda n: n["props"].get("href") == "https://example.org/report")
    assert len(buttons(card)) == 2
    version = DashClient.components(card, lambda n: n["props"].get("id") == {
        "type": "review-version", "kind": "measure_update", "id": pending_update["id"]})
    assert version[0]["props"]["data"] == pending_update["version"]

    value_card = card_of(tree, pending_value)
    value_text = DashClient.text_of(value_card)
    assert "IND-01" in value_text and "2025" in value_text and "150" in value_text
    assert "Source: <i>annual report</i>" in value_text
    assert len(buttons(value_card)) == 2


def test_committee_reads_the_queue_without_decisions(writable_app, login, pending_update, pending_value):
    tree = page(as_user(writable_app, login, "committee"), "/review")
    assert card_of(tree, pending_update) is not None and card_of(tree, pending_value) is not None
    assert buttons(tree) == []
    assert "only the secretariat approves" in DashClient.text_of(DashClient.find(tree, "review-queue"))


def test_stale_update_is_flagged_and_cannot_be_approved(writable_app, login, writable_engine, pending_update):
    with writable_engine.begin() as conn:  # the measure changed after the update was written
        conn.execute(update(Measure).where(Measure.code == MEASURE).values(
            progress=35, version=Measure.version + 1))
    secretariat = as_user(writable_app, login, "secretariat")
    card = card_of(page(secretariat, "/review"), pending_update)
    assert "The measure changed after this update was written" in DashClient.text_of(card)
    before = tables(writable_engine)
    text, actions = review_outcome(review(secretariat, "measure_update", pending_update["id"], "approve",
                                          pending_update["version"]))
    assert "The measure changed after this update was written" in text and "35%" in text
    assert actions is None
    assert tables(writable_engine) == before
    # Returning it is still possible.
    text, actions = review_outcome(review(secretariat, "measure_update", pending_update["id"], "return",
                                          pending_update["version"], "Check against 35%"))
    assert "Returned" in DashClient.text_of(actions)


# --- decisions refused --------------------------------------------------------------------------


@pytest.fixture(params=["measure_update", "indicator_value"])
def pending_item(request, pending_update, pending_value) -> dict:
    return pending_update if request.param == "measure_update" else pending_value


@pytest.mark.parametrize("action", ["approve", "return"])
def test_decision_without_csrf_token_is_rejected(writable_app, login, writable_engine, pending_item, action):
    before = tables(writable_engine)
    for key in (None, "secretariat"):
        dash = as_user(writable_app, login, key, csrf=False)
        response = review(dash, pending_item["kind"], pending_item["id"], action, pending_item["version"], "No")
        assert response.status_code == 400
    assert tables(writable_engine) == before


@pytest.mark.parametrize("action", ["approve", "return"])
@pytest.mark.parametrize("key,message", [
    (None, "Please log in to do this."),
    ("focal_mj", "Your account is not allowed to do this."),
    ("focal_pmp", "Your account is not allowed to do this."),
    ("committee", "Your account is not allowed to do this."),
    ("admin", "Your account is not allowed to do this."),
])
def test_decision_refused_to_others_than_the_secretariat(writable_app, login, writable_engine, pending_item, action, key, message):
    before = tables(writable_engine)
    dash = as_user(writable_app, login, key)
    text, actions = review_outcome(review(dash, pending_item["kind"], pending_item["id"], action,
                                          pending_item["version"], "Not good enough"))
    assert text == message
    assert actions is None  # the buttons stay
    assert tables(writable_engine) == before


@pytest.mark.parametrize("change,message", [
    ({"reason": ""}, "Give the reason for returning it, so the focal point knows what to fix."),
    ({"reason": "x" * 2001}, "The reason has at most 2000 characters."),
    ({"version": 99}, ("This update was changed in the meantime: it is now waiting for review. "
                       "Reload the page to see it.")),
    ({"id": 9999}, "There is no such update."),
    ({"kind": "user_account"}, "There is no such submission."),
])
def test_invalid_return_is_refused(writable_app, login, writable_engine, pending_update, change, message):
    before = tables(writable_engine)
    call = {**pending_update, "reason": "Fine reason", **change}
    text, actions = review_outcome(review(as_user(writable_app, login, "secretariat"), call["kind"], call["id"], "return",
                                          call["version"], call["reason"]))
    assert text == message and actions is None
    assert tables(writable_engine) == before


# --- decisions made ------------------------------------------------------------------------------


def test_secretariat_approves_an_indicator_value(writable_app, login, writable_engine, pending_value):
    text, actions = review_outcome(review(as_user(writable_app, login, "secretariat"), "indicator_value",
                                          pending_value["id"], "approve", pending_value["version"]))
    assert text == "Approved: the value is published." and "Approved" in DashClient.text_of(actions)
    assert state_of(writable_engine, pending_value) == "approved"
    with writable_engine.connect() as conn:
        value = conn.scalar(select(IndicatorValue.value).where(IndicatorValue.period == "2025",
                                                               IndicatorValue.breakdown == ""))
    assert value == 150
    # A second click on the stale card is refused: it was already decided.
    text, actions = review_outcome(review(as_user(writable_app, login, "secretariat"), "indicator_value",
                                          pending_value["id"], "approve", pending_value["version"]))
    assert text.startswith("This update was changed in the meantime") and actions is None


def test_secretariat_returns_an_indicator_value(writable_app, login, writable_engine, pending_value):
    text, actions = review_outcome(review(as_user(writable_app, login, "secretariat"), "indicator_value",
                                          pending_value["id"], "return", pending_value["version"], "Which source?"))
    assert text == "Returned to the focal point with your reason." and "Returned" in DashClient.text_of(actions)
    assert state_of(writable_engine, pending_value) == "returned"
    inbox = DashClient.find(page(as_user(writable_app, login, "focal_pmp"), "/my"), "my-returned")
    assert "Which source?" in DashClient.text_of(inbox)
    assert DashClient.components(inbox, lambda n: n["props"].get("href") == "/indicators/IND-01")


def test_secretariat_approves_a_measure_update(writable_app, login, writable_engine, pending_update):
    text, _actions = review_outcome(review(as_user(writable_app, login, "secretariat"), "measure_update",
                                           pending_update["id"], "approve", pending_update["version"]))
    assert text == "Approved: the measure's status and progress are updated."
    assert state_of(writable_engine, pending_update) == "approved"
    tree = page(as_user(writable_app, login, "secretariat"), "/review")
    assert card_of(tree, pending_update) is None
    assert "No measure update is waiting for review." in DashClient.text_of(tree)


def test_page_in_arabic(writable_app, login, pending_update):
    response = as_user(writable_app, login, "secretariat", lang="ar").page("/review")
    assert response.status_code == 200
    assert "review-queue" in json.dumps(response.get_json())


# --- the queue a page at a time ---------------------------------------------------------------


def second_value(writable_engine, tmp_path) -> None:
    with session_scope(writable_engine) as session:
        submissions.submit_indicator_value(
            session, actor_of(session, "focal_pmp"), "IND-01", submissions.ValueForm(period="2024", value="140"),
            tmp_path / "values", AS_OF_DATE)


def test_the_queue_service_pages_each_section(writable_engine, pending_value, tmp_path):
    second_value(writable_engine, tmp_path)
    with session_scope(writable_engine) as session:
        secretariat = actor_of(session, "secretariat")
        first = worklists.review_queue_page(session, secretariat, "en", "values", 0, per_page=1)
        second = worklists.review_queue_page(session, secretariat, "en", "values", 1, per_page=1)
        assert (first["total"], first["pages"], len(first["rows"])) == (2, 2, 1)
        assert first["rows"][0]["period"] == "2025" and second["rows"][0]["period"] == "2024"  # oldest first
        assert worklists.review_queue_counts(session, secretariat)["values"] == 2
        # Whatever the browser sends for a page is a page there is.
        for page_value, expected in ((-5, 0), (10**9, 1), ("1", 0), (True, 0), (None, 0), ([1], 0)):
            result = worklists.review_queue_page(session, secretariat, "en", "values", page_value, per_page=1)
            assert result["page"] == expected and len(result["rows"]) == 1
        assert worklists.review_queue_page(session, secretariat, "en", "nothing")["rows"] == []
        committee = actor_of(session, "committee")
        assert worklists.review_queue_page(session, committee, "en", "values")["total"] == 2


@pytest.mark.parametrize("key", ["focal_pmp", "focal_mj", "admin", None])
def test_the_queue_service_refuses_others(writable_engine, pending_value, key):
    with session_scope(writable_engine) as session:
        actor = actor_of(session, key) if key else PUBLIC
        with pytest.raises(Forbidden):
            worklists.review_queue_page(session, actor, "en", "values")
        with pytest.raises(Forbidden):
            worklists.review_queue_counts(session, actor)


def turn_page(dash_client: DashClient, section: str, page_number):
    output = next(d["output"] for d in dash_client.dependencies if "review-section" in d["output"])
    button = {"kind": section, "page": page_number, "type": "review-page"}
    output_id = {"kind": section, "type": "review-section"}
    payload = {"output": output, "outputs": {"id": output_id, "property": "children"},
               "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]], "state": [],
               "changedPropIds": [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"]}
    return dash_client.client.post("/_dash-update-component", data=json.dumps(payload),
                                   content_type="application/json", headers={"X-CSRFToken": dash_client.csrf_token()})


def test_a_long_section_shows_one_page_and_a_pager(writable_app, login, writable_engine, pending_value, tmp_path,
                                                  monkeypatch):
    second_value(writable_engine, tmp_path)
    monkeypatch.setattr(worklists, "REVIEW_PAGE", 1)
    secretariat = as_user(writable_app, login, "secretariat")
    tree = page(secretariat, "/review")
    section = DashClient.components(tree, lambda n: n["props"].get("id") == {"type": "review-section",
                                                                            "kind": "values"})[0]
    assert len(DashClient.components(section, lambda n: "review-card" in str(n["props"].get("className"))
                                     or str(n["props"].get("id", "")).startswith("review-indicator_value-"))) == 1
    assert "2 waiting" in DashClient.text_of(tree)
    response = turn_page(secretariat, "values", 1)
    assert response.status_code == 200
    children = json.loads(response.get_data(as_text=True))["response"]
    text = DashClient.text_of(children)
    assert "2024" in text and "Page 2 of 2" in " ".join(text.split())
    # The focal point who sent them may not page through the queue.
    refused = turn_page(as_user(writable_app, login, "focal_pmp"), "values", 1)
    assert refused.status_code == 200 and "2024" not in refused.get_data(as_text=True)
    assert "not allowed" in refused.get_data(as_text=True)
