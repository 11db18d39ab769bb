"""One page of a grid's rows from what AG Grid's infinite row model sends
(``getRowsRequest``: startRow, endRow, sortModel, filterModel): filtered and sorted in SQL
(``filtered``, ``sorted_page``), or in a list of rows a service has already worked out and
remembers (``rows_page``: released statistics).

The request comes from a public HTTP POST: anything may arrive. What is not understood
(a wrong type, an unknown column or operator, a number in a string that is not one) is
left out; ranges are clamped, so a response never holds more than ``PAGE_ROWS`` rows.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import String, and_, case, cast, false, func, not_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, Select

PAGE_ROWS = 100
MAX_START = 10_000_000  # far beyond any plan; keeps OFFSET an ordinary integer
MAX_TEXT = 200  # a filter's text; longer is cut
MAX_SORTS = 3
MAX_CONDITIONS = 2  # AG Grid's filters combine two conditions
MAX_DAYS = 100_000  # day counts a date filter may shift by (beyond: no date)

Kind = Literal["text", "number", "choice", "days_before"]


@dataclass(frozen=True)
class Column:
    """A grid column as SQL sees it.

    ``text``: a text filter on ``expr`` (case-insensitive); ``number``: a number filter;
    ``choice``: ``expr`` holds codes shown through ``labels`` (code -> translated label),
    so a text filter matches the labels in the reader's language; ``days_before``: the
    grid shows the days from ``expr`` (a date) to ``anchor``, so a number filter on days
    becomes one on the date. ``sort`` overrides what sorting orders by (``expr``).
    """

    expr: Any
    kind: Kind = "text"
    labels: dict[str, str] = field(default_factory=dict)
    anchor: dt.date | None = None
    sort: Any = None
    filterable: bool = True


@dataclass(frozen=True)
class PageRequest:
    start: int = 0
    end: int = PAGE_ROWS
    sort: tuple[tuple[str, bool], ...] = ()  # (column, descending)
    filters: tuple[tuple[str, dict], ...] = ()

    @property
    def limit(self) -> int:
        return self.end - self.start


def _integer(value: Any) -> int | None:
    """An int from a JSON number or a short numeric string, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    if isinstance(value, str) and len(value) <= 12:
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and 0 < len(value) <= 30:
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) and abs(number) <= 2**53 else None


def page_request(raw: Any, columns: dict[str, Column], page_rows: int = PAGE_ROWS) -> PageRequest:
    """What a ``getRowsRequest`` asks for, restricted to ``columns`` and clamped."""
    if not isinstance(raw, dict):
        raw = {}
    start = _integer(raw.get("startRow"))
    start = 0 if start is None else min(max(start, 0), MAX_START)
    end = _integer(raw.get("endRow"))
    if end is None or end <= start:
        end = start + page_rows
    end = min(end, start + page_rows)
    sorts = []
    sort_model = raw.get("sortModel")
    if isinstance(sort_model, list):
        for item in sort_model[:MAX_SORTS]:
            if not isinstance(item, dict):
                continue
            column, direction = item.get("colId"), item.get("sort")
            if isinstance(column, str) and column in columns and direction in ("asc", "desc"):
                sorts.append((column, direction == "desc"))
    filters = []
    filter_model = raw.get("filterModel")
    if isinstance(filter_model, dict):
        for column, model in filter_model.items():
            if column in columns and columns[column].filterable and isinstance(model, dict):
                filters.append((column, model))
    return PageRequest(start, end, tuple(sorts), tuple(filters))


# --- filters ---------------------------------------------------------------------------------


def _conditions(model: dict) -> tuple[list[dict], bool]:
    """The conditions of one column's filter and whether they combine with OR."""
    conditions = model.get("conditions")
    if isinstance(conditions, list):
        items = [c for c in conditions[:MAX_CONDITIONS] if isinstance(c, dict)]
        return items, model.get("operator") == "OR"
    return [model], False


def _text_match(kind: str, text: str) -> Callable[[str], bool] | None:
    return {
        "contains": lambda label: text in label,
        "notContains": lambda label: text not in label,
        "equals": lambda label: label == text,
        "notEqual": lambda label: label != text,
        "startsWith": lambda label: label.startswith(text),
        "endsWith": lambda label: label.endswith(text),
    }.get(kind)


def _text_condition(column: Column, condition: dict) -> ColumnElement | None:
    kind = condition.get("type")
    if kind in ("blank", "notBlank"):
        expr = column.expr
        blank = or_(expr.is_(None), cast(expr, String) == "")
        return blank if kind == "blank" else not_(blank)
    text = condition.get("filter")
    if isinstance(text, int | float) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()[:MAX_TEXT].casefold()
    if column.kind == "choice":
        match = _text_match(kind, text)
        if match is None:
            return None
        codes = [code for code, label in column.labels.items() if match(label.casefold())]
        return column.expr.in_(codes) if codes else false()
    value = func.lower(cast(column.expr, String))
    return {
        "contains": lambda: value.contains(text, autoescape=True),
        "notContains": lambda: not_(value.contains(text, autoescape=True)),
        "equals": lambda: value == text,
        "notEqual": lambda: value != text,
        "startsWith": lambda: value.startswith(text, autoescape=True),
        "endsWith": lambda: value.endswith(text, autoescape=True),
    }.get(kind, lambda: None)()


def _number_condition(column: Column, condition: dict) -> ColumnElement | None:
    kind = condition.get("type")
    expr = column.expr
    if kind == "blank":
        return expr.is_(None)
    if kind == "notBlank":
        return expr.is_not(None)
    low = _number(condition.get("filter"))
    high = _number(condition.get("filterTo"))
    if low is None:
        return None
    if column.kind == "days_before":
        return _days_condition(column, kind, low, high)
    return {
        "equals": lambda: expr == low,
        "notEqual": lambda: expr != low,
        "lessThan": lambda: expr < low,
        "lessThanOrEqual": lambda: expr <= low,
        "greaterThan": lambda: expr > low,
        "greaterThanOrEqual": lambda: expr >= low,
        "inRange": lambda: and_(expr >= low, expr <= high) if high is not None else None,
    }.get(kind, lambda: None)()


def _days_condition(column: Column, kind: str, low: float, high: float | None) -> ColumnElement | None:
    """Days from the date in ``expr`` to the anchor: more days is an earlier date."""
    def date_of(days: float) -> dt.date | None:
        days = math.floor(days)
        if abs(days) > MAX_DAYS:
            return None
        return column.anchor - dt.timedelta(days=days)

    expr = column.expr
    day = date_of(low)
    if day is None:
        return None
    if kind == "inRange":
        other = date_of(high) if high is not None else None
        return and_(expr <= day, expr >= other) if other is not None else None
    return {
        "equals": lambda: expr == day,
        "notEqual": lambda: expr != day,
        "lessThan": lambda: expr > day,
        "lessThanOrEqual": lambda: expr >= day,
        "greaterThan": lambda: expr < day,
        "greaterThanOrEqual": lambda: expr <= day,
    }.get(kind, lambda: None)()


def _column_filter(column: Column, model: dict) -> ColumnElement | None:
    conditions, any_of = _conditions(model)
    parts = []
    for condition in conditions:
        if column.kind in ("number", "days_before"):
            part = _number_condition(column, condition)
        else:
            part = _text_condition(column, condition)
        if part is not None:
            parts.append(part)
    if not parts:
        return None
    return or_(*parts) if any_of else and_(*parts)


def filtered(query: Select, request: PageRequest, columns: dict[str, Column]) -> Select:
    for name, model in request.filters:
        clause = _column_filter(columns[name], model)
        if clause is not None:
            query = query.where(clause)
    return query


def sorted_page(query: Select, request: PageRequest, columns: dict[str, Column],
                tiebreak: list) -> Select:
    """``query`` ordered by the request's sorts, then ``tiebreak`` (so pages never overlap),
    limited to the requested rows."""
    order = []
    for name, descending in request.sort:
        column = columns[name]
        expr = column.sort if column.sort is not None else column.expr
        if column.kind == "choice" and column.sort is None and column.labels:
            expr = case(column.labels, value=column.expr)  # in the order of the reader's labels
        if column.kind == "days_before":
            descending = not descending  # more days, earlier date
        order.append(expr.desc() if descending else expr.asc())
    return query.order_by(None).order_by(*order, *tiebreak).offset(request.start).limit(request.limit)


def count(session: Session, query: Select) -> int:
    return session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()


# --- rows already in memory ----------------------------------------------------------------------


def rows_page(rows: list[dict], raw: Any, fields: tuple[str, ...], numbers: tuple[str, ...] = (),
              page_rows: int = PAGE_ROWS) -> tuple[list[dict], int]:
    """One page of ``rows`` (dicts of what a grid shows) and how many match: filters and
    sorts on ``fields`` (text filters) and ``numbers`` (number filters), as the grid's own
    would do them in the browser."""
    columns = {name: Column(expr=None) for name in fields}
    columns |= {name: Column(expr=None, kind="number") for name in numbers}
    request = page_request(raw, columns, page_rows)
    kept = rows
    for name, model in request.filters:
        matches = _row_number_filter(model) if name in numbers else _row_filter(model)
        if matches is not None:
            kept = [row for row in kept if matches(row.get(name))]
    kept = list(kept)
    for name, descending in reversed(request.sort):  # stable sorts: the first sort wins
        kept.sort(key=lambda row: _row_sort_key(row.get(name)), reverse=descending)
    return kept[request.start:request.end], len(kept)


def _row_filter(model: dict) -> Callable[[Any], bool] | None:
    """What one column's text filter keeps; None when nothing in it is understood."""
    conditions, any_of = _conditions(model)
    tests = []
    for condition in conditions:
        kind = condition.get("type")
        if kind in ("blank", "notBlank"):
            wanted = kind == "blank"
            tests.append(lambda value, wanted=wanted: (value is None or str(value) == "") == wanted)
            continue
        text = condition.get("filter")
        if isinstance(text, int | float) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str) or not text.strip():
            continue
        match = _text_match(kind, text.strip()[:MAX_TEXT].casefold())
        if match is not None:
            tests.append(lambda value, match=match: match("" if value is None else str(value).casefold()))
    return _combined(tests, any_of)


def _row_number_filter(model: dict) -> Callable[[Any], bool] | None:
    """What one column's number filter keeps; None when nothing in it is understood."""
    conditions, any_of = _conditions(model)
    tests = []
    for condition in conditions:
        kind = condition.get("type")
        if kind in ("blank", "notBlank"):
            wanted = kind == "blank"
            tests.append(lambda value, wanted=wanted: (value is None) == wanted)
            continue
        low, high = _number(condition.get("filter")), _number(condition.get("filterTo"))
        if low is None:
            continue
        compare = {
            "equals": lambda v, low=low: v == low,
            "notEqual": lambda v, low=low: v != low,
            "lessThan": lambda v, low=low: v < low,
            "lessThanOrEqual": lambda v, low=low: v <= low,
            "greaterThan": lambda v, low=low: v > low,
            "greaterThanOrEqual": lambda v, low=low: v >= low,
            "inRange": (lambda v, low=low, high=high: low <= v <= high) if high is not None else None,
        }.get(kind)
        if compare is not None:
            tests.append(lambda value, compare=compare: _is_number(value) and compare(value))
    return _combined(tests, any_of)


def _combined(tests: list[Callable[[Any], bool]], any_of: bool) -> Callable[[Any], bool] | None:
    """One column's conditions as one test (either or all of them); None without any."""
    if not tests:
        return None
    if any_of:
        return lambda value: any(test(value) for test in tests)
    return lambda value: all(test(value) for test in tests)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _row_sort_key(value: Any) -> tuple:
    """Blanks first, then numbers, then texts without regard to case."""
    if value is None or value == "":
        return (0, 0, "")
    if _is_number(value):
        return (1, value, "")
    return (2, 0, str(value).casefold())
