"""Evidence files: parsed whole (pypdf, Pillow, zipfile within limits) before they are
accepted, stored outside the web root under random names, and handed out only to users
allowed to see the submission they support.

A file is written when its submission is added to the session. If that transaction rolls
back, the file is removed again, so the folder never holds files the database does not know.

Messages (refusals, notices) are in the current language of ``dashboard.i18n``: the
request's, or the one set with ``using_language`` outside a request.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import io
import logging
import os
import re
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from dashboard.errors import InvalidInput, NotFound
from dashboard.i18n import gettext as _
from dashboard.models import Evidence, ImportBatch, IndicatorSubmission, MeasureUpdate
from dashboard.permissions import Actor, authorize

MAX_FILE_BYTES = 10 * 1024 * 1024
# The upload widget drops larger files without a word; up to this size the server sees
# them and says why it refuses them (base64 in a callback: 4/3 of the size, < the request cap).
BROWSER_MAX_BYTES = 45 * 1024 * 1024
MAX_FILES = 5
MAX_LINKS = 10
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.[a-z]{3,4}$")

# Limits of an office document (a zip package), checked while it is unpacked in memory.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_PARTS = 1000
# Deflate reaches ~1000:1 on zeros; office parts stay far below 100:1.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024  # small parts may compress well without harm
MAX_PIXELS = 50_000_000
# Legacy Office files (OLE2 compound files) are refused: no maintained parser is installed
# to check them, and they are the usual carriers of macros.
LEGACY_OFFICE = ("doc", "xls", "ppt")
# First bytes of archives that have no place inside a document.
_ARCHIVES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08", b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c",
             b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd", b"MSCF")
_HTML = re.compile(rb"<\s*(!doctype|html|head|body|script|iframe|svg|meta)\b", re.IGNORECASE)

# pypdf logs every flaw of a damaged file: the user is told, the server log need not be.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class _Damaged(Exception):
    """The file does not parse as what its extension says."""


@dataclass(frozen=True)
class FileType:
    content_type: str
    matches: Callable[[bytes], bool]  # the first bytes: is it this kind of file at all?
    check: Callable[[bytes, str], None]  # the whole structure (content, display name)


def _check_pdf(content: bytes, name: str) -> None:
    if _HTML.search(content[:1024]):
        raise _Damaged
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (PyPdfError, NotImplementedError, ValueError, KeyError, TypeError):
                # e.g. AES without pypdf's optional crypto library: it cannot be opened here
                opened = 0
            if not opened:
                raise InvalidInput(_("The file %(name)s is protected by a password: send a copy "
                                     "without one.", name=name), "files")
        _first_page(reader.trailer["/Root"].get_object())
    except InvalidInput:
        raise
    except Exception as exc:  # a parser of hostile bytes can fail in any way: all mean "damaged"
        raise _Damaged from exc


def _first_page(catalog) -> None:
    """The page tree announces pages and leads down to a first one. (Walking every page, as
    ``len(reader.pages)`` does, takes seconds on a file of tiny pages: one path is enough.)"""
    node = catalog["/Pages"].get_object()
    count = node.get("/Count")
    if not isinstance(count, int) or count < 1:
        raise _Damaged
    for _depth in range(64):
        kids = node.get("/Kids")
        if kids is None:
            if node.get("/Type") not in (None, "/Page"):
                raise _Damaged
            return
        node = kids[0].get_object()
    raise _Damaged  # deeper than any real page tree, or a loop


def _check_image(pillow_format: str):
    def check(content: bytes, name: str) -> None:
        try:
            with Image.open(io.BytesIO(content), formats=[pillow_format]) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise InvalidInput(_("The image %(name)s has more than %(n)d million pixels: send a "
                                         "smaller one.", name=name, n=MAX_PIXELS // 1_000_000), "files")
                image.verify()
            # verify() does not decode; decoding finds truncated and corrupt data.
            with Image.open(io.BytesIO(content), formats=[pillow_format]) as image:
                if pillow_format == "JPEG":  # every scan is read, at an eighth of the size
                    image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
        except InvalidInput:
            raise
        except Image.DecompressionBombError:
            raise InvalidInput(_("The image %(name)s has more than %(n)d million pixels: send a "
                                 "smaller one.", name=name, n=MAX_PIXELS // 1_000_000), "files") from None
        except Exception as exc:
            raise _Damaged from exc
    return check


def _embedded_package(part_name: str) -> bool:
    """A chart's workbook inside a Word or PowerPoint file (``word/embeddings/*.xlsx``): an
    office package inside an office package, which every chart carries."""
    folder, _sep, base = part_name.lower().rpartition("/")
    return folder.endswith("/embeddings") and base.endswith((".xlsx", ".docx", ".pptx"))


def _unpacked(content: bytes, name: str, embedded: bool = False) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]]:
    """The parts of a zip package, each unpacked within the limits, and the bytes of the
    small parts that say what the package is. An office package embedded in it (a chart's
    workbook) is unpacked and checked the same way, once: it may embed nothing itself."""
    too_big = InvalidInput(_("The file %(name)s would unpack to more than %(n)d MB and is refused.",
                             name=name, n=MAX_UNPACKED_BYTES // (1024 * 1024)), "files")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_PARTS:
                raise InvalidInput(_("The file %(name)s has more than %(n)d parts and is refused.",
                                     name=name, n=MAX_PARTS), "files")
            if not infos or len({info.filename for info in infos}) != len(infos):
                raise _Damaged  # two parts of one name: readers would disagree on which counts
            if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
                raise too_big
            for info in infos:
                if info.flag_bits & 0x1:
                    raise InvalidInput(_("The file %(name)s is protected by a password: send a copy "
                                         "without one.", name=name), "files")
                if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(1, info.compress_size):
                    raise InvalidInput(_("The file %(name)s is refused: a part of it is compressed more "
                                         "than %(n)d to 1, which documents never are.",
                                         name=name, n=MAX_RATIO), "files")
                if info.filename.lower().rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml"):
                    raise InvalidInput(_("The file %(name)s contains macros, which are not accepted.",
                                         name=name), "files")
            kept, total = {}, 0
            for info in infos:
                if info.is_dir():
                    continue
                # The sizes in the directory may lie: count what actually comes out. zipfile
                # checks each part's CRC at its end, so a truncated or altered part raises.
                with archive.open(info) as part:
                    head = part.read(512)
                    package = not embedded and head.startswith(b"PK\x03\x04") and _embedded_package(info.filename)
                    if (head.startswith(_ARCHIVES) or head[257:262] == b"ustar") and not package:
                        raise InvalidInput(_("The file %(name)s contains another archive, which is not "
                                             "accepted: save the document without embedded files, or as "
                                             "PDF.", name=name), "files")
                    data, total = bytearray(head), total + len(head)
                    while chunk := part.read(64 * 1024):
                        total += len(chunk)
                        if total > MAX_UNPACKED_BYTES:
                            raise too_big
                        if info.filename in _KEPT_PARTS or package:
                            data += chunk
                if total > MAX_UNPACKED_BYTES:
                    raise too_big
                if package:
                    inner, _kept = _unpacked(bytes(data), name, embedded=True)
                    total += sum(item.file_size for item in inner)
                    if total > MAX_UNPACKED_BYTES:
                        raise too_big
                if info.filename in _KEPT_PARTS:
                    kept[info.filename] = bytes(data)
            return infos, kept
    except InvalidInput:
        raise
    except Exception as exc:  # BadZipFile, a bad CRC, an unknown compression, zlib errors...
        raise _Damaged from exc


_KEPT_PARTS = ("[Content_Types].xml", "mimetype")


class _OtherKind(Exception):
    """A sound package of another kind (a Word document named .xlsx)."""


OOXML_MAIN = {
    "docx": ("word/document.xml", b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml",
             b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
}


def _check_ooxml(extension: str):
    main_part, main_type = OOXML_MAIN[extension]

    def check(content: bytes, name: str) -> None:
        infos, kept = _unpacked(content, name)
        names = {info.filename for info in infos}
        types = kept.get("[Content_Types].xml", b"")
        if "_rels/.rels" not in names or not types:
            raise _Damaged
        if main_part in names and main_type in types:
            return
        if any(part in names and kind in types for part, kind in OOXML_MAIN.values()):
            raise _OtherKind
        raise _Damaged
    return check


def _check_opendocument(mimetype: bytes):
    def check(content: bytes, name: str) -> None:
        infos, kept = _unpacked(content, name)
        names = {info.filename for info in infos}
        # The package's first part is its type, stored uncompressed (OpenDocument 1.2, part 3).
        if infos[0].filename != "mimetype" or infos[0].compress_type != zipfile.ZIP_STORED \
                or "META-INF/manifest.xml" not in names or "content.xml" not in names:
            raise _Damaged
        if kept["mimetype"] != mimetype:
            raise _OtherKind if kept["mimetype"].startswith(b"application/vnd.oasis.opendocument.") \
                else _Damaged
    return check


def _zip(content: bytes) -> bool:
    return content.startswith(b"PK\x03\x04")


# extension -> what it must be
FILE_TYPES = {
    "pdf": FileType("application/pdf", lambda c: c.startswith(b"%PDF-"), _check_pdf),
    "png": FileType("image/png", lambda c: c.startswith(b"\x89PNG\r\n\x1a\n"), _check_image("PNG")),
    "jpg": FileType("image/jpeg", lambda c: c.startswith(b"\xff\xd8\xff"), _check_image("JPEG")),
    "jpeg": FileType("image/jpeg", lambda c: c.startswith(b"\xff\xd8\xff"), _check_image("JPEG")),
    "webp": FileType("image/webp", lambda c: c[:4] == b"RIFF" and c[8:12] == b"WEBP", _check_image("WEBP")),
    "docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _zip,
                     _check_ooxml("docx")),
    "xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _zip,
                     _check_ooxml("xlsx")),
    "pptx": FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", _zip,
                     _check_ooxml("pptx")),
    "odt": FileType("application/vnd.oasis.opendocument.text", _zip,
                    _check_opendocument(b"application/vnd.oasis.opendocument.text")),
    "ods": FileType("application/vnd.oasis.opendocument.spreadsheet", _zip,
                    _check_opendocument(b"application/vnd.oasis.opendocument.spreadsheet")),
}


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it: its name and its bytes."""

    filename: str
    content: bytes

    @classmethod
    def from_data_url(cls, filename: str, data_url: str) -> Upload:
        """dcc.Upload gives "data:<type>;base64,<content>"."""
        filename = filename if isinstance(filename, str) else ""
        _header, _sep, payload = (data_url if isinstance(data_url, str) else "").partition(",")
        try:
            content = base64.b64decode(payload, validate=True) if isinstance(data_url, str) else None
        except (binascii.Error, ValueError):
            content = None
        if content is None:
            raise InvalidInput(_("The file %(name)s could not be read.", name=display_name(filename)),
                               "files")
        return cls(filename, content)

    @classmethod
    def from_browser(cls, contents, names) -> list[Upload]:
        """dcc.Upload's ``contents`` and ``filename``: one data URL and one name per file.

        Lists of different lengths are refused rather than paired up, so no file is lost."""
        contents = [] if contents is None else contents if isinstance(contents, list) else [contents]
        names = [] if names is None else names if isinstance(names, list) else [names]
        if len(names) != len(contents):
            raise InvalidInput(_("The files could not be read: choose them again."), "files")
        if len(contents) > MAX_FILES:
            raise InvalidInput(_("Attach at most %(n)d files.", n=MAX_FILES), "files")
        return [cls.from_data_url(name, data) for name, data in zip(names, contents)]


def display_name(filename: str) -> str:
    """The user's file name without folders or control characters, for display only."""
    name = re.split(r"[\\/]", filename if isinstance(filename, str) else "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:150] or "file"


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or "name (2).pdf" and so on when a file of that name is already there."""
    if name.casefold() not in taken:
        return name
    stem, dot, extension = name.rpartition(".")
    if not stem:
        stem, dot, extension = name, "", ""
    number = 2
    while f"{stem} ({number}){dot}{extension}".casefold() in taken:
        number += 1
    return f"{stem} ({number}){dot}{extension}"


def check_file(upload: Upload) -> tuple[str, str]:
    """The extension and content type of an acceptable file, else ``InvalidInput`` naming it.

    The whole file is parsed: a PDF by pypdf, an image by Pillow, an office document as a
    zip package within limits of size, parts and compression, without nested archives."""
    name = display_name(upload.filename)
    if len(upload.content) > MAX_FILE_BYTES:
        raise InvalidInput(_("The file %(name)s is larger than 10 MB.", name=name), "files")
    if not upload.content:
        raise InvalidInput(_("The file %(name)s is empty.", name=name), "files")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in LEGACY_OFFICE:
        raise InvalidInput(_("The file %(name)s is in an old Office format (.doc, .xls, .ppt), which is not "
                             "accepted: save it as .docx, .xlsx, .pptx or as PDF.", name=name), "files")
    if extension not in FILE_TYPES:
        raise InvalidInput(
            _("The file %(name)s is not accepted: send a PDF, an office document or an image.", name=name),
            "files",
        )
    kind = FILE_TYPES[extension]
    mismatch = InvalidInput(_("The content of %(name)s does not match its extension.", name=name), "files")
    if not kind.matches(upload.content):
        raise mismatch
    try:
        kind.check(upload.content, name)
    except _OtherKind:
        raise mismatch from None
    except _Damaged:
        raise InvalidInput(_("The file %(name)s is damaged or is not a real %(format)s file.",
                             name=name, format=extension.upper()), "files") from None
    return extension, kind.content_type


def check_link(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 2000 or any(
        ch.isspace() for ch in url
    ):
        raise InvalidInput(_("This is not a web address starting with http:// or https://: %(url)s",
                             url=f"\u2066{url[:100]}\u2069"), "links")
    return url


def parse_links(text: str) -> list[str]:
    links = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(links) > MAX_LINKS:
        raise InvalidInput(_("Give at most %(n)d links.", n=MAX_LINKS), "links")
    return [check_link(link) for link in links]


def check_uploads(uploads: list[Upload]) -> list[tuple[Upload, str, str]]:
    if len(uploads) > MAX_FILES:
        raise InvalidInput(_("Attach at most %(n)d files.", n=MAX_FILES), "files")
    return [(upload, *check_file(upload)) for upload in uploads]


def upload_dir(path: str | os.PathLike) -> Path:
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True, mode=0o750)
    return folder


def attach(
    session: Session,
    folder: str | os.PathLike,
    actor: Actor,
    submission: MeasureUpdate | IndicatorSubmission,
    links: list[str],
    files: list[tuple[Upload, str, str]],
    now,
) -> list[Evidence]:
    """Add checked links and files to a submission; files are written now, removed on rollback.

    A file named like one the submission already has is kept as "name (2).pdf". A file whose
    content (SHA-256) the submission already has, or a link it already has, adds nothing."""
    items = []
    urls = {item.url for item in submission.evidence if item.kind == "link"}
    for url in links:
        if url in urls:
            continue
        urls.add(url)
        items.append(Evidence(kind="link", url=url, uploaded_by_id=actor.user_id, uploaded_at=now))
    taken = {item.filename.casefold() for item in submission.evidence if item.kind == "file"}
    digests = {item.sha256 for item in submission.evidence if item.kind == "file" and item.sha256}
    for upload, extension, content_type in files:
        digest = hashlib.sha256(upload.content).hexdigest()
        if digest in digests:
            continue  # the same file again: neither a second row nor a second copy
        digests.add(digest)
        filename = unique_name(display_name(upload.filename), taken)
        taken.add(filename.casefold())
        stored_name = store(session, folder, upload.content, extension)
        items.append(Evidence(
            kind="file", filename=filename, stored_name=stored_name,
            content_type=content_type, size=len(upload.content),
            sha256=digest,
            uploaded_by_id=actor.user_id, uploaded_at=now,
        ))
    submission.evidence.extend(items)
    return items


def remove(session: Session, folder: str | os.PathLike, submission: MeasureUpdate | IndicatorSubmission,
           evidence_ids) -> list[dict]:
    """Take the chosen evidence off a submission (the caller checked who may); returns what
    was removed, for the audit trail. Ids that are not this submission's are refused.

    A stored file goes from disk only once no evidence row nor reporting file refers to it
    any more, and only after the transaction commits (several rows of one imported workbook
    share a file)."""
    wanted = set()
    for value in evidence_ids if isinstance(evidence_ids, (list, tuple, set)) else []:
        number = value if isinstance(value, int) and not isinstance(value, bool) else None
        if number is None and isinstance(value, str) and value.isdigit() and len(value) < 12:
            number = int(value)
        if number is None:
            raise InvalidInput(_("There is no such evidence on this submission."), "remove_evidence")
        wanted.add(number)
    if not wanted:
        return []
    own = {item.id: item for item in submission.evidence}
    if not wanted <= own.keys():
        raise InvalidInput(_("There is no such evidence on this submission."), "remove_evidence")
    removed, names = [], set()
    for evidence_id in sorted(wanted):
        item = own[evidence_id]
        removed.append({"id": item.id, "kind": item.kind, "url": item.url or None,
                        "filename": item.filename or None, "sha256": item.sha256 or None})
        if item.kind == "file" and item.stored_name:
            names.add(item.stored_name)
        submission.evidence.remove(item)
        session.delete(item)
    session.flush()
    for stored_name in names:
        if not STORED_NAME.match(stored_name):
            continue
        still = session.scalar(select(func.count()).select_from(Evidence).where(Evidence.stored_name == stored_name))
        still = still or session.scalar(select(func.count()).select_from(ImportBatch)
                                        .where(ImportBatch.stored_name == stored_name))
        if not still:
            _unlinked(session).append(Path(folder) / stored_name)
    return removed


def _unlinked(session: Session) -> list[Path]:
    """Files whose last reference was removed: deleted from disk once the transaction commits."""
    return session.info.setdefault("evidence_unlinked", [])


def store(session: Session, folder: str | os.PathLike, content: bytes, extension: str) -> str:
    """Write a checked file under a new random name; it is removed if the transaction rolls back."""
    target = upload_dir(folder)
    stored_name = f"{secrets.token_hex(16)}.{extension}"
    _write_new(target / stored_name, content)
    _staged(session).append(target / stored_name)
    return stored_name


def _write_new(path: Path, content: bytes) -> None:
    temporary = path.with_suffix(path.suffix + ".part")
    with open(temporary, "xb") as handle:
        handle.write(content)
    os.chmod(temporary, 0o640)
    os.replace(temporary, path)


def _staged(session: Session) -> list[Path]:
    return session.info.setdefault("evidence_staged", [])


@event.listens_for(Session, "after_commit")
def _keep_files(session: Session) -> None:
    session.info.pop("evidence_staged", None)
    for path in session.info.pop("evidence_unlinked", []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_soft_rollback")
def _remove_files(session: Session, previous_transaction) -> None:
    # Only when the outermost transaction is rolled back, as nested ones may be retried.
    if previous_transaction.parent is None:
        for path in session.info.pop("evidence_staged", []):
            path.unlink(missing_ok=True)
        session.info.pop("evidence_unlinked", None)  # the rows are back: so are their files


def evidence_file(session: Session, folder: str | os.PathLike, actor: Actor, evidence_id: int
                  ) -> tuple[Evidence, Path]:
    """The evidence record and its file, if ``actor`` may see the submission it supports."""
    item = session.get(Evidence, evidence_id)
    if item is None or item.kind != "file" or not STORED_NAME.match(item.stored_name):
        raise NotFound(_("There is no such file."))
    authorize(actor, "read_entity_submissions", _owner_entity(item))
    path = Path(folder) / item.stored_name
    if not path.is_file():
        raise NotFound(_("There is no such file."))
    return item, path


def _owner_entity(item: Evidence) -> int | None:
    if item.measure_update is not None:
        return item.measure_update.measure.lead_entity_id
    if item.indicator_submission is not None:
        return item.indicator_submission.indicator.responsible_entity_id
    return None
