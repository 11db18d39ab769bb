"""Reading a reporting file: a workbook (.xlsx) or a CSV as ministries send them, into rows
of cells by column key, after the checks that refuse the whole file.

A file is refused, with a message saying why and what to send instead, when it is too big,
empty, not a workbook or CSV, an old or macro-enabled Excel format, a workbook holding
formulas, the template of another body or of an unknown version, or has no sheet with the
template's columns. Otherwise its sheets are read with pandas: the header row (in any of the
three languages) names the columns, extra columns are ignored, blank rows skipped, and a
template of an earlier date is accepted (its rows are checked against today's data).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import pandas as pd
from sqlalchemy.orm import Session

from dashboard.errors import InvalidInput
from dashboard.i18n import fmt_date, message_lang
from dashboard.i18n import gettext as _
from dashboard.models import Entity
from dashboard.permissions import Actor, authorize
from dashboard.sheet_values import clean_text
from dashboard.workflow import evidence
from dashboard.workflow.imports import SheetRow
from dashboard.workflow.templates import (
    TEMPLATE_KIND,
    TEMPLATE_SHEET,
    TEMPLATE_VERSION,
    column_keys,
    indicator_headers,
    measure_headers,
    statistic_headers,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000  # rows per sheet: a body's template has a few hundred, the benchmark's ten thousand
HEADER_ROWS = 5  # the header may sit under a title row or two
FORMULAS_NAMED = 5


@dataclass
class ReportingFile:
    filename: str
    extension: str  # xlsx or csv
    content_type: str
    size: int
    template: dict[str, Any] = field(default_factory=dict)  # the hidden sheet's identity, if any
    measure_rows: list[SheetRow] = field(default_factory=list)
    indicator_rows: list[SheetRow] = field(default_factory=list)
    statistic_rows: list[SheetRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # in the current language


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, "file")


def read_reporting_file(session: Session, actor: Actor, filename: str, content: bytes,
                        today: dt.date) -> ReportingFile:
    """The file's rows, or ``InvalidInput`` saying why the whole file is refused."""
    authorize(actor, "report_from_file")
    name = evidence.display_name(filename)
    if not isinstance(content, bytes) or not content:
        raise _refuse(_("The file %(name)s is empty.", name=name))
    if len(content) > MAX_FILE_BYTES:
        raise _refuse(_("The file %(name)s is larger than 5 MB: send the template with your rows only.", name=name))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in ("xlsm", "xltm", "xlsb"):
        raise _refuse(_("The file %(name)s may hold macros, which are not accepted: save it as an Excel "
                        "workbook (.xlsx).", name=name))
    if extension in ("xls", "xlt"):
        raise _refuse(_("The file %(name)s is in an old Excel format: save it as an Excel workbook (.xlsx).",
                        name=name))
    if extension == "csv":
        file = ReportingFile(name, "csv", "text/csv", len(content))
        _read_csv(file, content)
    elif extension == "xlsx":
        file = ReportingFile(name, "xlsx", evidence.FILE_TYPES["xlsx"].content_type, len(content))
        _read_workbook(session, actor, file, content, today)
    else:
        raise _refuse(_("The file %(name)s is not a workbook: send the reporting template (.xlsx) or a "
                        "CSV file.", name=name))
    if not file.measure_rows and not file.indicator_rows and not file.statistic_rows:
        raise _refuse(_("No sheet of %(name)s has the template's columns (such as the measure code and the "
                        "new status, or the indicator code, the period and the value).", name=name))
    return file


def _read_workbook(session: Session, actor: Actor, file: ReportingFile, content: bytes, today: dt.date) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            parts = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refuse(_("The file %(name)s is damaged or is not a real %(format)s file.",
                        name=file.filename, format="XLSX")) from None
    if any(part.lower().endswith("vbaproject.bin") for part in parts):
        raise _refuse(_("The file %(name)s may hold macros, which are not accepted: save it as an Excel "
                        "workbook (.xlsx).", name=file.filename))
    try:  # the package's limits (size, parts, compression) and its kind, as for evidence
        evidence.check_file(evidence.Upload(file.filename, content))
    except InvalidInput as error:
        raise _refuse(error.message) from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on a broken package
        raise _refuse(_("The file %(name)s is damaged or is not a real %(format)s file.",
                        name=file.filename, format="XLSX")) from None
    # One pass over the cells (half the time of a formula scan then pandas.read_excel): their
    # values become the sheet's frame, and the formulas are refused.
    sheets: dict[str, list[list[Any]]] = {}
    formulas: list[str] = []
    try:
        for sheet in book.worksheets:
            if sheet.title == TEMPLATE_SHEET:
                file.template = _identity(sheet)
                continue
            rows = sheets[sheet.title] = []
            for row in sheet.iter_rows():
                if len(rows) >= MAX_ROWS + HEADER_ROWS:
                    raise _refuse(_("The sheet %(sheet)s of %(name)s has more than %(n)s rows: send the rows you "
                                    "report on only.", sheet=sheet.title, name=file.filename, n=MAX_ROWS))
                for cell in row:
                    if getattr(cell, "data_type", None) == "f" and len(formulas) < FORMULAS_NAMED:
                        formulas.append(f"{sheet.title}!{cell.coordinate}")
                rows.append([getattr(cell, "value", None) for cell in row])
    except InvalidInput:
        raise
    except Exception:
        raise _refuse(_("The file %(name)s is damaged or is not a real %(format)s file.",
                        name=file.filename, format="XLSX")) from None
    finally:
        book.close()
    if formulas:
        raise _refuse(_("The file %(name)s holds formulas (%(cells)s): copy the cells and paste them as "
                        "values, then send it again.", name=file.filename, cells=", ".join(formulas)))
    if file.template:
        _check_template(session, actor, file, today)
    for title, rows in sheets.items():
        _take_sheet(file, title, pd.DataFrame(rows, dtype=object))


def _identity(sheet) -> dict[str, Any]:
    identity = {}
    for row in sheet.iter_rows(max_row=20, max_col=2, values_only=True):
        if row and isinstance(row[0], str) and len(row) > 1:
            identity[row[0]] = row[1]
    return identity if identity.get("kind") == TEMPLATE_KIND else {}


def _check_template(session: Session, actor: Actor, file: ReportingFile, today: dt.date) -> None:
    template = file.template
    version = template.get("version")
    if not isinstance(version, int) or version > TEMPLATE_VERSION:
        raise _refuse(_("The file %(name)s comes from a newer version of the template: download the template "
                        "again from the dashboard.", name=file.filename))
    entity = session.get(Entity, actor.entity_id) if actor.entity_id else None
    if entity is None or template.get("entity") != entity.acronym:
        raise _refuse(_("The file %(name)s is the template of another body (%(other)s): download your own "
                        "template from the dashboard.", name=file.filename,
                        other=f"\u2066{str(template.get('entity'))[:40]}\u2069"))
    try:
        made = dt.date.fromisoformat(str(template.get("generated_on")))
    except ValueError:
        return
    if made < today:
        file.notes.append(_("This template was made on %(date)s: each row is checked against today's data.",
                            date=fmt_date(made, message_lang())))


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _take_sheet(file: ReportingFile, title: str, frame: pd.DataFrame) -> None:
    """Find the header row, name the columns, and keep the sheet if it is one of the template's."""
    measure_keys, indicator_keys = column_keys(measure_headers), column_keys(indicator_headers)
    statistic_keys = column_keys(statistic_headers)
    table = frame.to_numpy(dtype=object).tolist()
    for header_index in range(min(HEADER_ROWS, len(table))):
        headers = [clean_text(_plain(value)) for value in table[header_index]]
        normal = [" ".join(h.replace("\u00a0", " ").casefold().split()) if h else "" for h in headers]
        as_measures = {i: measure_keys[h] for i, h in enumerate(normal) if h in measure_keys}
        as_indicators = {i: indicator_keys[h] for i, h in enumerate(normal) if h in indicator_keys}
        as_statistics = {i: statistic_keys[h] for i, h in enumerate(normal) if h in statistic_keys}
        if "code" in as_measures.values() and "status" in as_measures.values():
            target, columns = file.measure_rows, as_measures
        elif {"series", "year", "value"} <= set(as_statistics.values()):
            target, columns = file.statistic_rows, as_statistics
        elif {"code", "period", "value"} <= set(as_indicators.values()):
            target, columns = file.indicator_rows, as_indicators
        else:
            continue
        for index in range(header_index + 1, min(len(table), header_index + 1 + MAX_ROWS)):
            values = table[index]
            cells = {key: _plain(values[i]) for i, key in columns.items() if i < len(values)}
            target.append(SheetRow(title, index + 1, cells))
        return


def _read_csv(file: ReportingFile, content: bytes) -> None:
    for encoding in ("utf-8-sig", "cp1256"):  # Excel on an Arabic Windows saves CSV as cp1256
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _refuse(_("The file %(name)s is not text in UTF-8: save it as \"CSV UTF-8\".", name=file.filename))
    if "\x00" in text:
        raise _refuse(_("The file %(name)s is not a workbook: send the reporting template (.xlsx) or a "
                        "CSV file.", name=file.filename))
    first_line = text.split("\n", 1)[0]
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False, sep=separator,
                            nrows=MAX_ROWS + HEADER_ROWS, skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError, csv.Error):
        raise _refuse(_("The file %(name)s could not be read as CSV: save it again as \"CSV UTF-8\".",
                        name=file.filename)) from None
    frame = frame.replace({"": None})
    _take_sheet(file, file.filename, frame)

