"""Cells as ministries type them: digits in Arabic scripts, decimal commas, grouped
thousands, Excel date serials and text dates, spaces and invisible marks."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.i18n import using_language
from dashboard.sheet_values import (
    CellError,
    clean_text,
    is_blank_row,
    parse_date,
    parse_number,
    parse_whole,
    parse_year,
)

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EASTERN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.mark.parametrize(("cell", "number"), [
    (12, Decimal(12)), (12.5, Decimal("12.5")), ("12", Decimal(12)), ("  12 ", Decimal(12)),
    ("12,5", Decimal("12.5")), ("12.5", Decimal("12.5")), ("1 234,5", Decimal("1234.5")),
    ("1\u00a0234,5", Decimal("1234.5")), ("1\u202f234", Decimal(1234)), ("1.234,5", Decimal("1234.5")),
    ("1,234.5", Decimal("1234.5")), ("1,234,567", Decimal(1234567)), ("1.234.567", Decimal(1234567)),
    ("١٢٣", Decimal(123)), ("١٢٫٥", Decimal("12.5")), ("١٬٢٣٤", Decimal(1234)), ("۱۲۳", Decimal(123)),
    ("45 %", Decimal(45)), ("٤٥٪", Decimal(45)), ("-3", Decimal(-3)), ("\u200f12\u200f", Decimal(12)),
    (None, None), ("", None), ("   ", None), ("\u00a0", None),
])
def test_numbers_as_people_type_them(cell, number):
    assert parse_number(cell) == number


@pytest.mark.parametrize("cell", ["douze", "12a", "1,2,3.4.5", "--3", True, float("nan"), "12..5", "1 2 , 3 x"])
def test_what_is_not_a_number_is_refused_in_the_readers_language(cell):
    with using_language("fr"), pytest.raises(CellError) as refused:
        parse_number(cell)
    assert "nombre" in refused.value.message


@given(st.integers(min_value=0, max_value=10**9))
def test_any_whole_number_in_any_digits_reads_back(number):
    text = str(number)
    for digits in (text, text.translate(ARABIC_INDIC), text.translate(EASTERN), f"{number:,}".replace(",", " ")):
        assert parse_whole(digits) == number


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False))
def test_any_decimal_with_a_comma_reads_back(number):
    assert parse_number(f"{number}".replace(".", ",")) == number


def test_whole_numbers_keep_their_range():
    assert parse_whole("40", 0, 100) == 40 and parse_whole("٤٠", 0, 100) == 40
    for cell in ("40,5", "101", "-1"):
        with pytest.raises(CellError):
            parse_whole(cell, 0, 100)


@pytest.mark.parametrize(("cell", "date"), [
    (dt.date(2025, 3, 31), dt.date(2025, 3, 31)), (dt.datetime(2025, 3, 31, 10, 0), dt.date(2025, 3, 31)),
    (45747, dt.date(2025, 3, 31)), (45747.0, dt.date(2025, 3, 31)), ("45747", dt.date(2025, 3, 31)),
    ("2025-03-31", dt.date(2025, 3, 31)), ("2025/3/31", dt.date(2025, 3, 31)), ("31/03/2025", dt.date(2025, 3, 31)),
    ("31-03-2025", dt.date(2025, 3, 31)), ("31.03.2025", dt.date(2025, 3, 31)), ("٣١/٠٣/٢٠٢٥", dt.date(2025, 3, 31)),
    (" 2025-03-31T00:00:00 ", dt.date(2025, 3, 31)), (None, None), ("", None),
])
def test_dates_as_workbooks_and_people_give_them(cell, date):
    assert parse_date(cell) == date


@pytest.mark.parametrize("cell", ["31/02/2025", "2025-13-01", "demain", 12, 3.5, "1/2/25", True])
def test_what_is_not_a_date_is_refused(cell):
    with using_language("ar"), pytest.raises(CellError) as refused:
        parse_date(cell)
    assert refused.value.message


def test_years():
    assert parse_year("2025") == 2025 == parse_year("٢٠٢٥") == parse_year(dt.date(2025, 5, 1)) == parse_year(2025.0)
    for cell in ("25", "20250", "2025,5"):
        with pytest.raises(CellError):
            parse_year(cell)


def test_text_and_blank_rows():
    assert clean_text("  \u200fالرباط\u200f ") == "الرباط"
    assert clean_text("\ufeffMJ") == "MJ" and clean_text(None) is None and clean_text(" \u00a0") is None
    assert is_blank_row([None, "", "  ", "\u00a0"]) and not is_blank_row([None, "0"])
