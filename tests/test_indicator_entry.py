"""Value entry on /indicators/<code>, through its Dash callbacks over HTTP (no browser).

In tests/fixtures/plan_small.yaml PMP reports IND-01 (annual victim counts, sensitive,
disaggregated by sex and nationality, baseline 2022, latest value 140 in 2024) and
CNCLTEH reports IND-02. The app's date is 2026-11-22, so periods run from 2022 to 2026.
"""
from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import select, text

from dashboard.devtools.testing import DashClient
from dashboard.models import Evidence, Indicator, IndicatorSubmission
from dashboard.workflow import submissions
from helpers import AS_OF_DATE, actor_of, indicator_grid_rows, snapshot
from tests import evidence_samples

PDF = evidence_samples.PDF
SUBMIT_OUTPUT = "indicator-entry-submissions.children"


@pytest.fixture
def entry_app(make_app, writable_url, tmp_path):
    return make_app(DATABASE_URL=writable_url, UPLOAD_DIR=str(tmp_path / "uploads"))


@pytest.fixture
def db(entry_app):
    """A session on the test's own database (what the app committed)."""
    with entry_app.extensions["db_sessionmaker"]() as session:
        yield session


def client_as(app, login, key: str | None, send_csrf: bool = True) -> DashClient:
    client = login(app.test_client(), key)
    client.get("/?lang=en")
    return DashClient(client, send_csrf=send_csrf)


def submit(dash: DashClient, code: str = "IND-01", period="2025", value="160", breakdown=None,
           note="", links="", files=None, editing=None):
    files = files or []
    return dash.call(
        SUBMIT_OUTPUT,
        {"indicator-entry-submit.n_clicks": 1},
        state={
            "indicator-entry-code.data": code,
            "indicator-entry-editing.data": editing,
            "indicator-entry-period.value": period,
            "indicator-entry-value.value": value,
            "indicator-entry-breakdown.data": breakdown or {},
            "indicator-entry-note.value": note,
            "indicator-entry-links.value": links,
            "indicator-entry-files.contents": [data for _name, data in files] or None,
            "indicator-entry-files.filename": [name for name, _data in files] or None,
        },
    )


def feedback(response) -> tuple[str, dict]:
    """The feedback message's text and the whole response of the submit callback."""
    assert response.status_code == 200, response.status_code
    outputs = response.get_json()["response"]
    return DashClient.text_of(outputs["indicator-entry-feedback"]["children"]), outputs


def data_url(content: bytes, kind: str = "application/pdf") -> str:
    return f"data:{kind};base64," + base64.b64encode(content).decode()


def page(dash: DashClient, path: str):
    response = dash.page(path)
    assert response.status_code == 200
    return response.get_json()["response"]["_pages_content"]["children"]



def pending(db) -> list[IndicatorSubmission]:
    db.expire_all()
    return list(db.scalars(select(IndicatorSubmission).order_by(IndicatorSubmission.id)))


# --- who may submit ---------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused(entry_app, login, db):
    before = snapshot(db)
    response = submit(DashClient(entry_app.test_client(), send_csrf=False))
    assert response.status_code == 400
    assert snapshot(db) == before


@pytest.mark.parametrize("key, message", [
    (None, "Please log in to do this."),
    ("focal_mj", "Your account is not allowed to do this."),
    ("committee", "Your account is not allowed to do this."),
    ("secretariat", "Your account is not allowed to do this."),
])
def test_only_a_focal_point_of_the_responsible_entity_may_submit(entry_app, login, db, key, message):
    dash = client_as(entry_app, login, key)
    before = snapshot(db)
    text_shown, outputs = feedback(submit(dash))
    assert message in text_shown
    assert "alert-danger" in json.dumps(outputs["indicator-entry-feedback"])
    # The form and the list are left as they were.
    assert set(outputs) == {"indicator-entry-feedback"}
    db.expire_all()
    assert snapshot(db) == before


def test_the_form_shows_only_for_the_responsible_focal_point(entry_app, login):
    for key in (None, "focal_mj", "committee"):
        tree = page(client_as(entry_app, login, key), "/indicators/IND-01")
        assert DashClient.find(tree, "indicator-entry") is None, key
    tree = page(client_as(entry_app, login, "focal_pmp"), "/indicators/IND-01")
    assert DashClient.find(tree, "indicator-entry") is not None
    assert DashClient.find(tree, "indicator-entry-period")["placeholder"] == "2026"
    upload = DashClient.find(tree, "indicator-entry-files")
    assert upload["multiple"] is True and ".pdf" in upload["accept"]
    # One dropdown per disaggregation of the indicator, the empty choice being the total.
    dropdowns = DashClient.components(tree, lambda n: isinstance(n["props"].get("id"), dict)
                                      and n["props"]["id"].get("type") == "indicator-entry-dimension")
    assert sorted(d["props"]["id"]["dimension"] for d in dropdowns) == ["nationality", "sex"]
    sex = next(d["props"] for d in dropdowns if d["props"]["id"]["dimension"] == "sex")
    assert sex["options"][0] == {"label": "Total", "value": ""}
    assert {"label": "Female", "value": "female"} in sex["options"]
    # Not on an indicator another entity reports.
    tree = page(client_as(entry_app, login, "focal_pmp"), "/indicators/IND-02")
    assert DashClient.find(tree, "indicator-entry") is None


# --- validation -------------------------------------------------------------------------


@pytest.mark.parametrize("changes, message", [
    ({"value": "many"}, "Enter the value as a number"),
    ({"value": ""}, "Enter the value as a number"),
    ({"value": "-3"}, "The value cannot be negative."),
    ({"value": "12.5"}, "A count is a whole number."),
    ({"period": "2019"}, "The period must fall between 2022 and 2026."),
    ({"period": "2027"}, "The period must fall between 2022 and 2026."),
    ({"period": "2025-Q3"}, "Enter the period as a year"),
    ({"period": "last year"}, "Enter the period as a year"),
    ({"breakdown": {"region": "MA-01"}}, "This indicator has no such disaggregation."),
    ({"breakdown": {"sex": "unknown"}}, "This indicator has no such disaggregation."),
    ({"links": "javascript:alert(1)"}, "This is not a web address"),
    ({"files": [("report.pdf", data_url(b"MZ not a pdf"))]}, "does not match its extension"),
    ({"files": [("report.pdf", "data:application/pdf;base64,%%%")]}, "could not be read"),
    ({"code": "NOPE"}, "There is no indicator with this code."),
    ({"code": "IND-02"}, "Your account is not allowed to do this."),
])
def test_invalid_values_are_refused_and_change_nothing(entry_app, login, db, tmp_path, changes, message):
    dash = client_as(entry_app, login, "focal_pmp")
    before = snapshot(db)
    text_shown, outputs = feedback(submit(dash, **changes))
    assert message in text_shown
    # The form and the list stay as they were; the fault shows next to its field too.
    assert not {"indicator-entry-fields", "indicator-entry-submissions"} & set(outputs)
    if "code" not in changes:
        assert message in " ".join(DashClient.text_of(props["children"]) for key, props in outputs.items()
                                   if key.startswith("indicator-entry-error-"))
    db.expire_all()
    assert snapshot(db) == before
    uploads = tmp_path / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


def test_a_percentage_above_100_is_refused(entry_app, login, db):
    db.execute(text("UPDATE indicator SET unit = 'percent', is_sensitive = false WHERE code = 'IND-01'"))
    db.commit()
    dash = client_as(entry_app, login, "focal_pmp")
    before = snapshot(db)
    assert "A percentage cannot be above 100." in feedback(submit(dash, value="100.5"))[0]
    db.expire_all()
    assert snapshot(db) == before
    assert "sent for validation" in feedback(submit(dash, value="99.5"))[0]


def test_the_period_follows_the_frequency(entry_app, login, db):
    db.execute(text("UPDATE indicator SET frequency = 'quarterly' WHERE code = 'IND-01'"))
    db.commit()
    dash = client_as(entry_app, login, "focal_pmp")
    tree = page(dash, "/indicators/IND-01")
    assert DashClient.find(tree, "indicator-entry-period")["placeholder"] == "2026-Q3"
    assert "Enter the period as a year" in feedback(submit(dash, period="2025-S1"))[0]
    assert "sent for validation" in feedback(submit(dash, period="2025-q3"))[0]
    assert pending(db)[-1].period == "2025-Q3"


# --- the happy path ---------------------------------------------------------------------


def test_a_submitted_value_waits_then_is_published_once_approved(entry_app, login, db, tmp_path):
    dash = client_as(entry_app, login, "focal_pmp")
    message, outputs = feedback(submit(
        dash, value="1 60", note="From the annual report.", links="https://example.org/report-2025",
        files=[("rapport 2025.pdf", data_url(PDF))],
    ))
    assert "sent for validation" in message
    assert "alert-success" in json.dumps(outputs["indicator-entry-feedback"])
    # The form is emptied; the list shows the value waiting for review.
    fields = outputs["indicator-entry-fields"]["children"]
    assert DashClient.find(fields, "indicator-entry-value")["value"] == ""
    listed = DashClient.text_of(outputs["indicator-entry-submissions"]["children"])
    assert "2025" in listed and "160" in listed and "Waiting for review" in listed
    assert "rapport 2025.pdf" in listed and "https://example.org/report-2025" in listed

    [item] = pending(db)
    assert (item.state, item.period, item.breakdown, item.value, item.note) == (
        "submitted", "2025", "", 160, "From the annual report.")
    files = [e for e in item.evidence if e.kind == "file"]
    assert len(files) == 1 and (tmp_path / "uploads" / files[0].stored_name).is_file()

    # Not public yet: public figures count only approved values.
    public = client_as(entry_app, login, None)
    assert "160" not in DashClient.text_of(page(public, "/indicators/IND-01"))
    indicator = db.scalar(select(Indicator).where(Indicator.code == "IND-01"))
    assert (indicator.latest_year, indicator.latest_value) == (2024, 140)

    # The focal point's page lists it after a reload too.
    tree = page(dash, "/indicators/IND-01")
    assert "Waiting for review" in DashClient.text_of(DashClient.find(tree, "indicator-entry-submissions"))

    with entry_app.app_context():
        submissions.approve_indicator_value(db, actor_of(db, "secretariat"), item.id, item.version, AS_OF_DATE)
        db.commit()
    db.expire_all()
    indicator = db.scalar(select(Indicator).where(Indicator.code == "IND-01"))
    assert (indicator.latest_period, indicator.latest_year, indicator.latest_value) == ("2025", 2025, 160)
    assert indicator.last_reported_on == AS_OF_DATE
    text_shown = DashClient.text_of(page(public, "/indicators/IND-01"))
    assert "160" in text_shown
    assert DashClient.find(page(public, "/indicators"), "indicators-grid")
    row = next(r for r in indicator_grid_rows(public) if r["code"].startswith("[IND-01]"))
    assert row["latest"] == "160 (2025)"
    # Approved values leave the list of values under validation.
    tree = page(dash, "/indicators/IND-01")
    assert "No value is waiting" in DashClient.text_of(DashClient.find(tree, "indicator-entry-submissions"))


def test_a_disaggregated_value_is_stored_as_its_cell(entry_app, login, db):
    dash = client_as(entry_app, login, "focal_pmp")
    assert "sent for validation" in feedback(submit(dash, value="12",
                                                    breakdown={"sex": "female", "nationality": ""}))[0]
    assert pending(db)[-1].breakdown == "sex=female"
    # The same cell cannot wait twice.
    message = feedback(submit(dash, value="13", breakdown={"sex": "female"}))[0]
    assert "already waiting for review" in message
    assert len(pending(db)) == 1


def edit_click(dash: DashClient, submission_id: int):
    """Click a returned value's "Edit" button, as the browser posts a pattern-matching input."""
    dep = next(d for d in dash.dependencies
               if not d.get("clientside_function") and "indicator-entry-edit" in json.dumps(d["inputs"]))
    button = {"id": submission_id, "type": "indicator-entry-edit"}
    prop = json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"
    payload = {
        "output": dep["output"],
        "outputs": [{"id": "indicator-entry-fields", "property": "children"},
                    {"id": "indicator-entry-feedback", "property": "children"}],
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "state": [{"id": "indicator-entry-code", "property": "data", "value": "IND-01"}],
        "changedPropIds": [prop],
    }
    return dash.client.post("/_dash-update-component", data=json.dumps(payload),
                            content_type="application/json", headers={"X-CSRFToken": dash.csrf_token()})


def test_a_returned_value_is_corrected_and_sent_again(entry_app, login, db):
    dash = client_as(entry_app, login, "focal_pmp")
    feedback(submit(dash, value="150"))
    [item] = pending(db)
    with entry_app.app_context():
        submissions.return_indicator_value(db, actor_of(db, "secretariat"), item.id, item.version,
                                           "Use the figure of the final report.")
        db.commit()
    [item] = pending(db)

    tree = page(dash, "/indicators/IND-01")
    listed = DashClient.find(tree, "indicator-entry-submissions")
    assert "Returned" in DashClient.text_of(listed)
    assert "Use the figure of the final report." in DashClient.text_of(listed)
    edit_ids = [n["props"]["id"] for n in DashClient.components(
        listed, lambda n: isinstance(n["props"].get("id"), dict) and "edit" in n["props"]["id"]["type"])]
    assert edit_ids == [{"type": "indicator-entry-edit", "id": item.id}]
    # Others see no "Edit" button, and the public nothing of it.
    committee_tree = page(client_as(entry_app, login, "committee"), "/indicators/IND-01")
    assert "Returned" in DashClient.text_of(DashClient.find(committee_tree, "indicator-entry-submissions"))
    assert not DashClient.components(committee_tree, lambda n: isinstance(n["props"].get("id"), dict)
                                     and n["props"]["id"].get("type") == "indicator-entry-edit")
    assert "Use the figure" not in json.dumps(page(client_as(entry_app, login, None), "/indicators/IND-01"))

    # "Edit" fills the form with the returned value and remembers which one it is.
    response = edit_click(dash, item.id)
    assert response.status_code == 200
    fields = response.get_json()["response"]["indicator-entry-fields"]["children"]
    assert DashClient.find(fields, "indicator-entry-period")["value"] == "2025"
    assert DashClient.find(fields, "indicator-entry-value")["value"] == "150"
    assert DashClient.find(fields, "indicator-entry-editing")["data"] == {"id": item.id, "version": item.version}
    assert "Use the figure of the final report." in DashClient.text_of(fields)

    # A version that is no longer current is refused.
    before = snapshot(db)
    stale = {"id": item.id, "version": item.version - 1}
    assert "changed in the meantime" in feedback(submit(dash, value="155", editing=stale))[0]
    db.expire_all()
    assert snapshot(db) == before
    # Another focal point cannot send it again, even with the right version.
    other = client_as(entry_app, login, "focal_mj")
    assert "not allowed" in feedback(submit(other, value="155",
                                            editing={"id": item.id, "version": item.version}))[0]

    message, outputs = feedback(submit(dash, value="155", editing={"id": item.id, "version": item.version}))
    assert "sent for validation again" in message
    [again] = pending(db)
    assert (again.id, again.state, again.value) == (item.id, "submitted", 155)
    assert DashClient.find(outputs["indicator-entry-fields"]["children"], "indicator-entry-editing")["data"] is None


def test_evidence_of_a_submission_is_kept_with_it(entry_app, login, db):
    dash = client_as(entry_app, login, "focal_pmp")
    feedback(submit(dash, links="https://example.org/a\nhttps://example.org/b"))
    [item] = pending(db)
    urls = db.scalars(select(Evidence.url).where(Evidence.indicator_submission_id == item.id)
                      .order_by(Evidence.id)).all()
    assert urls == ["https://example.org/a", "https://example.org/b"]
