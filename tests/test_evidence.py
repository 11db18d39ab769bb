"""Evidence files: accepted by content, not by name; stored under random names; removed
when the transaction that wrote them rolls back."""
from __future__ import annotations

import base64
import io
import zipfile

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import evidence, submissions
from dashboard.errors import InvalidInput
from dashboard.evidence import Upload
from dashboard.models import Measure, User
from dashboard.permissions import Actor
from tests.conftest import AS_OF_DATE, email_of

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("rapport.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 16, "image/jpeg"),
        ("compte-rendu.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("note.odt", odt(), "application/vnd.oasis.opendocument.text"),
        ("ancien.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16, "application/msword"),
    ],
)
def test_accepted_files(name, content, content_type):
    assert evidence.check_file(Upload(name, content))[1] == content_type


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("report.pdf", PNG, "does not match"),
        ("tableau.xlsx", docx(), "does not match"),  # a Word document renamed .xlsx
        ("script.exe", b"MZ\x90\x00", "not accepted"),
        ("page.html", b"<html><script>alert(1)</script>", "not accepted"),
        ("no-extension", PDF, "not accepted"),
        ("empty.pdf", b"", "empty"),
        ("big.pdf", b"%PDF-" + b"\x00" * (20 * 1024 * 1024), "10 MB"),
    ],
)
def test_refused_files(name, content, words):
    with pytest.raises(InvalidInput, match=words):
        evidence.check_file(Upload(name, content))


def test_the_file_name_is_only_for_display():
    assert evidence.display_name("..\\..\\windows/system32/evil\x00.pdf") == "evil.pdf"
    assert evidence.display_name("") == "file"


def test_a_data_url_from_the_browser_is_decoded():
    data_url = "data:application/pdf;base64," + base64.b64encode(PDF).decode()
    assert Upload.from_data_url("r.pdf", data_url).content == PDF
    with pytest.raises(InvalidInput):
        Upload.from_data_url("r.pdf", "data:application/pdf;base64,@@@not base64@@@")


def test_links_must_be_web_addresses():
    assert evidence.parse_links("https://a.ma/x\n\n http://b.ma ") == ["https://a.ma/x", "http://b.ma"]
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "ftp://a.ma", "https://"):
        with pytest.raises(InvalidInput):
            evidence.parse_links(bad)


def test_a_rolled_back_submission_leaves_no_file(writable_url, engine_for, tmp_path):
    engine = engine_for(writable_url)
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.email == email_of("focal_mj")))
        who = Actor(user_id=user.id, email=user.email, role=user.role, entity_id=user.entity_id)
        measure = session.scalar(select(Measure).where(Measure.code == "A1.O1.M2"))
        form = submissions.UpdateForm(status="in_progress", progress=50, narrative={"ar": "تقدم"},
                                      period_start="2026-01-01", period_end="2026-06-30",
                                      files=[Upload("a.pdf", PDF)])
        submissions.submit_measure_update(session, who, "A1.O1.M2", measure.version, form, tmp_path, AS_OF_DATE)
        assert len(list(tmp_path.glob("*.pdf"))) == 1
        session.rollback()
    assert list(tmp_path.iterdir()) == []
