"""Real files of every accepted kind, and crafted bad ones, built in memory for the tests.

Valid files are made by the same libraries that check them (pypdf, Pillow) or by zipfile
with the parts a real office document has, so that a test never leans on a file shaped
only to pass the first-bytes check.
"""
from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib

from PIL import Image
from pypdf import PdfWriter

CONTENT_TYPES = {
    "docx": ("word/document.xml",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
}


def pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = pdf()


def image(kind: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


PNG = image("PNG")
JPEG = image("JPEG")
WEBP = image("WEBP")


def office(kind: str = "docx", extra: tuple[tuple[str, bytes], ...] = (), compression=zipfile.ZIP_DEFLATED) -> bytes:
    """An OOXML package with the parts Word, Excel or PowerPoint write first."""
    main_part, main_type = CONTENT_TYPES[kind]
    types = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/{main_part}" ContentType="{main_type}"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/officeDocument" Target="{main_part}"/></Relationships>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr(main_part, "<document/>")
        for name, content in extra:
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = office("docx")
XLSX = office("xlsx")
# A Word file with a chart: the chart's data is a workbook stored inside the document.
DOCX_WITH_CHART = office("docx", (("word/embeddings/Microsoft_Excel_Worksheet.xlsx", XLSX),))
# A workbook inside a workbook inside a document: no office program writes that.
DOCX_DOUBLY_NESTED = office("docx", (("word/embeddings/Book.xlsx",
                                      office("xlsx", (("xl/embeddings/inner.docx", DOCX),))),))


def opendocument(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # first and stored, as the standard asks
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


ODT = opendocument()


@functools.cache
def zip_bomb(megabytes: int = 200) -> bytes:
    """A Word document carrying ``megabytes`` of zeros: about 200 KB on the wire."""
    return office("docx", (("word/media/image1.bin", b"\0" * (megabytes * 1024 * 1024)),))


def huge_png(width: int = 8000, height: int = 7000) -> bytes:
    """A small PNG whose header announces ``width`` x ``height`` pixels (a pixel bomb)."""
    content = bytearray(PNG)
    header = struct.pack(">II", width, height) + bytes(content[24:29])
    content[16:29] = header
    content[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(content)


HTML_AS_PDF = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n"
