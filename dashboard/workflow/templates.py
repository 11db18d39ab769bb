"""The reporting template: the workbook a focal point downloads, fills in and sends back.

One sheet lists the measures their entity leads (what the plan shows today, then the columns
to fill in), one the indicator values it owes (each period due since the last published
one, the total and each breakdown category). Headers are in the reader's language; a status
or a category is chosen from a list; what identifies a row is locked. A very hidden sheet
says which template this is (version, entity, language, date, the data's version), so an
upload can be checked against it, and holds the lists.

The same headers in any of the three languages are understood when the file comes back
(``column_keys``): a template downloaded in French may be filled in by an Arabic reader.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import db, labels
from dashboard.errors import Forbidden
from dashboard.i18n import fmt_date, using_language
from dashboard.i18n import gettext as _
from dashboard.models import (
    DISAGGREGATIONS,
    MEASURE_STATUSES,
    STATISTIC_BREAKDOWNS,
    STATISTIC_SERIES,
    Entity,
    Indicator,
    Measure,
    Plan,
    Statistic,
)
from dashboard.national.statistics import category_names
from dashboard.permissions import Actor, allowed, authorize

TEMPLATE_KIND = "cncl-teh-reporting-template"
TEMPLATE_VERSION = 1
TEMPLATE_SHEET = "_template"
MAX_PERIODS = 8  # periods due listed per indicator: older gaps are for the secretariat

# The columns a focal point reads but does not fill in; an upload ignores them.
MEASURE_READ_ONLY = ("name", "current_status", "current_progress", "planned_start", "planned_end")
INDICATOR_READ_ONLY = ("name", "unit", "published")


def measure_headers() -> dict[str, str]:
    """Each column of the measures sheet, in the current language, in the sheet's order."""
    return {
        "code": _("Measure code"),
        "name": _("Measure"),
        "current_status": _("Current status"),
        "current_progress": _("Current progress (%)"),
        "planned_start": _("Planned start"),
        "planned_end": _("Planned end"),
        "status": _("New status"),
        "progress": _("New progress (%)"),
        "narrative_ar": _("Narrative in Arabic"),
        "narrative_fr": _("Narrative in French"),
        "narrative_en": _("Narrative in English"),
        "period_start": _("Period from"),
        "period_end": _("Period to"),
        "links": _("Evidence links"),
    }


def indicator_headers() -> dict[str, str]:
    dimensions = labels.disaggregation()
    return {
        "code": _("Indicator code"),
        "name": _("Indicator"),
        "unit": _("Unit"),
        "period": _("Period"),
        **{dimension: dimensions.get(dimension, dimension) for dimension in DISAGGREGATIONS},
        "published": _("Published value"),
        "value": _("Value"),
        "note": _("Note"),
        "links": _("Evidence links"),
    }


def statistic_headers() -> dict[str, str]:
    dimensions = labels.disaggregation()
    return {
        "series": _("What is counted"),
        "year": _("Year"),
        **{dimension: dimensions.get(dimension, dimension) for dimension in STATISTIC_BREAKDOWNS},
        "published": _("Figure of the year before"),
        "value": _("Value"),
        "document": _("Source document"),
        "note": _("Note"),
    }


STATISTIC_FILLED = ("value", "document", "note")
MEASURE_FILLED = ("status", "progress", "narrative_ar", "narrative_fr", "narrative_en", "period_start",
                  "period_end", "links")
INDICATOR_FILLED = ("value", "note", "links")


def _normal(text: str) -> str:
    return " ".join(str(text).replace("\u00a0", " ").casefold().split())


def column_keys(headers) -> dict[str, str]:
    """A column's key from its header in any language (or the key itself)."""
    keys = {}
    for lang in ("en", "fr", "ar"):
        with using_language(lang):
            for key, header in headers().items():
                keys[_normal(header)] = key
    keys.update({_normal(key): key for key in headers()})
    return keys


def sheet_titles() -> dict[str, str]:
    return {"measures": _("Measures"), "indicators": _("Indicator values"), "statistics": _("National figures")}


def sheet_kinds() -> dict[str, str]:
    """A sheet's kind from its title in any language."""
    kinds = {}
    for lang in ("en", "fr", "ar"):
        with using_language(lang):
            kinds.update({_normal(title): kind for kind, title in sheet_titles().items()})
    return kinds | {kind: kind for kind in sheet_titles()}


@dataclass(frozen=True)
class Template:
    filename: str
    content: bytes


def due_periods(indicator: Indicator, as_of: dt.date, first_year: int) -> list[str]:
    """The periods owed since the last published one, up to the last one ended by ``as_of``
    (the latest ended period when nothing is owed, so there is a row to correct)."""
    per_year = {"annual": 1, "semiannual": 2, "quarterly": 4}.get(indicator.frequency, 1)

    def label(year: int, index: int) -> str:
        return {1: str(year), 2: f"{year}-S{index}", 4: f"{year}-Q{index}"}[per_year]

    ended = [(year, index) for year in range(first_year, as_of.year + 1) for index in range(1, per_year + 1)
             if _period_end(year, index, per_year) < as_of]
    latest = indicator.latest_period or ""
    owed = [period for period in ended if label(*period) > latest]
    return [label(*period) for period in (owed[-MAX_PERIODS:] or ended[-1:])]


def _period_end(year: int, index: int, per_year: int) -> dt.date:
    month = 12 // per_year * index
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def reporting_template(session: Session, actor: Actor, lang: str, as_of: dt.date) -> Template:
    """The template of ``actor``'s entity, in ``lang`` (the current language)."""
    authorize(actor, "report_from_file")
    entity = session.get(Entity, actor.entity_id)
    if entity is None:
        raise Forbidden(_("Your account is not attached to a body."))
    measures = list(session.scalars(select(Measure).where(Measure.lead_entity_id == entity.id)
                                    .order_by(Measure.code)))
    indicators = list(session.scalars(select(Indicator).where(Indicator.responsible_entity_id == entity.id)
                                      .order_by(Indicator.code)))
    plan = session.scalar(select(Plan).where(Plan.kind == "strategic").order_by(Plan.start_year))
    first_year = plan.start_year if plan else 2023
    statuses = labels.measure_status()
    categories = labels.disaggregation_value()
    units = labels.unit()

    measure_rows = [[m.code, m.name(lang), statuses.get(m.status, m.status), m.progress, m.planned_start,
                     m.planned_end, None, None, None, None, None, None, None, None] for m in measures]
    indicator_rows = []
    for indicator in indicators:
        cells = [None]  # the total, then each category of each breakdown
        cells += [(dimension, category) for dimension in indicator.disaggregations or []
                  for category in DISAGGREGATIONS.get(dimension, ())]
        for period in due_periods(indicator, as_of, min(first_year, indicator.baseline_year or first_year)):
            for cell in cells:
                breakdown = [categories.get(cell[1], cell[1]) if cell and cell[0] == dimension else None
                             for dimension in DISAGGREGATIONS]
                indicator_rows.append([indicator.code, indicator.name(lang), units.get(indicator.unit, indicator.unit),
                                       period, *breakdown, None, None, None, None])
    statistic_rows = _statistic_rows(session, entity, as_of, lang) if allowed(actor, "submit_statistic", entity) else []
    measure_frame = pd.DataFrame(measure_rows, columns=list(measure_headers().values()))
    indicator_frame = pd.DataFrame(indicator_rows, columns=list(indicator_headers().values()))

    out = io.BytesIO()
    titles = sheet_titles()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        measure_frame.to_excel(writer, sheet_name=titles["measures"], index=False)
        indicator_frame.to_excel(writer, sheet_name=titles["indicators"], index=False)
        if statistic_rows:
            pd.DataFrame(statistic_rows, columns=list(statistic_headers().values())).to_excel(
                writer, sheet_name=titles["statistics"], index=False)
        workbook = writer.book
        lists = workbook.create_sheet(TEMPLATE_SHEET)
        identity = [("kind", TEMPLATE_KIND), ("version", TEMPLATE_VERSION), ("entity", entity.acronym),
                    ("lang", lang), ("generated_on", as_of.isoformat()), ("data_version", db.data_version(session))]
        for row, (key, value) in enumerate(identity, start=1):
            lists.cell(row, 1, key)
            lists.cell(row, 2, value)
        status_range = _list(lists, 4, [statuses[code] for code in MEASURE_STATUSES])
        category_ranges = {dimension: _list(lists, 5 + number, [categories.get(c, c) for c in values])
                           for number, (dimension, values) in enumerate(DISAGGREGATIONS.items())}
        lists.sheet_state = "veryHidden"
        _shape(workbook[titles["measures"]], list(measure_headers()), MEASURE_FILLED, lang, len(measure_rows))
        _shape(workbook[titles["indicators"]], list(indicator_headers()), INDICATOR_FILLED, lang,
               len(indicator_rows))
        _validate_measures(workbook[titles["measures"]], len(measure_rows), status_range)
        _validate_indicators(workbook[titles["indicators"]], len(indicator_rows), category_ranges)
        if statistic_rows:
            _shape(workbook[titles["statistics"]], list(statistic_headers()), STATISTIC_FILLED, lang,
                   len(statistic_rows))
        readme = workbook.create_sheet(_("Read me"), 0)
        _readme(readme, entity, lang, as_of)
    filename = f"reporting-template-{entity.acronym}-{lang}-{as_of.isoformat()}.xlsx"
    return Template(filename, out.getvalue())


def _statistic_rows(session: Session, entity: Entity, as_of: dt.date, lang: str) -> list[list]:
    """The producer's yearly tables to fill in: each series and breakdown cell it published
    for its latest year, for the year after (up to last year), with last year's figure."""
    figures = list(session.scalars(select(Statistic).where(
        Statistic.entity_id == entity.id, Statistic.unit == "count", Statistic.year_start == Statistic.year_end)))
    series_names, categories = labels.statistic_series(), category_names(session, lang)
    latest = max((f.year_start for f in figures), default=as_of.year - 2)
    year = min(latest + 1, as_of.year - 1)
    cells = sorted({(f.series, f.breakdown) for f in figures if f.year_start == latest},
                   key=lambda cell: (STATISTIC_SERIES.index(cell[0]) if cell[0] in STATISTIC_SERIES else 99, cell[1]))
    cells = cells or [(series, "") for series in STATISTIC_SERIES]
    before = {(f.series, f.breakdown): f.value for f in figures if f.year_start == year - 1}
    rows = []
    for series, key in cells:
        parts = dict(part.split("=", 1) for part in key.split(";") if "=" in part)
        rows.append([series_names.get(series, series), year,
                     *[categories.get(parts[d], parts[d]) if d in parts else None for d in STATISTIC_BREAKDOWNS],
                     before.get((series, key)), None, None, None])
    return rows


def _list(sheet, column: int, values: list[str]) -> str:
    for row, value in enumerate(values, start=1):
        sheet.cell(row, column, value)
    letter = get_column_letter(column)
    return f"{quote_sheetname(TEMPLATE_SHEET)}!${letter}$1:${letter}${max(1, len(values))}"


FILL = PatternFill("solid", fgColor="FFF8E1")


def _shape(sheet, keys: list[str], filled: tuple[str, ...], lang: str, rows: int) -> None:
    """Headers bold, the columns to fill in tinted and unlocked, the rest locked; the sheet
    protected without a password (to stop slips, not people) but resizable and sortable."""
    sheet.sheet_view.rightToLeft = lang == "ar"
    sheet.freeze_panes = "C2"
    for column, key in enumerate(keys, start=1):
        letter = get_column_letter(column)
        header = sheet.cell(1, column)
        header.font = Font(bold=True)
        header.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[letter].width = 40 if key in ("name", "narrative_ar", "narrative_fr",
                                                              "narrative_en", "links", "note") else 16
        if key in filled:
            header.fill = FILL
            for row in range(2, rows + 2):
                cell = sheet.cell(row, column)
                cell.protection = Protection(locked=False)
                cell.fill = FILL
                if key.startswith("period_"):
                    cell.number_format = "yyyy-mm-dd"
        elif key in ("planned_start", "planned_end"):
            for row in range(2, rows + 2):
                sheet.cell(row, column).number_format = "yyyy-mm-dd"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.sort = False
    sheet.protection.autoFilter = False
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{rows + 1}"


def _validate_measures(sheet, rows: int, status_range: str) -> None:
    if not rows:
        return
    keys = list(measure_headers())
    column = {key: get_column_letter(keys.index(key) + 1) for key in keys}
    last = rows + 1
    status = DataValidation(type="list", formula1=status_range, allow_blank=True, showErrorMessage=True,
                            errorTitle=_("Status"), error=_("Choose a status from the list."))
    status.add(f"{column['status']}2:{column['status']}{last}")
    progress = DataValidation(type="whole", operator="between", formula1="0", formula2="100", allow_blank=True,
                              showErrorMessage=True, errorTitle=_("Progress"),
                              error=_("Progress is a whole number from 0 to 100."))
    progress.add(f"{column['progress']}2:{column['progress']}{last}")
    dates = DataValidation(type="date", operator="between", formula1="DATE(2020,1,1)",
                           formula2="DATE(2035,12,31)", allow_blank=True, showErrorMessage=True,
                           errorTitle=_("Date"), error=_("Enter a date, such as 2026-03-31."))
    dates.add(f"{column['period_start']}2:{column['period_end']}{last}")
    for validation in (status, progress, dates):
        sheet.add_data_validation(validation)


def _validate_indicators(sheet, rows: int, category_ranges: dict[str, str]) -> None:
    if not rows:
        return
    keys = list(indicator_headers())
    letter = {key: get_column_letter(keys.index(key) + 1) for key in keys}
    last = rows + 1
    value = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                           showErrorMessage=True, errorTitle=_("Value"), error=_("The value cannot be negative."))
    value.add(f"{letter['value']}2:{letter['value']}{last}")
    sheet.add_data_validation(value)
    for dimension, cells in category_ranges.items():
        validation = DataValidation(type="list", formula1=cells, allow_blank=True)
        validation.add(f"{letter[dimension]}2:{letter[dimension]}{last}")
        sheet.add_data_validation(validation)


def _readme(sheet, entity: Entity, lang: str, as_of: dt.date) -> None:
    sheet.sheet_view.rightToLeft = lang == "ar"
    sheet.column_dimensions["A"].width = 100
    lines = [
        (_("Reporting template: %(entity)s", entity=entity.name(lang)), True),
        (_("Made on %(date)s from the data of the dashboard.", date=fmt_date(as_of, lang)), False),
        ("", False),
        (_("1. On the sheet of measures, fill in the tinted columns of the measures you report on: the new "
           "status (from the list), the progress, a narrative in at least one language and the period "
           "covered."), False),
        (_("2. On the sheet of indicator values, enter the value of each period you report, for the total "
           "and, if you have them, for each category."), False),
        (_("3. Leave the other rows empty: they are not sent. Do not change the codes or the periods."), False),
        (_("4. Send the file from the page \"Report from a file\" on the dashboard: you will see what it "
           "changes, and every problem, before anything is saved."), False),
        (_("Nothing counts in the plan's progress before the secretariat approves it."), False),
    ]
    for row, (text, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True, size=14)
