"""National figures (/statistics/report) and rollout stages (/regions/<code>) through their
Dash callbacks over HTTP: refusals change nothing, a producer's entry reaches the review
queue, with its checks, and is published on approval, a reporter's stage proposal likewise;
the statistics page says why an earlier download may differ."""
from __future__ import annotations

import json

import pytest
from flask_babel import gettext
from sqlalchemy import select

from dashboard.devtools.testing import DashClient
from dashboard.models import Entity, RolloutUpdate, Statistic, StatisticSubmission
from dashboard.national import statistics
from helpers import snapshot
from tests.test_measure_updates import as_user, page, review, review_outcome, tables

ENTRY = "stat-entry"
ROLLOUT = "rollout-report"
REGION = "MA-07"


def _wildcard_state(dash: DashClient, output: str, type_name: str, cells: dict[str, str]) -> list[dict]:
    """The ALL-wildcard states of the breakdown dropdowns, as the renderer sends them."""
    ids = [{"type": type_name, "dimension": dimension} for dimension in
           ("sex", "age_group", "nationality", "region", "exploitation_form", "place", "scope")]
    return [
        [{"id": i, "property": "value", "value": cells.get(i["dimension"], "")} for i in ids],
        [{"id": i, "property": "id", "value": i} for i in ids],
    ]


def enter_figure(dash: DashClient, value="240", cells=None, document="Annual report 2025", editing=None):
    dep = dash.dependency(f"{ENTRY}-feedback.children")
    values, id_values = _wildcard_state(dash, dep["output"], f"{ENTRY}-dimension", cells or {})
    payload = {
        "output": dep["output"],
        "outputs": [{"id": f"{ENTRY}-{part}", "property": "children"} for part in ("feedback", "fields", "entries")],
        "inputs": [{"id": f"{ENTRY}-submit", "property": "n_clicks", "value": 1}],
        "state": [
            {"id": f"{ENTRY}-editing", "property": "data", "value": editing},
            {"id": f"{ENTRY}-series", "property": "value", "value": "victims_identified"},
            {"id": f"{ENTRY}-year", "property": "value", "value": 2025},
            {"id": f"{ENTRY}-value", "property": "value", "value": value},
            values, id_values,
            {"id": f"{ENTRY}-document", "property": "value", "value": document},
            {"id": f"{ENTRY}-note", "property": "value", "value": ""},
        ],
        "changedPropIds": [f"{ENTRY}-submit.n_clicks"],
    }
    return dash.client.post("/_dash-update-component", data=json.dumps(payload), content_type="application/json",
                            headers={"X-CSRFToken": dash.csrf_token()} if dash.send_csrf else {})


def propose_stage(dash: DashClient, base_version: int, stage="pilot", started_on="2026-10-01"):
    return dash.call(f"{ROLLOUT}-feedback.children", {f"{ROLLOUT}-submit.n_clicks": 1}, state={
        f"{ROLLOUT}-region.data": REGION, f"{ROLLOUT}-editing.data": None, f"{ROLLOUT}-base.data": base_version,
        f"{ROLLOUT}-stage.value": stage, f"{ROLLOUT}-date.value": started_on,
        f"{ROLLOUT}-note.value": "Convention signée.",
    })


def feedback_of(response, prefix: str) -> str:
    assert response.status_code == 200, response.data[:300]
    outputs = response.get_json()["response"]
    if f"{prefix}-feedback" in outputs:
        return DashClient.text_of(outputs[f"{prefix}-feedback"]["children"])
    return DashClient.text_of(outputs[f"{prefix}-body"]["children"])


@pytest.fixture
def db(writable_app):
    with writable_app.extensions["db_sessionmaker"]() as session:
        yield session


def rollout_version(db) -> int:
    from dashboard.workflow import rollout_updates

    current = rollout_updates.rollout_of(db, rollout_updates.region_by_code(db, REGION))
    return current.version if current else 0


# --- national figures --------------------------------------------------------------------------


def test_posts_without_the_csrf_token_are_refused(writable_app, login, db):
    before = snapshot(db)
    assert enter_figure(as_user(writable_app, login, "focal_pmp", csrf=False)).status_code == 400
    assert propose_stage(as_user(writable_app, login, "focal_mj", csrf=False), 0).status_code == 400
    db.expire_all()
    assert snapshot(db) == before


@pytest.mark.parametrize("key, message", [
    (None, "Please log in to do this."),
    ("focal_mj", "Your account is not allowed to do this."),
    ("committee", "Your account is not allowed to do this."),
    ("secretariat", "Your account is not allowed to do this."),
])
def test_only_producers_enter_figures(writable_app, login, db, key, message):
    before = snapshot(db)
    assert message in feedback_of(enter_figure(as_user(writable_app, login, key)), ENTRY)
    db.expire_all()
    assert snapshot(db) == before


def test_the_entry_page_is_for_producers_only(writable_app, login):
    for key in (None, "focal_mj", "committee"):
        tree = page(as_user(writable_app, login, key), "/statistics/report")
        assert DashClient.find(tree, "access-refused") is not None, key
        assert DashClient.find(tree, f"{ENTRY}-submit") is None
    tree = page(as_user(writable_app, login, "focal_pmp", lang="ar"), "/statistics/report")
    assert DashClient.find(tree, f"{ENTRY}-submit") is not None


def test_bad_input_gets_a_message_in_the_user_s_language(writable_app, login, db):
    before = snapshot(db)
    text = feedback_of(enter_figure(as_user(writable_app, login, "focal_pmp", lang="fr"), value="douze"), ENTRY)
    assert "nombre" in text.lower()
    db.expire_all()
    assert snapshot(db) == before


def test_an_entered_figure_is_reviewed_and_published_under_its_producer(writable_app, login, db):
    producer = as_user(writable_app, login, "focal_pmp")
    text = feedback_of(enter_figure(producer, value="31", cells={"sex": "female", "age_group": "child"}), ENTRY)
    assert "sent for validation" in text
    item = db.scalar(select(StatisticSubmission))
    assert (item.value, item.breakdown, item.state) == (31, "age_group=child;sex=female", "submitted")
    # The producer's list and the review queue show it.
    tree = page(producer, "/statistics/report")
    assert "31" in DashClient.text_of(DashClient.find(tree, f"{ENTRY}-entries"))
    secretariat = as_user(writable_app, login, "secretariat")
    queue = page(secretariat, "/review")
    assert DashClient.find(queue, f"review-statistic-{item.id}") is not None
    outcome, _actions = review_outcome(review(secretariat, "statistic", item.id, "approve", item.version))
    assert "published" in outcome
    db.expire_all()
    figure = db.scalar(select(Statistic).where(Statistic.submission_id == item.id))
    assert figure.entity.acronym == "PMP" and figure.value == 31


# --- rollout stages ----------------------------------------------------------------------------


@pytest.mark.parametrize("key, message", [
    (None, "Please log in to do this."),
    ("focal_pmp", "Your account is not allowed to do this."),
    ("committee", "Your account is not allowed to do this."),
])
def test_only_reporting_bodies_propose_a_stage(writable_app, login, db, key, message):
    before = snapshot(db)
    assert message in feedback_of(propose_stage(as_user(writable_app, login, key), rollout_version(db)), ROLLOUT)
    db.expire_all()
    assert snapshot(db) == before


def test_a_proposed_stage_is_reviewed_and_applied(writable_app, login, db):
    reporter = as_user(writable_app, login, "focal_mj", lang="fr")
    stage = "operational" if db.scalar(select(RolloutUpdate.id)) is None else "pilot"
    text = feedback_of(propose_stage(reporter, rollout_version(db), stage=stage), ROLLOUT)
    assert "validation" in text
    update = db.scalar(select(RolloutUpdate))
    assert (update.stage, update.state) == (stage, "submitted")
    secretariat = as_user(writable_app, login, "secretariat")
    assert DashClient.find(page(secretariat, "/review"), f"review-rollout_update-{update.id}") is not None
    outcome, _actions = review_outcome(review(secretariat, "rollout_update", update.id, "return", update.version,
                                              reason="Quelle convention ?"))
    assert "Returned" in outcome
    db.expire_all()
    assert db.get(RolloutUpdate, update.id).return_reason == "Quelle convention ?"


# --- the reviewer's checks of a national figure (issue 9) -------------------------------------------


def publish_total(db, value: float) -> None:
    """The year's total published meanwhile (as a data file or another approval does)."""
    pmp = db.scalar(select(Entity.id).where(Entity.acronym == "PMP"))
    statistics.upsert(db, entity_id=pmp, series="victims_identified", period="2025", breakdown="",
                      value=value, document="Annual report 2025")
    db.commit()


def checks_of(tree, item) -> str:
    return " ".join(DashClient.text_of(DashClient.find(tree, f"review-checks-statistic-{item.id}")["children"]).split())


def test_the_review_card_shows_the_checks_and_the_change_from_the_year_before(writable_app, login, db):
    # PMP published 229 victims identified for 2024; its focal point enters 400 for 2025.
    assert "sent for validation" in feedback_of(enter_figure(as_user(writable_app, login, "focal_pmp"), value="400"),
                                                ENTRY)
    item = db.scalar(select(StatisticSubmission))
    text = checks_of(page(as_user(writable_app, login, "secretariat"), "/review"), item)
    assert "Consistent" in text and "No published figure of the same body, series and year contradicts it." in text
    assert "Change from 2024 +171 (+74.7%) from 229" in text
    assert "Change above 50%: check the figure" in text
    # The committee reads the same checks.
    assert "+171" in checks_of(page(as_user(writable_app, login, "committee"), "/review"), item)


def test_the_review_card_names_a_contradiction_and_approval_is_refused(writable_app, login, db, writable_engine):
    enter_figure(as_user(writable_app, login, "focal_pmp"), value="500", cells={"nationality": "foreign"})
    item = db.scalar(select(StatisticSubmission))
    publish_total(db, 310)
    secretariat = as_user(writable_app, login, "secretariat")
    text = checks_of(page(secretariat, "/review"), item)
    finding = "Nationality: Foreign 500 (this figure) is above the total 310 (published) for 2025."
    assert "It contradicts the published figures" in text and finding in text
    assert "No published figure for 2024: the change cannot be checked." in text and "Check the figure" in text
    before = tables(writable_engine)
    outcome, actions = review_outcome(review(secretariat, "statistic", item.id, "approve", item.version))
    assert outcome.startswith("Approving this figure would publish figures that contradict each other.")
    assert finding in outcome and actions is None
    assert tables(writable_engine) == before


def test_a_contradicting_entry_is_refused_naming_the_figures(writable_app, login, db):
    producer = as_user(writable_app, login, "focal_pmp")
    enter_figure(producer, value="310")
    before = snapshot(db)
    text = feedback_of(enter_figure(producer, value="500", cells={"nationality": "foreign"}), ENTRY)
    assert "Nationality: Foreign 500 (this figure) is above the total 310 (waiting for review) for 2025." in text
    db.expire_all()
    assert snapshot(db) == before


# --- the statistics page says why earlier downloads may differ ---------------------------------------


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_statistics_page_says_earlier_downloads_may_differ(writable_app, login, lang):
    tree = page(as_user(writable_app, login, None, lang=lang), "/statistics")
    note = DashClient.find(tree, "statistics-downloads-note")
    with writable_app.test_request_context(f"/?lang={lang}"):
        expected = gettext("Earlier downloads may differ: figures are protected as whole tables, so a figure "
                           "published later can hide (\"–\") one shown before, to protect a small count.")
    assert note is not None and DashClient.text_of(note["children"]) == expected
    # Readers of exact figures are not told about protection they do not get.
    assert DashClient.find(page(as_user(writable_app, login, "committee", lang=lang), "/statistics"),
                           "statistics-downloads-note") is None
