"""/my/template.xlsx and /my/import: a focal point downloads their template, drops it filled
in, reads the preview, confirms; others are refused, and nothing odd sent to the callbacks
gives a server error or writes anything."""
from __future__ import annotations

import base64
import io
import json

import openpyxl
import pytest
from sqlalchemy import func, select

from dashboard.devtools.testing import DashClient
from dashboard.models import Evidence, ImportBatch, IndicatorSubmission, MeasureUpdate
from helpers import log_in_as

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def dash_as(app, key, lang="fr"):
    client = log_in_as(app.test_client(), key)
    client.get(f"/?lang={lang}")
    return DashClient(client)


def filled(content: bytes) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(content))
    measures = book.worksheets[1]
    columns = {cell.value: cell.column for cell in measures[1]}
    measures.cell(2, columns["Nouveau statut"], "En cours")
    measures.cell(2, columns["Nouvel avancement (%)"], 45)
    measures.cell(2, columns["Récit en français"], "Formation des inspecteurs.")
    measures.cell(2, columns["Période du"], "01/01/2026")
    measures.cell(2, columns["Période au"], "30/06/2026")
    values = book.worksheets[2]
    value_column = {cell.value: cell.column for cell in values[1]}["Valeur"]
    values.cell(2, value_column, 310)
    values.cell(3, value_column, -4)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def data_url(content: bytes) -> str:
    return f"data:{XLSX};base64," + base64.b64encode(content).decode()


def test_a_focal_point_downloads_the_template_in_their_language(writable_app):
    client = log_in_as(writable_app.test_client(), "focal_pmp")
    response = client.get("/my/template.xlsx?lang=ar")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert 'filename="reporting-template-PMP-ar-' in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.worksheets[1].sheet_view.rightToLeft


@pytest.mark.parametrize(("key", "status"), [(None, 401), ("committee", 403), ("secretariat", 403)])
def test_others_get_no_template(writable_app, key, status):
    client = log_in_as(writable_app.test_client(), key) if key else writable_app.test_client()
    assert client.get("/my/template.xlsx").status_code == status


def test_the_round_trip_on_the_page(writable_app, writable_engine):
    client = log_in_as(writable_app.test_client(), "focal_pmp")
    template = client.get("/my/template.xlsx?lang=fr").data
    dash = dash_as(writable_app, "focal_pmp")
    tree = dash.page("/my/import").get_json()["response"]["_pages_content"]["children"]
    assert DashClient.find(tree, "import-upload") is not None
    upload = {"import-upload.contents": data_url(filled(template))}
    preview = dash.call("import-preview.children", upload, state={"import-upload.filename": "rapport.xlsx"})
    assert preview.status_code == 200
    outputs = preview.get_json()["response"]
    text = json.dumps(outputs, ensure_ascii=False)
    assert "2 lignes prêtes à envoyer" in text and "1 ligne à corriger" in text
    assert "La valeur ne peut pas être négative." in text
    assert outputs["import-confirm"]["disabled"] is False
    assert outputs["import-upload"]["contents"] is None  # emptied: the same file may be chosen again
    assert outputs["import-file"]["data"]["filename"] == "rapport.xlsx"
    fingerprint = outputs["import-fingerprint"]["data"]
    with writable_engine.connect() as conn:
        assert conn.execute(select(func.count(MeasureUpdate.id))).scalar() == 0
    [confirming] = [d["output"] for d in dash.dependencies
                    if {"id": "import-confirm", "property": "n_clicks"} in d["inputs"]]
    done = dash.call(confirming, {"import-confirm.n_clicks": 1},
                     state={"import-file.data": outputs["import-file"]["data"], "import-fingerprint.data": fingerprint})
    assert "2 lignes ont été envoyées" in json.dumps(done.get_json(), ensure_ascii=False)
    with writable_engine.connect() as conn:
        [batch] = conn.execute(select(ImportBatch.id, ImportBatch.filename)).all()
        assert batch.filename == "rapport.xlsx"
        assert conn.execute(select(func.count(MeasureUpdate.id)).where(MeasureUpdate.batch_id == batch.id)).scalar() == 1
        assert conn.execute(select(func.count(IndicatorSubmission.id))
                            .where(IndicatorSubmission.batch_id == batch.id)).scalar() == 1
        assert conn.execute(select(func.count(Evidence.id)).where(Evidence.filename == "rapport.xlsx")).scalar() == 2
    # The same confirmation again finds those rows pending: nothing more is written.
    again = dash.call(confirming, {"import-confirm.n_clicks": 2},
                      state={"import-file.data": outputs["import-file"]["data"], "import-fingerprint.data": fingerprint})
    assert again.status_code == 200 and "import-refusal" in again.get_data(as_text=True)
    with writable_engine.connect() as conn:
        assert conn.execute(select(func.count(ImportBatch.id))).scalar() == 1


@pytest.mark.parametrize("key", [None, "committee", "secretariat", "focal_mj"])
def test_a_forged_confirmation_from_anyone_else_writes_nothing(writable_app, writable_engine, key):
    client = log_in_as(writable_app.test_client(), "focal_pmp")
    content = filled(client.get("/my/template.xlsx?lang=fr").data)
    dash = dash_as(writable_app, key) if key else DashClient(writable_app.test_client())
    if key is None:
        dash.client.get("/?lang=fr")
    [confirming] = [d["output"] for d in dash.dependencies
                    if {"id": "import-confirm", "property": "n_clicks"} in d["inputs"]]
    response = dash.call(confirming, {"import-confirm.n_clicks": 1},
                         state={"import-file.data": {"filename": "x.xlsx", "contents": data_url(content)},
                                "import-fingerprint.data": "0" * 64})
    assert response.status_code in (200, 403)
    with writable_engine.connect() as conn:
        assert conn.execute(select(func.count(ImportBatch.id))).scalar() == 0


@pytest.mark.parametrize("contents", [
    None, 12, [], {"a": 1}, "data:x;base64,@@@", "no comma at all", "data:x;base64," + "A" * 10,
    "data:text/csv;base64," + base64.b64encode(b"code;status\n").decode(),
])
@pytest.mark.parametrize("filename", [None, "", "a.xlsx", "../../etc/passwd", "x" * 300, ["a", "b"]])
def test_odd_uploads_get_a_message_never_a_server_error(writable_app, contents, filename):
    dash = dash_as(writable_app, "focal_pmp")
    response = dash.call("import-preview.children", {"import-upload.contents": contents},
                         state={"import-upload.filename": filename})
    assert response.status_code in (200, 204, 400)
