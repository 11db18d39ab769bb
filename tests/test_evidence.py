"""Evidence files: accepted when they parse whole as what their name says (pypdf, Pillow,
zipfile within limits), refused with the file's name otherwise; stored under random names;
removed when the transaction that wrote them rolls back."""
from __future__ import annotations

import base64
import io
import re
import struct
import tarfile
import warnings
import zipfile

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.errors import InvalidInput
from dashboard.models import Measure, User
from dashboard.permissions import Actor
from dashboard.workflow import evidence, submissions
from dashboard.workflow.evidence import Upload
from helpers import AS_OF_DATE, email_of
from tests import evidence_samples as samples

PDF = samples.PDF


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("rapport.pdf", samples.PDF, "application/pdf"),
        ("rapport-3-pages.pdf", samples.pdf(3), "application/pdf"),
        ("photo.PNG", samples.PNG, "image/png"),
        ("photo.jpg", samples.JPEG, "image/jpeg"),
        ("photo.jpeg", samples.JPEG, "image/jpeg"),
        ("photo.webp", samples.WEBP, "image/webp"),
        ("compte-rendu.docx", samples.DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("avec-graphique.docx", samples.DOCX_WITH_CHART,
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("tableau.xlsx", samples.XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("slides.pptx", samples.office("pptx"),
         "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("note.odt", samples.ODT, "application/vnd.oasis.opendocument.text"),
        ("calc.ods", samples.opendocument("application/vnd.oasis.opendocument.spreadsheet"),
         "application/vnd.oasis.opendocument.spreadsheet"),
        # A document with pictures and a big (but ordinary) part is fine.
        ("illustre.docx", samples.office("docx", (("word/media/image1.png", samples.PNG),
                                                  ("word/styles.xml", b"<w:style/>" * 100_000))),
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_accepted_files(name, content, content_type):
    assert evidence.check_file(Upload(name, content))[1] == content_type


def altered_part() -> bytes:
    """A package whose main part was altered after it was written: its CRC no longer holds."""
    content = samples.office("docx", compression=zipfile.ZIP_STORED)
    return content.replace(b"<document/>", b"<documenX/>")


def lying_sizes(content: bytes) -> bytes:
    """The bomb with every part declared 100 bytes long, in both headers."""
    data = bytearray(content)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        struct.pack_into("<I", data, at + 24, 100)
        local = struct.unpack_from("<I", data, at + 42)[0]
        struct.pack_into("<I", data, local + 22, 100)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def high_ratio_docx() -> bytes:
    """Under the 50 MB cap, but 20 MB of zeros squeezed a thousand times."""
    return samples.office("docx", (("word/media/zeros.bin", b"\0" * (20 * 1024 * 1024)),))


def many_parts() -> bytes:
    return samples.office("docx", tuple((f"word/part{n}.xml", b"<p/>") for n in range(1001)))


def nested_tar() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo("x.txt")
        archive.addfile(info, io.BytesIO(b""))
    return samples.office("docx", (("word/embeddings/package.bin", buffer.getvalue()),))


def password_zip() -> bytes:
    data = bytearray(samples.DOCX)
    at = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, at + 8, struct.unpack_from("<H", data, at + 8)[0] | 1)
    return bytes(data)


def two_parts_of_one_name() -> bytes:
    buffer = io.BytesIO(samples.DOCX)
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "a") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it is asked to write
        archive.writestr("word/document.xml", "<other/>")
    return buffer.getvalue()


def odt_with_compressed_mimetype() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
        archive.writestr("content.xml", "<c/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # Judged by content, not by name.
        ("report.pdf", samples.PNG, "The content of report.pdf does not match its extension."),
        ("tableau.xlsx", samples.DOCX, "The content of tableau.xlsx does not match its extension."),
        ("note.ods", samples.ODT, "The content of note.ods does not match its extension."),
        ("photo.png", samples.JPEG, "The content of photo.png does not match its extension."),
        ("script.exe", b"MZ\x90\x00", "The file script.exe is not accepted"),
        ("page.html", b"<html><script>alert(1)</script>", "The file page.html is not accepted"),
        ("no-extension", samples.PDF, "The file no-extension is not accepted"),
        ("empty.pdf", b"", "The file empty.pdf is empty."),
        ("big.pdf", b"%PDF-" + b"\x00" * (20 * 1024 * 1024), "The file big.pdf is larger than 10 MB."),
        # The first bytes are right, the rest is not what they announce.
        ("page.pdf", samples.HTML_AS_PDF, "The file page.pdf is damaged or is not a real PDF file."),
        ("half.pdf", samples.PDF[: len(samples.PDF) // 2], "The file half.pdf is damaged or is not a real PDF file."),
        ("tail.pdf", samples.PDF[:-40], "The file tail.pdf is damaged or is not a real PDF file."),
        ("skeleton.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
         "The file skeleton.pdf is damaged or is not a real PDF file."),
        ("no-page.pdf", samples.pdf(0), "The file no-page.pdf is damaged or is not a real PDF file."),
        ("zeros.pdf", b"%PDF-1.4\n" + b"\x00" * 4096, "The file zeros.pdf is damaged or is not a real PDF file."),
        ("cut.png", samples.PNG[:-20], "The file cut.png is damaged or is not a real PNG file."),
        ("cut.jpg", samples.JPEG[: len(samples.JPEG) // 2], "The file cut.jpg is damaged or is not a real JPG file."),
        ("header.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "The file header.png is damaged or is not a real PNG"),
        ("header.docx", b"PK\x03\x04" + b"\x00" * 64, "The file header.docx is damaged or is not a real DOCX"),
        ("altered.docx", altered_part(), "The file altered.docx is damaged or is not a real DOCX"),
        ("parts.docx", samples.office("docx")[:200], "The file parts.docx is damaged or is not a real DOCX"),
        ("twice.docx", two_parts_of_one_name(), "The file twice.docx is damaged or is not a real DOCX"),
        ("stored.odt", odt_with_compressed_mimetype(), "The file stored.odt is damaged or is not a real ODT"),
        # Bombs, nested archives, macros, passwords.
        ("bomb.docx", samples.zip_bomb(200), "The file bomb.docx would unpack to more than 50 MB and is refused."),
        ("liar.docx", lying_sizes(samples.zip_bomb(60)), "The file liar.docx is damaged or is not a real DOCX"),
        ("dense.docx", high_ratio_docx(), ("The file dense.docx is refused: a part of it is compressed more than "
                                          "100 to 1")),
        ("parts.xlsx", many_parts(), "The file parts.xlsx has more than 1000 parts and is refused."),
        ("nested.docx", samples.DOCX_DOUBLY_NESTED,
         "The file nested.docx contains another archive, which is not accepted"),
        ("embedded-zip.docx", samples.office("docx", (("word/embeddings/data.xlsx", b"PK\x03\x04" + b"\x00" * 64),)),
         "The file embedded-zip.docx is damaged or is not a real DOCX"),
        ("embedded-bomb.docx", samples.office("docx", (("word/embeddings/Book.xlsx", samples.zip_bomb(60)),)),
         "The file embedded-bomb.docx would unpack to more than 50 MB"),
        ("embedded-macros.docx", samples.office("docx", (("word/embeddings/Book.xlsx", samples.office(
            "xlsx", (("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0"),))),)),
         "The file embedded-macros.docx contains macros, which are not accepted."),
        ("zipped.docx", samples.office("docx", (("word/media/data.bin", samples.zip_bomb(1)),)),
         "The file zipped.docx contains another archive"),
        ("tarred.docx", nested_tar(), "The file tarred.docx contains another archive"),
        ("macros.docx", samples.office("docx", (("word/vbaProject.bin", b"\xd0\xcf\x11\xe0"),)),
         "The file macros.docx contains macros, which are not accepted."),
        ("locked.docx", password_zip(), "The file locked.docx is protected by a password"),
        ("huge.png", samples.huge_png(8000, 7000), "The image huge.png has more than 50 million pixels"),
        # Legacy Office files (OLE2) cannot be checked without a parser: refused, with the way out.
        ("ancien.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
         ("The file ancien.doc is in an old Office format (.doc, .xls, .ppt), which is not accepted: save it as "
         ".docx, .xlsx, .pptx or as PDF.")),
        ("budget.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "The file budget.xls is in an old"),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value[-5:] else "",
)
def test_refused_files_are_named(name, content, message):
    with pytest.raises(InvalidInput) as refused:
        evidence.check_file(Upload(name, content))
    assert str(refused.value).startswith(message)
    assert refused.value.field == "files"


def test_an_encrypted_pdf_is_refused_and_one_without_a_password_accepted():
    from pypdf import PdfReader, PdfWriter

    def encrypted(user_password: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.PDF)))
        writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    with pytest.raises(InvalidInput, match=re.escape("The file secret.pdf is protected by a password")):
        evidence.check_file(Upload("secret.pdf", encrypted("s3cret")))
    assert evidence.check_file(Upload("restricted.pdf", encrypted("")))[0] == "pdf"


def test_the_upload_widget_offers_the_accepted_extensions_and_the_old_office_ones():
    """The old Office formats are offered so that the server says why it refuses them (the
    picker would drop them silently)."""
    from layouts.parts.evidence import evidence_upload

    widget = next(part for part in evidence_upload("x") if getattr(part, "id", None) == "x-files")
    offered = widget.accept.split(",")
    assert offered[:len(evidence.FILE_TYPES)] == [f".{extension}" for extension in evidence.FILE_TYPES]
    assert set(offered[len(evidence.FILE_TYPES):]) == {".doc", ".xls", ".ppt"}


def test_files_of_the_same_name_are_all_kept():
    assert evidence.unique_name("a.pdf", set()) == "a.pdf"
    assert evidence.unique_name("a.pdf", {"a.pdf"}) == "a (2).pdf"
    assert evidence.unique_name("A.PDF", {"a.pdf", "a (2).pdf"}) == "A (3).PDF"
    assert evidence.unique_name("README", {"readme"}) == "README (2)"


def test_the_browser_lists_must_pair_up():
    url = "data:application/pdf;base64," + base64.b64encode(PDF).decode()
    assert [u.filename for u in Upload.from_browser([url, url], ["a.pdf", "a.pdf"])] == ["a.pdf", "a.pdf"]
    assert Upload.from_browser(None, None) == []
    with pytest.raises(InvalidInput, match="The files could not be read"):
        Upload.from_browser([url, url], "a.pdf")  # a second file with no name of its own
    with pytest.raises(InvalidInput, match="The files could not be read"):
        Upload.from_browser([url], ["a.pdf", "b.pdf"])
    with pytest.raises(InvalidInput, match=re.escape("Attach at most 5 files.")):
        Upload.from_browser([url] * 6, ["a.pdf"] * 6)
    for hostile in (3, {"a": 1}, ["x"], None):
        with pytest.raises(InvalidInput, match="could not be read"):
            Upload.from_browser([hostile], [hostile])


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


def focal_mj(session) -> Actor:
    user = session.scalar(select(User).where(User.email == email_of("focal_mj")))
    return Actor(user_id=user.id, email=user.email, role=user.role, entity_id=user.entity_id)


def measure_form(files: list[Upload]) -> submissions.UpdateForm:
    return submissions.UpdateForm(status="in_progress", progress=50, narrative={"ar": "تقدم"},
                                  period_start="2026-01-01", period_end="2026-06-30", files=files)


def test_two_files_of_one_name_are_both_kept_through_the_service(writable_url, engine_for, tmp_path):
    engine = engine_for(writable_url)
    with Session(engine) as session:
        who = focal_mj(session)
        measure = session.scalar(select(Measure).where(Measure.code == "A1.O1.M2"))
        update = submissions.submit_measure_update(
            session, who, "A1.O1.M2", measure.version,
            measure_form([Upload("rapport.pdf", PDF), Upload("C:\\docs\\rapport.pdf", samples.pdf(2)),
                          Upload("RAPPORT.pdf", samples.pdf(3))]), tmp_path, AS_OF_DATE)
        session.commit()
        files = sorted((e.filename, e.size) for e in update.evidence if e.kind == "file")
        assert [name for name, _size in files] == ["RAPPORT (3).pdf", "rapport (2).pdf", "rapport.pdf"]
        assert len({size for _name, size in files}) == 3  # three different files, none dropped
        assert len(list(tmp_path.glob("*.pdf"))) == 3


@pytest.mark.parametrize(("name", "content", "message"), [
    ("page.pdf", samples.HTML_AS_PDF, "The file page.pdf is damaged or is not a real PDF file."),
    ("bomb.docx", samples.zip_bomb(200), "The file bomb.docx would unpack to more than 50 MB"),
    ("nested.docx", samples.DOCX_DOUBLY_NESTED, "The file nested.docx contains another archive"),
])
def test_the_service_refuses_a_bad_file_among_good_ones_and_writes_nothing(
        writable_url, engine_for, tmp_path, name, content, message):
    engine = engine_for(writable_url)
    with Session(engine) as session:
        who = focal_mj(session)
        measure = session.scalar(select(Measure).where(Measure.code == "A1.O1.M2"))
        with pytest.raises(InvalidInput) as refused:
            submissions.submit_measure_update(
                session, who, "A1.O1.M2", measure.version,
                measure_form([Upload("good.pdf", PDF), Upload(name, content)]), tmp_path, AS_OF_DATE)
        assert str(refused.value).startswith(message)
        session.rollback()
    assert not tmp_path.exists() or list(tmp_path.iterdir()) == []


def test_a_rolled_back_submission_leaves_no_file(writable_url, engine_for, tmp_path):
    engine = engine_for(writable_url)
    with Session(engine) as session:
        who = focal_mj(session)
        measure = session.scalar(select(Measure).where(Measure.code == "A1.O1.M2"))
        submissions.submit_measure_update(session, who, "A1.O1.M2", measure.version,
                                          measure_form([Upload("a.pdf", PDF)]), tmp_path, AS_OF_DATE)
        assert len(list(tmp_path.glob("*.pdf"))) == 1
        session.rollback()
    assert list(tmp_path.iterdir()) == []
