"""Evidence uploads through the report forms' callbacks, as the browser posts them: a file
that does not parse is refused by name, nothing is written, and two files of one name are
both kept."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from dashboard.devtools.testing import DashClient
from dashboard.models import Evidence
from tests import evidence_samples as samples
from tests.test_indicator_entry import client_as, feedback
from tests.test_indicator_entry import submit as submit_value
from tests.test_measure_updates import (
    as_user,
    data_url,
    form,
    outputs,
    refused,
    stored_files,
    submit,
    tables,
)

BAD_FILES = [
    pytest.param("rapport.pdf", samples.HTML_AS_PDF, "The file rapport.pdf is damaged or is not a real PDF file.",
                 id="html-with-a-pdf-header"),
    pytest.param("rapport.pdf", samples.PDF[:-60], "The file rapport.pdf is damaged or is not a real PDF file.",
                 id="truncated-pdf"),
    pytest.param("tableau.docx", samples.zip_bomb(200),
                 "The file tableau.docx would unpack to more than 50 MB and is refused.", id="zip-bomb"),
    pytest.param("dossier.docx", samples.DOCX_DOUBLY_NESTED,
                 "The file dossier.docx contains another archive, which is not accepted", id="nested-archive"),
    pytest.param("photo.png", samples.PNG[:-20], "The file photo.png is damaged or is not a real PNG file.",
                 id="truncated-png"),
    pytest.param("ancien.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
                 "The file ancien.doc is in an old Office format", id="legacy-office"),
]
GOOD = ("bon.pdf", samples.PDF, "application/pdf")


def kinds(name: str) -> str:
    return {"pdf": "application/pdf", "png": "image/png"}.get(name.rsplit(".", 1)[-1], "application/octet-stream")


# --- the measure page's report form ------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_the_measure_form_refuses_a_bad_file_by_name(writable_app, login, writable_engine, uploads,
                                                     name, content, message):
    before = tables(writable_engine)
    dash = as_user(writable_app, login, "focal_mj")
    state = form(writable_engine, files=[data_url(GOOD[1]), data_url(content, kinds(name))],
                 filename=[GOOD[0], name])
    assert refused(submit(dash, state)).startswith(message)
    assert tables(writable_engine) == before
    assert stored_files(uploads) == []


def test_the_measure_form_keeps_two_files_of_one_name(writable_app, login, writable_engine, uploads):
    dash = as_user(writable_app, login, "focal_mj")
    state = form(writable_engine, files=[data_url(samples.PDF), data_url(samples.pdf(2)),
                                         data_url(samples.PNG, "image/png")],
                 filename=["rapport.pdf", "rapport.pdf", "rapport.png"])
    result = outputs(submit(dash, state))
    assert "alert-success" in str(result["measure-report-feedback"])
    with writable_engine.connect() as conn:
        names = sorted(conn.scalars(select(Evidence.filename).where(Evidence.kind == "file")))
    assert names == ["rapport (2).pdf", "rapport.pdf", "rapport.png"]
    assert len(stored_files(uploads)) == 3


def test_the_measure_form_refuses_names_and_files_that_do_not_pair_up(writable_app, login, writable_engine,
                                                                       uploads):
    before = tables(writable_engine)
    dash = as_user(writable_app, login, "focal_mj")
    state = form(writable_engine, files=[data_url(samples.PDF), data_url(samples.pdf(2))],
                 filename=["rapport.pdf"])
    assert refused(submit(dash, state)) == "The files could not be read: choose them again."
    assert tables(writable_engine) == before
    assert stored_files(uploads) == []


# --- the indicator page's value form -----------------------------------------------------------


@pytest.fixture
def entry(make_app, writable_url, tmp_path):
    return make_app(DATABASE_URL=writable_url, UPLOAD_DIR=str(tmp_path / "uploads")), tmp_path / "uploads"


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_the_value_form_refuses_a_bad_file_by_name(entry, login, writable_engine, name, content, message):
    app, folder = entry
    before = tables(writable_engine)
    dash = client_as(app, login, "focal_pmp")
    text_shown, result = feedback(submit_value(dash, files=[(GOOD[0], data_url(GOOD[1])),
                                                            (name, data_url(content, kinds(name)))]))
    assert text_shown.startswith(message)
    # The form and the list stay as they were; the refusal shows next to the files too.
    assert not {"indicator-entry-fields", "indicator-entry-submissions"} & set(result)
    assert DashClient.text_of(result["indicator-entry-error-evidence"]["children"]).startswith(message)
    assert tables(writable_engine) == before
    assert stored_files(folder) == []


def test_the_value_form_keeps_two_files_of_one_name(entry, login, writable_engine):
    app, folder = entry
    dash = client_as(app, login, "focal_pmp")
    text_shown, _result = feedback(submit_value(dash, files=[("source.pdf", data_url(samples.PDF)),
                                                             ("source.pdf", data_url(samples.pdf(2)))]))
    assert "sent for validation" in text_shown
    with writable_engine.connect() as conn:
        names = sorted(conn.scalars(select(Evidence.filename).where(Evidence.kind == "file")))
    assert names == ["source (2).pdf", "source.pdf"]
    assert len(stored_files(folder)) == 2
