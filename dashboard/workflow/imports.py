"""Reporting from a file: each row of a workbook or CSV is checked by the same rules as the
form it stands for, and the preview says, for every row, what would change or everything
that is wrong with it, before anything is written.

Rows arrive as ``SheetRow``: where the row is (sheet, row number) and its cells by column
key (``MEASURE_COLUMNS``); reading a file into rows, whatever its layout, is the caller's.
A measure row holds the measure's code and what the focal point fills in: the new status
(its code, or its name in any of the three languages), progress, narratives, the period
and evidence links. A row with nothing filled in is left alone (a template lists every
measure an entity leads); the file itself counts as the row's evidence.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import labels
from dashboard.errors import UserError
from dashboard.i18n import gettext as _
from dashboard.i18n import message_lang, using_language
from dashboard.models import (
    DISAGGREGATIONS,
    MEASURE_STATUSES,
    STATISTIC_BREAKDOWNS,
    STATISTIC_SERIES,
    Indicator,
    IndicatorSubmission,
    Measure,
    MeasureUpdate,
    StatisticSubmission,
)
from dashboard.national.statistics import category_names
from dashboard.permissions import Actor, allowed
from dashboard.sheet_values import (
    CellError,
    ascii_digits,
    clean_text,
    is_blank_row,
    parse_date,
    parse_number,
    parse_whole,
    parse_year,
)
from dashboard.workflow.statistic_entries import (
    StatisticForm,
    check_consistency,
    check_statistic,
    producer_of,
    published_figure,
)
from dashboard.workflow.submissions import (
    NARRATIVE_LANGS,
    UpdateForm,
    ValueForm,
    check_update,
    check_value,
    published_value,
)

MEASURE_COLUMNS = ("code", "status", "progress", "narrative_ar", "narrative_fr", "narrative_en",
                   "period_start", "period_end", "links")
# What a focal point fills in; the code only names the measure.
MEASURE_FILLED = MEASURE_COLUMNS[1:]
# An indicator's value: its code, the period (2025, 2025-S1, 2025-Q3), the value, a cell of
# its disaggregations (each dimension's category by code or name; all empty: the total).
INDICATOR_COLUMNS = ("code", "period", "value", *DISAGGREGATIONS, "note", "links")
INDICATOR_FILLED = ("value", "note", "links")  # the template fills in the period


@dataclass(frozen=True)
class SheetRow:
    sheet: str
    row: int  # as the spreadsheet numbers it (the header is row 1)
    cells: dict[str, Any]


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class CellProblem:
    column: str  # a key of MEASURE_COLUMNS, or "" for the whole row
    message: str  # in the current language


@dataclass
class RowPreview:
    sheet: str
    row: int
    code: str
    name: str = ""
    changes: list[Change] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    form: UpdateForm | ValueForm | None = None  # what will be submitted, for a row without problems

    @property
    def ok(self) -> bool:
        return not self.problems


def _codes_by_name(codes, names_in) -> dict[str, str]:
    """A code from itself or its name in any of the three languages (``names_in(lang)``:
    code -> name), case and spaces aside."""
    names = {code: code for code in codes}
    for lang in ("ar", "fr", "en"):
        with using_language(lang):
            names.update({name: code for code, name in names_in(lang).items()})
    return {" ".join(name.casefold().split()): code for name, code in names.items()}


def status_codes() -> dict[str, str]:
    """A status's code from its code or its name in any language."""
    return _codes_by_name(MEASURE_STATUSES, lambda _lang: labels.measure_status())


def _pending(session: Session, measure_ids: set[int]) -> set[int]:
    if not measure_ids:
        return set()
    query = select(MeasureUpdate.measure_id).where(MeasureUpdate.measure_id.in_(measure_ids),
                                                   MeasureUpdate.state == "submitted")
    return set(session.scalars(query))


def preview_measure_rows(session: Session, actor: Actor, rows: list[SheetRow],
                         today: dt.date) -> list[RowPreview]:
    """What each filled row would submit, or all that is wrong with it (in the current
    language, by column). Nothing is written. Blank rows and rows with nothing filled in are
    left out; a measure named twice is an error on its second row."""
    filled = [r for r in rows if not is_blank_row(r.cells.values())
              and not is_blank_row(r.cells.get(key) for key in MEASURE_FILLED)]
    codes = {clean_text(r.cells.get("code")) for r in filled}
    measures = {m.code: m for m in session.scalars(select(Measure).where(Measure.code.in_(codes - {None})))}
    pending = _pending(session, {m.id for m in measures.values()})
    statuses, status_names = status_codes(), labels.measure_status()
    seen: set[str] = set()
    previews = []
    for row in filled:
        code = clean_text(row.cells.get("code")) or ""
        preview = RowPreview(row.sheet, row.row, code)
        previews.append(preview)
        measure = measures.get(code)
        if measure is None:
            preview.problems.append(CellProblem("code", _("There is no measure with this code.")))
            continue
        preview.name = measure.name(message_lang())
        if not allowed(actor, "submit_measure_update", measure):
            preview.problems.append(CellProblem("code", _("Your account does not report on this measure.")))
            continue
        if code in seen:
            preview.problems.append(CellProblem("code", _("This measure is already on an earlier row.")))
            continue
        seen.add(code)
        if measure.id in pending:
            preview.problems.append(CellProblem("", _("An update of this measure is already waiting for review. "
                                                      "Wait for the secretariat's decision, or ask them to "
                                                      "return it.")))
        form = _measure_form(row, statuses, preview.problems)
        if preview.problems:
            continue
        try:
            checked = check_update(session, measure, form, today, attached=1)
        except UserError as error:  # every fault the form's rules find, by column
            preview.problems += [CellProblem(_column_of(f), m) for f, m in _faults(error)]
            continue
        preview.form = form
        preview.changes = [
            Change("status", status_names.get(measure.status, measure.status), status_names[checked.status]),
            Change("progress", measure.progress, checked.progress),
            Change("period", None, (checked.period_start, checked.period_end)),
        ]
    return previews


def _faults(error: UserError) -> list[tuple[str | None, str]]:
    return list(getattr(error, "problems", None) or [(error.field, error.message)])


def _value_column(form_field: str | None) -> str:
    return {"period": "period", "value": "value", "note": "note", "links": "links"}.get(form_field or "", "")


def _column_of(form_field: str | None) -> str:
    return {"status": "status", "progress": "progress", "narrative": "narrative_ar",
            "period": "period_start", "evidence": "links"}.get(form_field or "", "")


def _measure_form(row: SheetRow, statuses: dict[str, str], problems: list[CellProblem]) -> UpdateForm:
    """The row's cells as the update form, every unreadable cell noted in ``problems``."""
    cells = row.cells
    status_text = clean_text(cells.get("status"))
    status = statuses.get(" ".join(status_text.casefold().split())) if status_text else None
    if status is None:
        problems.append(CellProblem("status", _("Choose a status.")))
    values: dict[str, Any] = {}
    for key, read in (("progress", lambda v: parse_whole(v, 0, 100)), ("period_start", parse_date),
                      ("period_end", parse_date)):
        try:
            values[key] = read(cells.get(key))
        except CellError as error:
            problems.append(CellProblem(key, error.message))
    return UpdateForm(
        status=status,
        progress=values.get("progress"),
        narrative={lang: clean_text(cells.get(f"narrative_{lang}")) or "" for lang in NARRATIVE_LANGS},
        period_start=values.get("period_start"),
        period_end=values.get("period_end"),
        links=clean_text(cells.get("links")) or "",
    )


def category_codes() -> dict[str, str]:
    """A disaggregation category's code from its code or its name in any language."""
    return _codes_by_name([code for categories in DISAGGREGATIONS.values() for code in categories],
                          lambda _lang: labels.disaggregation_value())


def preview_indicator_rows(session: Session, actor: Actor, rows: list[SheetRow],
                           today: dt.date) -> list[RowPreview]:
    """What each filled row of indicator values would submit (the published value it would
    replace, if any), or all that is wrong with it; nothing is written. A cell named twice
    (same indicator, period and breakdown) is an error on its second row."""
    filled = [r for r in rows if not is_blank_row(r.cells.get(key) for key in INDICATOR_FILLED)]
    codes = {clean_text(r.cells.get("code")) for r in filled} - {None}
    indicators = {i.code: i for i in session.scalars(select(Indicator).where(Indicator.code.in_(codes)))}
    pending = {(s.indicator_id, s.period, s.breakdown) for s in session.scalars(
        select(IndicatorSubmission).where(IndicatorSubmission.state == "submitted",
                                          IndicatorSubmission.indicator_id.in_([i.id for i in indicators.values()])))}
    categories = category_codes()
    seen: set[tuple] = set()
    previews = []
    for row in filled:
        code = clean_text(row.cells.get("code")) or ""
        preview = RowPreview(row.sheet, row.row, code)
        previews.append(preview)
        indicator = indicators.get(code)
        if indicator is None:
            preview.problems.append(CellProblem("code", _("There is no indicator with this code.")))
            continue
        preview.name = indicator.name(message_lang())
        if not allowed(actor, "submit_indicator_value", indicator):
            preview.problems.append(CellProblem("code", _("Your account does not report this indicator.")))
            continue
        form = _value_form(row, categories, preview.problems)
        if preview.problems:
            continue
        try:
            period, _year, key, _cells, value = check_value(session, indicator, form, today)
        except UserError as error:
            preview.problems += [CellProblem(_value_column(f), m) for f, m in _faults(error)]
            continue
        if (indicator.id, period, key) in seen:
            preview.problems.append(CellProblem("code", _("This value is already on an earlier row.")))
            continue
        seen.add((indicator.id, period, key))
        if (indicator.id, period, key) in pending:
            preview.problems.append(CellProblem("", _("A value for this period is already waiting for review.")))
            continue
        published = published_value(session, indicator.id, period, key)
        preview.form = form
        preview.changes = [Change(f"{period} {key}".strip(), None if published is None else published.value, value)]
    return previews


def _value_form(row: SheetRow, categories: dict[str, str], problems: list[CellProblem]) -> ValueForm:
    cells = row.cells
    period = ascii_digits(clean_text(cells.get("period")) or "")
    if period.endswith(".0"):  # a year typed in a number cell
        period = period[:-2]
    try:
        number = parse_number(cells.get("value"))
    except CellError as error:
        problems.append(CellProblem("value", error.message))
        number = None
    breakdown = {}
    for dimension in DISAGGREGATIONS:
        text = clean_text(cells.get(dimension))
        if text is None:
            continue
        category = categories.get(" ".join(text.casefold().split()))
        if category not in DISAGGREGATIONS[dimension]:
            problems.append(CellProblem(dimension, _("This indicator has no such disaggregation.")))
        else:
            breakdown[dimension] = category
    return ValueForm(period=period, value="" if number is None else str(number), breakdown=breakdown,
                     note=clean_text(cells.get("note")) or "", links=clean_text(cells.get("links")) or "")


# --- national figures (producers only) ------------------------------------------------------------

STATISTIC_FILLED = ("value", "document", "note")


def series_codes() -> dict[str, str]:
    """What a figure counts, from its code or its name in any language."""
    return _codes_by_name(STATISTIC_SERIES, lambda _lang: labels.statistic_series())


def statistic_category_codes(session: Session) -> dict[str, str]:
    """A breakdown category's code from its code or its name (regions' too) in any language."""
    return _codes_by_name([code for categories in STATISTIC_BREAKDOWNS.values() for code in categories],
                          lambda lang: category_names(session, lang))


def preview_statistic_rows(session: Session, actor: Actor, rows: list[SheetRow],
                           today: dt.date) -> list[RowPreview]:
    """What each filled row of yearly figures would submit (the figure it would replace), or
    all that is wrong with it: the figure form's rules, the table's consistency with what is
    published and waiting, a figure named twice or already pending. Nothing is written."""
    filled = [r for r in rows if not is_blank_row(r.cells.get(key) for key in STATISTIC_FILLED)]
    if not filled:
        return []
    entity = producer_of(session, actor)
    series, categories = series_codes(), statistic_category_codes(session)
    seen: set[tuple] = set()
    previews = []
    for row in filled:
        cells = row.cells
        series_text = clean_text(cells.get("series")) or ""
        preview = RowPreview(row.sheet, row.row, series_text)
        previews.append(preview)
        if not allowed(actor, "submit_statistic", entity):
            preview.problems.append(CellProblem("series", _("Your account does not enter national figures.")))
            continue
        form = _statistic_form(cells, series, categories, preview.problems)
        if preview.problems:
            continue
        try:
            checked = check_statistic(form, today)
            check_consistency(session, entity.id, checked, None, message_lang())
        except UserError as error:
            preview.problems += [CellProblem(f or "", m) for f, m in _faults(error)]
            continue
        key = (checked.series, checked.year, checked.breakdown)
        shown = category_names(session, message_lang())
        preview.code = str(checked.year)
        preview.name = " · ".join([labels.statistic_series().get(checked.series, checked.series),
                                   *[shown.get(c, c) for c in form.breakdown.values()]])
        if key in seen:
            preview.problems.append(CellProblem("series", _("This value is already on an earlier row.")))
            continue
        seen.add(key)
        if session.scalar(select(StatisticSubmission.id).where(
                StatisticSubmission.entity_id == entity.id, StatisticSubmission.series == checked.series,
                StatisticSubmission.year == checked.year, StatisticSubmission.breakdown == checked.breakdown,
                StatisticSubmission.state == "submitted")):
            preview.problems.append(CellProblem("", _("A value for this period is already waiting for review.")))
            continue
        published = published_figure(session, entity.id, checked.series, checked.year, checked.breakdown)
        preview.form = form
        preview.changes = [Change("value", None if published is None else published.value, checked.value)]
    return previews


def _statistic_form(cells: dict[str, Any], series: dict[str, str], categories: dict[str, str],
                    problems: list[CellProblem]) -> StatisticForm:
    text = clean_text(cells.get("series"))
    code = series.get(" ".join(text.casefold().split())) if text else None
    if code is None:
        problems.append(CellProblem("series", _("Choose what is counted.")))
    try:
        year = parse_year(cells.get("year"))
    except CellError as error:
        problems.append(CellProblem("year", error.message))
        year = None
    try:
        value = parse_number(cells.get("value"))
    except CellError as error:
        problems.append(CellProblem("value", error.message))
        value = None
    breakdown = {}
    for dimension in STATISTIC_BREAKDOWNS:
        category_text = clean_text(cells.get(dimension))
        if category_text is None:
            continue
        category = categories.get(" ".join(category_text.casefold().split()))
        if category not in STATISTIC_BREAKDOWNS[dimension]:
            problems.append(CellProblem(dimension, _("There is no such breakdown.")))
        else:
            breakdown[dimension] = category
    return StatisticForm(series=code, year=year, breakdown=breakdown, value="" if value is None else str(value),
                         document=clean_text(cells.get("document")) or "", note=clean_text(cells.get("note")) or "")
