"""Measure updates through the measure page's callbacks, as the browser sends them.

In tests/fixtures/plan_small.yaml MJ leads A1.O1.M2 (in progress, 30 %) and PMP leads
A2.O2.M1. Every write test runs on a database of its own; refused writes must leave every
table, and the upload folder, exactly as they were.
"""
from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from sqlalchemy import select, update

from dashboard.devtools.testing import DashClient
from dashboard.models import Measure
from dashboard.workflow import evidence
from helpers import snapshot
from tests import evidence_samples

MEASURE = "A1.O1.M2"  # led by MJ
SMALL_PDF = evidence_samples.PDF
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def data_url(content: bytes, content_type: str = "application/pdf") -> str:
    return f"data:{content_type};base64," + base64.b64encode(content).decode()





def tables(engine) -> dict:
    with engine.connect() as conn:
        return snapshot(conn)


def stored_files(folder) -> list:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def as_user(app, login, key: str | None, lang: str = "en", csrf: bool = True) -> DashClient:
    client = login(app.test_client(), key)
    client.get(f"/?lang={lang}")
    return DashClient(client, send_csrf=csrf)


def measure_version(engine, code: str = MEASURE) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(Measure.version).where(Measure.code == code))


def form(engine, code: str = MEASURE, **overrides) -> dict:
    """The state of a correctly filled-in report form for ``code``."""
    values = {
        "code": code,
        "base-version": measure_version(engine, code),
        "update": None,
        "status": "in_progress",
        "progress": 45,
        "narrative-ar": "",
        "narrative-fr": "",
        "narrative-en": "Training sessions held in four courts.",
        "period-start": "2026-01-01",
        "period-end": "2026-10-31",
        "links": "https://example.org/report",
        "files": None,
        "filename": None,
    }
    values.update(overrides)
    props = {"period-start": "date", "period-end": "date", "code": "data", "base-version": "data",
             "update": "data", "files": "contents"}
    state = {}
    for key, value in values.items():
        if key == "filename":
            state["measure-report-files.filename"] = value
        else:
            state[f"measure-report-{key}.{props.get(key, 'value')}"] = value
    return state


def submit(dash: DashClient, state: dict):
    return dash.call("measure-report-feedback.children", {"measure-report-submit.n_clicks": 1}, state)


def outputs(response) -> dict:
    assert response.status_code == 200, response.data[:300]
    return response.get_json()["response"]


def feedback(response) -> str:
    return DashClient.text_of(outputs(response)["measure-report-feedback"]["children"])


def refused(response) -> str:
    """The refusal's message; the form is left as the user filled it in."""
    result = outputs(response)
    assert "measure-report-body" not in result  # no_update: the user's input stays
    alert = result["measure-report-feedback"]["children"]
    assert "alert-danger" in alert["props"]["className"] and alert["props"]["role"] == "alert"
    return DashClient.text_of(alert)


def page(dash: DashClient, path: str):
    response = dash.page(path)
    assert response.status_code == 200
    return response.get_json()["response"]["_pages_content"]["children"]


# --- review callback (to set up the flow) --------------------------------------------------


def review(dash: DashClient, kind: str, item_id: int, action: str, version: int, reason: str = ""):
    """POST the review queue's pattern-matching callback for one card, as the browser does."""
    ids = {part: {"type": f"review-{part}", "kind": kind, "id": item_id}
           for part in ("feedback", "actions", "state", "approve", "return", "reason", "version")}
    dep = next(d for d in dash.dependencies if "review-feedback" in d["output"])
    payload = {
        "output": dep["output"],
        "outputs": [{"id": ids[part], "property": "children"} for part in ("feedback", "actions", "state")],
        "inputs": [{"id": ids["approve"], "property": "n_clicks", "value": int(action == "approve")},
                   {"id": ids["return"], "property": "n_clicks", "value": int(action == "return")}],
        "state": [{"id": ids["reason"], "property": "value", "value": reason},
                  {"id": ids["version"], "property": "data", "value": version}],
        "changedPropIds": [json.dumps(ids[action], sort_keys=True, separators=(",", ":")) + ".n_clicks"],
    }
    return dash.client.post("/_dash-update-component", data=json.dumps(payload), content_type="application/json",
                            headers={"X-CSRFToken": dash.csrf_token()} if dash.send_csrf else {})


def review_outcome(response) -> tuple[str, object]:
    """(text of the card's feedback, its new actions or None when left unchanged)."""
    assert response.status_code == 200, response.data[:300]
    result = response.get_json()["response"]
    feedback_text, actions = "", None
    for key, props in result.items():
        if '"review-feedback"' in key:
            feedback_text = DashClient.text_of(props["children"])
        if '"review-actions"' in key:
            actions = props["children"]
    return feedback_text, actions


def latest_update(engine):
    from dashboard.models import MeasureUpdate

    with engine.connect() as conn:
        return conn.execute(select(MeasureUpdate.id, MeasureUpdate.version, MeasureUpdate.state)
                            .order_by(MeasureUpdate.id.desc())).first()


# --- who may submit --------------------------------------------------------------------------


def test_submit_without_csrf_token_is_rejected(writable_app, login, writable_engine, uploads):
    before = tables(writable_engine)
    dash = as_user(writable_app, login, None, csrf=False)
    response = submit(dash, form(writable_engine, files=[data_url(SMALL_PDF)], filename=["a.pdf"]))
    assert response.status_code == 400
    # Even with a session, a POST without the token is refused.
    dash = as_user(writable_app, login, "focal_mj", csrf=False)
    assert submit(dash, form(writable_engine)).status_code == 400
    assert tables(writable_engine) == before
    assert stored_files(uploads) == []


@pytest.mark.parametrize("key,message", [
    (None, "Please log in to do this."),
    ("focal_pmp", "Your account is not allowed to do this."),
    ("committee", "Your account is not allowed to do this."),
    ("secretariat", "Your account is not allowed to do this."),
])
def test_submit_refused_to_others_than_the_lead_entity(writable_app, login, writable_engine, uploads, key, message):
    before = tables(writable_engine)
    dash = as_user(writable_app, login, key)
    response = submit(dash, form(writable_engine, files=[data_url(SMALL_PDF)], filename=["a.pdf"]))
    assert refused(response) == message
    assert tables(writable_engine) == before
    assert stored_files(uploads) == []


# --- validation through the callback -----------------------------------------------------------


TWENTY_MB_PDF = b"%PDF-" + b"\x00" * (20 * 1024 * 1024)


@pytest.mark.parametrize("overrides,message", [
    ({"code": "A9.O9.M9"}, "There is no measure with this code."),
    ({"code": "A2.O2.M1"}, "Your account is not allowed to do this."),  # PMP's measure
    ({"progress": -1}, "Progress must be a whole number from 0 to 100."),
    ({"progress": 101}, "Progress must be a whole number from 0 to 100."),
    ({"progress": "abc"}, "Progress must be a whole number from 0 to 100."),
    ({"status": "finished"}, "Choose a status."),
    ({"narrative-en": "  "}, "Describe what was done, in at least one language."),
    ({"period-start": None}, "Enter the reporting period as two dates."),
    ({"period-end": "2026-12-31"}, "The reporting period cannot end in the future."),
    # The address is isolated (U+2066 ... U+2069) so that it stays whole in Arabic text.
    ({"links": "javascript:alert(1)"}, ("This is not a web address starting with http:// or https://: "
                                        "\u2066javascript:alert(1)\u2069")),
    ({"links": "", "files": None}, "Give at least one piece of evidence: a link or a file."),
    ({"files": [data_url(TWENTY_MB_PDF)], "filename": ["x.pdf"]}, "The file x.pdf is larger than 10 MB."),
    ({"files": [data_url(PNG, "image/png")], "filename": ["report.pdf"]},
     "The content of report.pdf does not match its extension."),
    ({"files": [data_url(SMALL_PDF, "application/pdf")], "filename": ["script.exe"]},
     "The file script.exe is not accepted: send a PDF, an office document or an image."),
    ({"files": ["data:application/pdf;base64,@@@"], "filename": ["broken.pdf"]},
     "The file broken.pdf could not be read."),
])
def test_invalid_reports_are_refused_and_change_nothing(writable_app, login, writable_engine, uploads, overrides, message):
    before = tables(writable_engine)
    dash = as_user(writable_app, login, "focal_mj")
    state = form(writable_engine, **overrides)
    if "code" in overrides:  # the version of the measure the page was opened on
        state["measure-report-base-version.data"] = measure_version(writable_engine)
    assert refused(submit(dash, state)) == message
    assert tables(writable_engine) == before
    assert stored_files(uploads) == []


def test_stale_version_is_a_conflict_showing_the_newer_values(writable_app, login, writable_engine, uploads):
    with writable_engine.begin() as conn:  # someone else changed the measure since the form was opened
        conn.execute(update(Measure).where(Measure.code == MEASURE).values(
            status="delayed", progress=35, version=Measure.version + 1))
    before = tables(writable_engine)
    dash = as_user(writable_app, login, "focal_mj")
    state = form(writable_engine, files=[data_url(SMALL_PDF)], filename=["a.pdf"])
    state["measure-report-base-version.data"] = measure_version(writable_engine) - 1
    message = refused(submit(dash, state))
    assert "updated by someone else" in message
    assert "Delayed" in message and "35%" in message
    assert tables(writable_engine) == before
    assert stored_files(uploads) == []


def test_file_names_are_shown_once_chosen(writable_app, login):
    dash = as_user(writable_app, login, "focal_mj")
    response = dash.call("measure-report-file-names.children",
                         {"measure-report-files.filename": ["a.pdf", "../b.png"]})
    assert DashClient.text_of(outputs(response)["measure-report-file-names"]["children"]) == "a.pdf b.png"


# --- what the page shows --------------------------------------------------------------------


def test_form_only_for_the_lead_entity(writable_app, login, writable_engine):
    tree = page(as_user(writable_app, login, "focal_mj"), f"/measures/{MEASURE}")
    assert DashClient.find(tree, "measure-report") is not None
    assert DashClient.find(tree, "measure-report-base-version")["data"] == measure_version(writable_engine)
    assert DashClient.find(tree, "measure-report-status")["value"] == "in_progress"
    assert DashClient.find(tree, "measure-report-narrative-ar")["dir"] == "rtl"
    upload = DashClient.find(tree, "measure-report-files")
    assert upload["multiple"] is True and ".pdf" in upload["accept"] and upload["max_size"] == evidence.BROWSER_MAX_BYTES
    for key in (None, "focal_pmp", "committee", "secretariat"):
        tree = page(as_user(writable_app, login, key), f"/measures/{MEASURE}")
        assert DashClient.find(tree, "measure-report") is None, key
    tree = page(as_user(writable_app, login, "focal_pmp"), "/measures/A2.O2.M1")
    assert DashClient.find(tree, "measure-report") is not None
    arabic = page(as_user(writable_app, login, "focal_mj", lang="ar"), f"/measures/{MEASURE}")
    assert DashClient.find(arabic, "measure-report-period-start")["is_RTL"] is True


def test_times_are_shown_in_morocco_time(writable_app):
    from dashboard.i18n import fmt_datetime

    with writable_app.test_request_context("/?lang=fr"):
        assert fmt_datetime(dt.datetime(2026, 11, 22, 10, 5), "fr") == "22 nov. 2026, 11:05"  # UTC+1
        assert fmt_datetime(dt.datetime(2026, 3, 1, 23, 30), "fr") == "1 mars 2026, 23:30"  # Ramadan: UTC+0


def test_html_in_a_narrative_is_shown_as_text(writable_app, login, writable_engine):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = submit(as_user(writable_app, login, "focal_mj"), form(writable_engine, **{"narrative-en": script}))
    assert "sent to the secretariat" in feedback(response)
    update_id, version, _state = latest_update(writable_engine)
    text, _actions = review_outcome(review(as_user(writable_app, login, "secretariat"), "measure_update",
                                           update_id, "approve", version))
    assert text.startswith("Approved")
    tree = page(as_user(writable_app, login, None), f"/measures/{MEASURE}")
    holders = DashClient.components(tree, lambda n: n["props"].get("children") == script)
    assert holders and all(n["type"] == "P" and n["namespace"] == "dash_html_components" for n in holders)
    assert not DashClient.components(tree, lambda n: n["type"] in ("Script", "Markdown", "Iframe"))
    assert "dangerously_allow_html" not in json.dumps(tree)


# --- the whole flow ---------------------------------------------------------------------------


def test_submit_return_resubmit_approve(writable_app, login, writable_engine, uploads):
    focal = as_user(writable_app, login, "focal_mj")
    secretariat = as_user(writable_app, login, "secretariat")
    committee = as_user(writable_app, login, "committee")

    # 1. The focal point submits with a PDF: the form gives way to the pending update.
    response = submit(focal, form(writable_engine, status="in_progress", progress=60, links="",
                                  files=[data_url(SMALL_PDF)], filename=["rapport.pdf"]))
    result = outputs(response)
    assert "sent to the secretariat" in DashClient.text_of(result["measure-report-feedback"]["children"])
    body = DashClient.text_of(result["measure-report-body"]["children"])
    assert "Waiting for review" in body and "rapport.pdf" in body
    assert len(stored_files(uploads)) == 1
    tree = page(focal, f"/measures/{MEASURE}")
    assert DashClient.find(tree, "measure-report-submit") is None
    assert "waiting for the secretariat" in DashClient.text_of(DashClient.find(tree, "measure-report-body"))
    # Readers see it marked as not yet counted; the public sees the old values only.
    pending = DashClient.find(page(committee, f"/measures/{MEASURE}"), "measure-pending")
    assert "Pending validation: not yet counted in progress" in DashClient.text_of(pending)
    public = page(as_user(writable_app, login, None), f"/measures/{MEASURE}")
    assert DashClient.find(public, "measure-pending") is None
    assert "60%" not in DashClient.text_of(public)

    # The evidence file: the entity's focal point and readers only.
    evidence_link = next(n for n in DashClient.components(pending, lambda n: str(n["props"].get("href", ""))
                                                          .startswith("/evidence/")))
    href = evidence_link["props"]["href"]
    assert focal.client.get(href).status_code == 200
    download = committee.client.get(href)
    assert download.status_code == 200 and download.data == SMALL_PDF
    assert writable_app.test_client().get(href).status_code == 401
    assert login(writable_app.test_client(), "focal_pmp").get(href).status_code == 403

    # 2. The secretariat returns it with a reason.
    update_id, version, state = latest_update(writable_engine)
    assert state == "submitted"
    text, actions = review_outcome(review(secretariat, "measure_update", update_id, "return", version,
                                          "Attach the attendance sheets."))
    assert "Returned" in text and "Returned" in DashClient.text_of(actions)

    # 3. The focal point's inbox lists it with the reason; the page opens in edit mode.
    inbox = page(focal, "/my")
    returned = DashClient.text_of(DashClient.find(inbox, "my-returned"))
    assert "Attach the attendance sheets." in returned and MEASURE in returned
    tree = page(focal, f"/measures/{MEASURE}")
    assert "Attach the attendance sheets." in DashClient.text_of(DashClient.find(tree, "measure-report"))
    stored = DashClient.find(tree, "measure-report-update")["data"]
    assert stored["id"] == update_id
    assert DashClient.find(tree, "measure-report-progress")["value"] == 60
    assert DashClient.find(tree, "measure-report-period-start")["date"] == "2026-01-01"
    # The evidence sent before stays attached; new links and files are added to it.
    assert "rapport.pdf" in DashClient.text_of(DashClient.find(tree, "measure-report-body"))
    assert DashClient.find(tree, "measure-report-links")["value"] == ""

    # 4. The focal point edits and resubmits.
    state = form(writable_engine, status="in_progress", progress=65, update=stored, links="https://example.org/sheets")
    response = submit(focal, state)
    assert "sent to the secretariat" in feedback(response)
    assert latest_update(writable_engine)[2] == "submitted"

    # 5. The secretariat approves: the public page shows the new status and progress.
    update_id, version, _state = latest_update(writable_engine)
    text, actions = review_outcome(review(secretariat, "measure_update", update_id, "approve", version))
    assert text.startswith("Approved") and "Approved" in DashClient.text_of(actions)
    public = page(as_user(writable_app, login, None), f"/measures/{MEASURE}")
    assert "65%" in DashClient.text_of(public)
    with writable_engine.connect() as conn:
        measure = conn.execute(select(Measure.status, Measure.progress, Measure.last_updated)
                               .where(Measure.code == MEASURE)).one()
    assert (measure.status, measure.progress, measure.last_updated.isoformat()) == ("in_progress", 65, "2026-11-22")

    # History: the public sees the approved step by entity; insiders see the return too.
    public_history = DashClient.text_of(DashClient.find(public, "measure-history"))
    assert "Approved" in public_history and "by MJ" in public_history
    assert "Returned" not in public_history and "Focal Mj" not in public_history
    insider_history = DashClient.text_of(DashClient.find(page(committee, f"/measures/{MEASURE}"),
                                                         "measure-history"))
    assert "Approved" in insider_history and "by Focal Mj" in insider_history
    assert "reviewed by Secretariat" in insider_history
    assert "In progress, 30% → In progress, 65%" in " ".join(insider_history.split())
    # The round that was returned stays in the history, with its reason (from the audit trail).
    assert "Returned" in insider_history and "Attach the attendance sheets." in insider_history
    assert DashClient.find(page(focal, f"/measures/{MEASURE}"), "measure-report-submit") is not None
    assert focal.client.get(href).status_code == 200


def test_returned_reason_shows_in_history_for_insiders_only(writable_app, login, writable_engine):
    submit(as_user(writable_app, login, "focal_mj"), form(writable_engine, **{"narrative-fr": "Texte français"}))
    update_id, version, _state = latest_update(writable_engine)
    review(as_user(writable_app, login, "secretariat"), "measure_update", update_id, "return", version, "Missing <b>proof</b>")
    insider = DashClient.find(page(as_user(writable_app, login, "committee"), f"/measures/{MEASURE}"), "measure-history")
    assert "Missing <b>proof</b>" in DashClient.text_of(insider)
    public = DashClient.find(page(as_user(writable_app, login, None), f"/measures/{MEASURE}"), "measure-history")
    assert "Missing" not in DashClient.text_of(public)


# --- resubmitting ---------------------------------------------------------------------------


@pytest.fixture
def returned_update(writable_app, login, writable_engine):
    """An update of MJ's measure returned by the secretariat: {"id", "version"}."""
    submit(as_user(writable_app, login, "focal_mj"), form(writable_engine))
    update_id, version, _state = latest_update(writable_engine)
    review(as_user(writable_app, login, "secretariat"), "measure_update", update_id, "return", version, "Fix it")
    update_id, version, state = latest_update(writable_engine)
    assert state == "returned"
    return {"id": update_id, "version": version}


def test_resubmit_without_csrf_token_is_rejected(writable_app, login, writable_engine, uploads, returned_update):
    before = tables(writable_engine)
    for key in (None, "focal_mj"):
        dash = as_user(writable_app, login, key, csrf=False)
        assert submit(dash, form(writable_engine, update=returned_update, progress=50)).status_code == 400
    assert tables(writable_engine) == before
    assert stored_files(uploads) == []


@pytest.mark.parametrize("key,message", [
    (None, "Please log in to do this."),
    ("focal_pmp", "Your account is not allowed to do this."),
    ("committee", "Your account is not allowed to do this."),
])
def test_resubmit_refused_to_others(writable_app, login, writable_engine, uploads, returned_update, key, message):
    before = tables(writable_engine)
    state = form(writable_engine, update=returned_update, progress=50, files=[data_url(SMALL_PDF)], filename=["a.pdf"])
    assert refused(submit(as_user(writable_app, login, key), state)) == message
    assert tables(writable_engine) == before
    assert stored_files(uploads) == []


def test_resubmit_validates_like_a_submission(writable_app, login, writable_engine, uploads, returned_update):
    before = tables(writable_engine)
    dash = as_user(writable_app, login, "focal_mj")
    assert refused(submit(dash, form(writable_engine, update=returned_update, progress=101))) == \
        "Progress must be a whole number from 0 to 100."
    assert refused(submit(dash, form(writable_engine, update={**returned_update, "version": returned_update["version"] - 1}))) \
        .startswith("This update was changed in the meantime")
    state = form(writable_engine, update=returned_update)
    state["measure-report-base-version.data"] -= 1
    assert "updated by someone else" in refused(submit(dash, state))
    state = form(writable_engine, update=returned_update, files=[data_url(PNG, "image/png")], filename=["report.pdf"])
    assert refused(submit(dash, state)) == "The content of report.pdf does not match its extension."
    assert tables(writable_engine) == before
    assert stored_files(uploads) == []
