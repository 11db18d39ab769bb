"""What the CSV files the dashboard writes must hold to be safe in a spreadsheet."""
from __future__ import annotations


def csv_cell(value) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ is read as text."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
