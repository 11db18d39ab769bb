"""Evidence files: checked by size and content, stored outside the web root under random
names, and handed out only to users allowed to see the submission they support.

A file is written when its submission is added to the session. If that transaction rolls
back, the file is removed again, so the folder never holds files the database does not know.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import io
import os
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from .errors import InvalidInput, NotFound
from .models import Evidence, IndicatorSubmission, MeasureUpdate
from .permissions import Actor, authorize

MAX_FILE_BYTES = 10 * 1024 * 1024
# The upload widget drops larger files without a word; up to this size the server sees
# them and says why it refuses them (base64 in a callback: 4/3 of the size, < the request cap).
BROWSER_MAX_BYTES = 45 * 1024 * 1024
MAX_FILES = 5
MAX_LINKS = 10
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.[a-z]{3,4}$")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office documents


def _zip_names(content: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return set()


def _ooxml(part: str):
    def matches(content: bytes) -> bool:
        if not content.startswith(b"PK\x03\x04"):
            return False
        names = _zip_names(content)
        return "[Content_Types].xml" in names and any(name.startswith(part) for name in names)
    return matches


def _opendocument(mimetype: bytes):
    # An OpenDocument file starts with an uncompressed "mimetype" entry.
    return lambda content: content.startswith(b"PK\x03\x04") and content[30:38] == b"mimetype" \
        and content[38:38 + len(mimetype)] == mimetype


# extension -> (content type, check of the content's first bytes)
FILE_TYPES = {
    "pdf": ("application/pdf", lambda c: c.startswith(b"%PDF-")),
    "png": ("image/png", lambda c: c.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda c: c.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda c: c.startswith(b"\xff\xd8\xff")),
    "webp": ("image/webp", lambda c: c[:4] == b"RIFF" and c[8:12] == b"WEBP"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ooxml("word/")),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ooxml("xl/")),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ooxml("ppt/")),
    "odt": ("application/vnd.oasis.opendocument.text",
            _opendocument(b"application/vnd.oasis.opendocument.text")),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet",
            _opendocument(b"application/vnd.oasis.opendocument.spreadsheet")),
    "doc": ("application/msword", lambda c: c.startswith(_OLE2)),
    "xls": ("application/vnd.ms-excel", lambda c: c.startswith(_OLE2)),
    "ppt": ("application/vnd.ms-powerpoint", lambda c: c.startswith(_OLE2)),
}


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it: its name and its bytes."""

    filename: str
    content: bytes

    @classmethod
    def from_data_url(cls, filename: str, data_url: str) -> Upload:
        """dcc.Upload gives "data:<type>;base64,<content>"."""
        _header, _sep, payload = (data_url or "").partition(",")
        try:
            content = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput(_("The file %(name)s could not be read.", name=display_name(filename)),
                               "files") from None
        return cls(filename or "", content)


def display_name(filename: str) -> str:
    """The user's file name without folders or control characters, for display only."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:150] or "file"


def check_file(upload: Upload) -> tuple[str, str]:
    """The extension and content type of an acceptable file, else ``InvalidInput``."""
    name = display_name(upload.filename)
    if len(upload.content) > MAX_FILE_BYTES:
        raise InvalidInput(_("The file %(name)s is larger than 10 MB.", name=name), "files")
    if not upload.content:
        raise InvalidInput(_("The file %(name)s is empty.", name=name), "files")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FILE_TYPES:
        raise InvalidInput(
            _("The file %(name)s is not accepted: send a PDF, an office document or an image.", name=name),
            "files",
        )
    content_type, matches = FILE_TYPES[extension]
    if not matches(upload.content):
        raise InvalidInput(
            _("The content of %(name)s does not match its extension.", name=name), "files"
        )
    return extension, content_type


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
    """Add checked links and files to a submission; files are written now, removed on rollback."""
    items = []
    for url in links:
        items.append(Evidence(kind="link", url=url, uploaded_by_id=actor.user_id, uploaded_at=now))
    target = upload_dir(folder)
    for upload, extension, content_type in files:
        stored_name = f"{secrets.token_hex(16)}.{extension}"
        _write_new(target / stored_name, upload.content)
        _staged(session).append(target / stored_name)
        items.append(Evidence(
            kind="file", filename=display_name(upload.filename), stored_name=stored_name,
            content_type=content_type, size=len(upload.content),
            sha256=hashlib.sha256(upload.content).hexdigest(),
            uploaded_by_id=actor.user_id, uploaded_at=now,
        ))
    submission.evidence.extend(items)
    return items


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


@event.listens_for(Session, "after_soft_rollback")
def _remove_files(session: Session, previous_transaction) -> None:
    # Only when the outermost transaction is rolled back, as nested ones may be retried.
    if previous_transaction.parent is None:
        for path in session.info.pop("evidence_staged", []):
            path.unlink(missing_ok=True)


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
