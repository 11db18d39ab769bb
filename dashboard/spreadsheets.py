"""What the files the dashboard writes for spreadsheets must hold: CSV cells that are safe
in a spreadsheet, and XLSX workbooks whose texts never run as formulas."""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dashboard.i18n import gettext as _


def csv_cell(value) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ is read as text."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


# --- XLSX ------------------------------------------------------------------------------------


def exact_figures_note() -> str:
    """What every sheet of exact figures says (the commission's readers get them)."""
    return _("Exact figures, small counts included: for the commission's readers only, not for publication.")


def protected_figures_note(threshold: int) -> str:
    """What every sheet of counts released through disclosure control says."""
    return _("Counts from 1 to %(n)s read \"%(label)s\"; a few other cells are left empty so that "
             "they cannot be worked out by subtraction.", n=threshold - 1, label=_("<%(n)s", n=threshold))


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its title, an optional note above the table (who may read
    it, for example), the headers and the rows (numbers stay numbers)."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    note: str = ""


def xlsx_workbook(sheets: Sequence[Sheet], right_to_left: bool = False) -> bytes:
    """The sheets as an .xlsx file (openpyxl). A text that a spreadsheet would take for a
    formula stays text; headers are bold and the header row stays in view."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        worksheet = workbook.create_sheet(_sheet_title(sheet.title))
        worksheet.sheet_view.rightToLeft = right_to_left
        row = 1
        if sheet.note:
            _put(worksheet, row, 1, sheet.note).font = Font(bold=True, color="9C0006")
            row += 2
        for column, header in enumerate(sheet.headers, start=1):
            _put(worksheet, row, column, header).font = Font(bold=True)
        worksheet.freeze_panes = worksheet.cell(row + 1, 1)
        for values in sheet.rows:
            row += 1
            for column, value in enumerate(values, start=1):
                _put(worksheet, row, column, value)
        for column, header in enumerate(sheet.headers, start=1):
            width = max([len(str(header))] + [len(str(v[column - 1] or "")) for v in sheet.rows[:200]])
            worksheet.column_dimensions[get_column_letter(column)].width = min(60, max(8, width + 2))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _put(worksheet, row: int, column: int, value):
    cell = worksheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"  # "=HYPERLINK(...)" from a data file is shown, never run
    return cell


def _sheet_title(title: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    return "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet"
