"""What a cell of a workbook or CSV that a ministry sends means: numbers, whole numbers,
years, dates and text, read the way people really type them.

Accepted: Arabic-Indic and Eastern Arabic-Indic digits (٠١٢, ۰۱۲), the Arabic decimal and
thousands separators (٫ ٬), a decimal comma ("12,5"), thousands grouped by spaces, no-break
spaces, dots or commas ("1 234,5", "1.234,5", "1,234.5"), a trailing percent sign, Excel's
date serials (the 1900 system, whose 29 February 1900 does not exist) and text dates
(2025-03-31, 31/03/2025, 31-03-2025, 31.03.2025), spaces and invisible marks around a value.

A comma alone is a decimal comma ("1,5" is one and a half, as French and Moroccan
administrations write), unless it groups thousands more than once ("1,234,567"). A value
that cannot be read raises ``CellError`` with a message in the current language.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from dashboard.i18n import gettext as _

# Arabic-Indic (U+0660..) and Eastern Arabic-Indic (U+06F0..) digits to ASCII; the Arabic
# decimal separator to a dot (read as decimal), its thousands separator dropped.
_DIGITS = {**{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)},
           0x066B: ".", 0x066C: ""}
# Spaces people and spreadsheets put inside or around numbers, and invisible direction marks.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_GROUP_SPACES = re.compile("[\u00a0\u202f\u2009 ']")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 once the 1900 leap-year bug is counted
_TEXT_DATES = (
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"), ("year", "month", "day")),
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"), ("day", "month", "year")),
)
# Thousands grouped by commas or dots: "1,234,567", "1.234".
_GROUPED = {mark: re.compile(r"\d{1,3}(" + re.escape(mark) + r"\d{3})+|\d+") for mark in ",."}
# Serials from 1950 to 2100: a number outside is not a date anyone reports.
_SERIALS = (18_264, 73_051)


class CellError(ValueError):
    """A cell's value cannot be read as what its column holds; ``message`` says why, in the
    current language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def clean_text(value) -> str | None:
    """The text of a cell without surrounding spaces and invisible marks; None when empty."""
    if value is None:
        return None
    text = _INVISIBLE.sub("", str(value)).replace("\u00a0", " ").strip()
    return text or None


def ascii_digits(text: str) -> str:
    """``text`` with Arabic-Indic digits (and separators) as ASCII."""
    return text.translate(_DIGITS)


def parse_number(value) -> Decimal | None:
    """A number (None for an empty cell). Booleans are not numbers."""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise CellError(_("%(value)s is not a number.", value=value))
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError(_("%(value)s is not a number.", value=value))
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = clean_text(value)
    if text is None:
        return None
    raw = _GROUP_SPACES.sub("", ascii_digits(text)).removesuffix("%").removesuffix("٪").strip()
    negative = raw[:1] in ("-", "\u2212")
    raw = raw[1:] if raw[:1] in ("-", "\u2212", "+") else raw
    if "," in raw and "." in raw:
        group, mark = (".", ",") if raw.rfind(",") > raw.rfind(".") else (",", ".")
        whole, _sep, fraction = raw.rpartition(mark)
        if not _GROUPED[group].fullmatch(whole):
            raise CellError(_("%(value)s is not a number.", value=text))
        raw = whole.replace(group, "") + "." + fraction
    elif raw.count(",") > 1 or raw.count(".") > 1:
        group = "," if raw.count(",") > 1 else "."
        if not _GROUPED[group].fullmatch(raw):  # "1,234,567": thousands, nothing else
            raise CellError(_("%(value)s is not a number.", value=text))
        raw = raw.replace(group, "")
    else:
        raw = raw.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", raw):
        raise CellError(_("%(value)s is not a number.", value=text))
    try:
        number = Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only decimals
        raise CellError(_("%(value)s is not a number.", value=text)) from None
    return -number if negative else number


def parse_whole(value, low: int | None = None, high: int | None = None) -> int | None:
    """A whole number (None for an empty cell), within ``low`` and ``high`` when given."""
    number = parse_number(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(_("%(value)s is not a whole number.", value=clean_text(value)))
    whole = int(number)
    if (low is not None and whole < low) or (high is not None and whole > high):
        raise CellError(_("%(value)s is not between %(low)s and %(high)s.", value=whole,
                          low=low if low is not None else "…", high=high if high is not None else "…"))
    return whole


def parse_year(value) -> int | None:
    """A year from 1900 to 2100 (None for an empty cell); a date cell gives its year."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    number = parse_whole(value)
    if number is None:
        return None
    if not 1900 <= number <= 2100:
        raise CellError(_("%(value)s is not a year.", value=number))
    return number


def parse_date(value) -> dt.date | None:
    """A date (None for an empty cell): a date cell, an Excel serial, or a text date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        serial = float(value)
        if serial.is_integer() and _SERIALS[0] <= serial <= _SERIALS[1]:
            return _EXCEL_EPOCH + dt.timedelta(days=int(serial))
        raise CellError(_("%(value)s is not a date.", value=value))
    text = clean_text(value)
    if text is None:
        return None
    ascii_text = ascii_digits(text)
    if re.fullmatch(r"\d{5}", ascii_text):
        return parse_date(int(ascii_text))
    for pattern, order in _TEXT_DATES:
        match = pattern.match(ascii_text.split("T")[0].split(" ")[0])
        if match:
            parts = dict(zip(order, map(int, match.groups())))
            try:
                return dt.date(parts["year"], parts["month"], parts["day"])
            except ValueError:
                break
    raise CellError(_("%(value)s is not a date (for example 2025-03-31 or 31/03/2025).", value=text))


def is_blank_row(values) -> bool:
    """A row with nothing but empty cells and spaces (people leave them between blocks)."""
    return all(clean_text(v) is None for v in values)
