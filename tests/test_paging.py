"""Pages of rows already in memory (dashboard/paging.py ``rows_page``), as AG Grid's
infinite row model asks for them; the SQL side is in test_plan_paging.py."""
from __future__ import annotations

import pytest

from dashboard.paging import PAGE_ROWS, rows_page

FIELDS = ("name", "value")
ROWS = [{"name": name, "value": value} for name, value in
        [("Rabat", "12"), ("rabat-salé", "<5"), ("Fès", "–"), ("", "40"), ("Oujda", "7"), ("Tanger", "12")]]


def names(request) -> list[str]:
    rows, _total = rows_page(ROWS, request, FIELDS)
    return [row["name"] for row in rows]


def test_a_page_is_a_window_of_the_rows_with_their_count():
    rows, total = rows_page(ROWS, {"startRow": 2, "endRow": 4}, FIELDS)
    assert rows == ROWS[2:4] and total == len(ROWS)
    many = [{"name": str(n), "value": ""} for n in range(PAGE_ROWS * 3)]
    rows, total = rows_page(many, {"startRow": 0, "endRow": 10**9}, FIELDS)
    assert len(rows) == PAGE_ROWS and total == len(many)


def test_text_filters_ignore_case_and_combine():
    assert names({"filterModel": {"name": {"type": "contains", "filter": "RABAT"}}}) == ["Rabat", "rabat-salé"]
    assert names({"filterModel": {"name": {"type": "startsWith", "filter": "t"}}}) == ["Tanger"]
    assert names({"filterModel": {"name": {"type": "blank"}}}) == [""]
    either = {"operator": "OR", "conditions": [{"type": "equals", "filter": "fès"},
                                               {"type": "endsWith", "filter": "jda"}]}
    assert names({"filterModel": {"name": either}}) == ["Fès", "Oujda"]
    both = {"operator": "AND", "conditions": [{"type": "contains", "filter": "a"},
                                              {"type": "notContains", "filter": "-"}]}
    assert names({"filterModel": {"name": both}}) == ["Rabat", "Oujda", "Tanger"]
    assert names({"filterModel": {"value": {"type": "equals", "filter": 12}}}) == ["Rabat", "Tanger"]


def test_sorts_apply_in_order_blanks_first():
    request = {"sortModel": [{"colId": "value", "sort": "desc"}, {"colId": "name", "sort": "asc"}]}
    assert names(request) == ["Fès", "rabat-salé", "Oujda", "", "Rabat", "Tanger"]
    assert names({"sortModel": [{"colId": "name", "sort": "asc"}]})[0] == ""


@pytest.mark.parametrize("request_", [
    None, "x", 3, [], {"startRow": "a", "endRow": None}, {"startRow": -5, "endRow": -1},
    {"sortModel": "name"}, {"sortModel": [{"colId": "secret", "sort": "asc"}, {"colId": "name", "sort": "up"}, 7]},
    {"filterModel": {"secret": {"type": "contains", "filter": "x"}}},
    {"filterModel": {"name": {"type": "regex", "filter": ".*"}}},
    {"filterModel": {"name": {"type": "contains", "filter": {"$ne": 1}}}},
    {"filterModel": {"name": {"conditions": "x"}}}, {"filterModel": {"name": [1, 2]}},
])
def test_anything_not_understood_is_left_out(request_):
    rows, total = rows_page(ROWS, request_, FIELDS)
    assert rows == ROWS and total == len(ROWS)


def test_number_filters_on_number_columns():
    rows = [{"name": name, "age": age} for name, age in [("a", 3), ("b", None), ("c", 40), ("d", 12)]]

    def kept(model) -> list[str]:
        page, _total = rows_page(rows, {"filterModel": {"age": model}}, ("name",), numbers=("age",))
        return [row["name"] for row in page]

    assert kept({"type": "greaterThan", "filter": 10}) == ["c", "d"]
    assert kept({"type": "inRange", "filter": "3", "filterTo": 12}) == ["a", "d"]
    assert kept({"type": "blank"}) == ["b"]
    assert kept({"operator": "OR", "conditions": [{"type": "lessThan", "filter": 5},
                                                  {"type": "equals", "filter": 40}]}) == ["a", "c"]
    assert kept({"type": "greaterThan", "filter": "many"}) == ["a", "b", "c", "d"]  # not a number: no filter
    page, _total = rows_page(rows, {"sortModel": [{"colId": "age", "sort": "desc"}]}, ("name",), numbers=("age",))
    assert [row["name"] for row in page] == ["c", "d", "a", "b"]
