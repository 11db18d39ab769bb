"""National statistics on trafficking in persons: published figures, validated entries and
disclosure-safe views.

Each figure belongs to one publisher (the body that counted it), one series (victims
identified, cases registered...), one year or span of years and one breakdown cell. The
publishers count different things, so nothing here adds, subtracts or joins the figures
of two publishers: every view keeps one publisher per series of points.

Every figure a page, a chart, its hover text or a CSV export shows comes out of
``released_figures``, which passes each publisher's series (all its periods: a
multi-year period and its years add up) through ``dashboard.disclosure.release_periods``:
readers without ``read_exact_statistics`` see small counts as "<5" and the other cells
hidden to protect them.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from dashboard import labels
from dashboard.cache import remembered
from dashboard.citations import same_in_every_language
from dashboard.i18n import gettext as _
from dashboard.i18n import localized
from dashboard.models import (
    STATISTIC_BREAKDOWNS,
    STATISTIC_COLUMNS,
    STATISTIC_SERIES,
    STATISTIC_UNITS,
    Statistic,
    StatisticSource,
    breakdown_key,
)
from dashboard.models.codes import PUBLISHED_BREAKDOWNS
from dashboard.national.disclosure import (
    HIDDEN,
    SHOWN,
    SMALL,
    configured_threshold,
    release_periods,
)
from dashboard.national.geo import region_names
from dashboard.permissions import Actor, allowed
from dashboard.spreadsheets import Sheet, csv_cell, xlsx_workbook

# Every breakdown a figure may carry: those focal points enter, and those only published
# reports give (kept in the breakdown key, without a column of their own).
BREAKDOWNS = {**STATISTIC_BREAKDOWNS, **PUBLISHED_BREAKDOWNS}
# Dimensions whose categories cover everyone: a category left out is an unknown count.
# Forms of exploitation and services overlap, and the courts of appeal and outcomes listed
# are only those published, so they are not among them.
EXHAUSTIVE = {dim: cells for dim, cells in BREAKDOWNS.items()
              if dim not in ("exploitation_form", "service", "court_of_appeal", "outcome")}
# The series drawn first, each on its own chart.
MAIN_SERIES = ("victims_identified", "cases_registered", "persons_prosecuted", "persons_convicted")
BREAKDOWN_SERIES = "victims_identified"  # what the breakdown charts show
# The charts of the page, each with its CSV export (``select_figures``).
CHARTS = ("trends", "sex_age", "origin", "exploitation", "children", "regions", "all")
CHART_DIMENSIONS = {
    "sex_age": {"sex", "age_group"},
    "origin": {"nationality", "place", "scope"},
    "exploitation": {"exploitation_form"},
}
_PERIOD = re.compile(r"^(\d{4})-(\d{4})$")


# --- the data files ------------------------------------------------------------------------


def breakdown_problems(cells: dict) -> list[str]:
    """Why a breakdown is not one a statistic may carry (empty when it is)."""
    problems = [f"unknown breakdown {dim}={cell!r}" for dim, cell in cells.items()
                if cell not in BREAKDOWNS.get(dim, ())]
    if len(cells) > 2:
        problems.append("a breakdown crosses at most two dimensions")
    return problems


def period_span(period: Any) -> tuple[int, int] | None:
    match = _PERIOD.match(str(period))
    if not match or int(match[1]) >= int(match[2]):
        return None
    return int(match[1]), int(match[2])


def statistic_columns(cells: dict[str, str]) -> dict[str, str | None]:
    """The columns of the dimensions that have one; the breakdown key holds every dimension."""
    return {STATISTIC_COLUMNS[dim]: cells.get(dim) for dim in STATISTIC_COLUMNS}


def breakdown_cells(key: str) -> dict[str, str]:
    """``{"sex": "female", "age_group": "child"}`` from ``models.breakdown_key``'s text."""
    return dict(part.split("=", 1) for part in key.split(";") if "=" in part)


# --- for the validation flow (the lead's /statistics/report) -------------------------------


def current_value(session: Session, entity_id: int, series: str, period: str,
                  breakdown: str = "", unit: str = "count") -> Statistic | None:
    """The figure now published for a publisher, series, period ("2024") and breakdown key
    (``models.breakdown_key``, "" for the total), or None."""
    return session.scalar(select(Statistic).filter_by(
        entity_id=entity_id, series=series, period=str(period), breakdown=breakdown, unit=unit))


def upsert(session: Session, *, entity_id: int, series: str, period: str, breakdown: str,
           value: float, document: str, unit: str = "count", citation: str = "", url: str = "",
           submission_id: int | None = None, note: str = "") -> Statistic:
    """Publish a validated figure: create it, or replace the current value of the same
    publisher, series, period, breakdown and unit (a real figure then, no longer demo).

    The caller has authorized the write (the secretariat's approval) and records it in
    the audit trail. Raises ``ValueError`` for a figure no statistic may hold.
    """
    cells = breakdown_cells(breakdown)
    span = period_span(period) or ((int(period),) * 2 if str(period).isdigit() else None)
    problems = breakdown_problems(cells)
    if series not in STATISTIC_SERIES or unit not in STATISTIC_UNITS or span is None or problems:
        raise ValueError(f"not a national statistic: {series} {period} {breakdown} {unit} {problems}")
    source = session.scalar(select(StatisticSource).filter_by(entity_id=entity_id, document=document))
    if source is None:
        # A focal point's document is cited as typed, the same in every language.
        source = StatisticSource(entity_id=entity_id, document=document, url=url,
                                 **same_in_every_language("document", document),
                                 **same_in_every_language("citation", citation or document))
        session.add(source)
        session.flush()
    values = {"source_id": source.id, "year_start": span[0], "year_end": span[1],
              "value": float(value), "is_demo": False, "submission_id": submission_id,
              **same_in_every_language("note", note), **statistic_columns(cells)}
    row = current_value(session, entity_id, series, str(period), breakdown_key(cells), unit)
    if row is None:
        row = Statistic(entity_id=entity_id, series=series, period=str(period),
                        breakdown=breakdown_key(cells), unit=unit, **values)
        session.add(row)
    else:
        for name, new in values.items():
            setattr(row, name, new)
    session.flush()
    return row


# --- what a reader may see -----------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure as a reader may see it, with its source."""

    publisher: str  # entity acronym
    publisher_name: str
    series: str
    period: str  # "2024" or "2017-2019"
    year_start: int
    year_end: int
    unit: str  # count | percent (a share, never turned into a count)
    breakdown: str  # ``models.breakdown_key``; "" for the total
    value: float | None  # None: hidden
    status: str  # SHOWN, SMALL ("<5") or HIDDEN (to protect another cell)
    exact: bool  # the reader sees this publisher's exact figures
    is_demo: bool
    document: str
    citation: str
    url: str
    cells: dict[str, str] = field(default_factory=dict)  # dimension -> category
    names: dict[str, str] = field(default_factory=dict)  # dimension -> category's name
    note: str = ""  # what the figure counts, when its series' name does not say it all
    entered: bool = False  # a validated entry set it: its document is cited as the focal point typed it

    @property
    def label(self) -> str:
        """The cells' names in the reader's language, "Female · Child"; "" for a total."""
        return " · ".join(self.names[dim] for dim in sorted(self.cells))

    @property
    def year(self) -> int | None:
        """The year of a yearly figure; None for a span of years."""
        return self.year_start if self.year_start == self.year_end else None


def released_figures(session: Session, actor: Actor, lang: str,
                     threshold: int | None = None) -> list[Figure]:
    """Every figure as ``actor`` may see it: exact for readers allowed
    ``read_exact_statistics`` on the publisher, through ``disclosure.release_periods`` otherwise.

    A table is one publisher's series for every period that adds up with another (a
    multi-year period and its years), with each period's total, breakdowns and shares:
    it is released whole, whatever part of it a chart then shows.

    Remembered by the data's version (``cache.remembered``), for each language, threshold
    and set of publishers read exactly: the release runs once per change, not per page.
    """
    threshold = threshold or configured_threshold()
    publishers = session.scalars(select(Statistic.entity_id).distinct()).all()
    exact_for = tuple(sorted(e for e in publishers if allowed(actor, "read_exact_statistics", e)))
    return remembered(session, "released_figures", (lang, threshold, exact_for),
                      lambda: _released_figures(session, set(exact_for), lang, threshold),
                      _dump_figures, _load_figures)


def _dump_figures(figures: list[Figure]) -> bytes:
    return json.dumps([dataclasses.astuple(f) for f in figures], ensure_ascii=False).encode()


def _load_figures(raw: bytes) -> list[Figure]:
    return [Figure(*fields) for fields in json.loads(raw)]


def _released_figures(session: Session, exact_for: set[int], lang: str, threshold: int) -> list[Figure]:
    query = (select(Statistic).options(joinedload(Statistic.entity), joinedload(Statistic.source))
             .order_by(Statistic.series, Statistic.year_start, Statistic.year_end, Statistic.id))
    series_rows: dict[tuple, list[Statistic]] = defaultdict(list)
    for row in session.scalars(query):
        series_rows[(row.entity_id, row.series)].append(row)
    names = category_names(session, lang)
    figures = []
    for (entity_id, _series), rows in series_rows.items():
        exact = entity_id in exact_for
        counts: dict[str, dict[str, float]] = defaultdict(dict)
        shares: dict[str, dict[str, float]] = defaultdict(dict)
        for r in rows:
            (counts if r.unit == "count" else shares)[r.period][r.breakdown] = r.value
        released = release_periods(counts, shares, exact=exact, threshold=threshold,
                                   exhaustive=EXHAUSTIVE)
        for row in rows:
            table = released[row.period]
            shown = (table.cells if row.unit == "count" else table.shares)[row.breakdown]
            cells = breakdown_cells(row.breakdown)
            figures.append(Figure(
                publisher=row.entity.acronym, publisher_name=row.entity.name(lang),
                series=row.series, period=row.period, year_start=row.year_start,
                year_end=row.year_end, unit=row.unit, breakdown=row.breakdown, value=shown,
                status=table.status(row.breakdown) if row.unit == "count"
                else (HIDDEN if shown is None else SHOWN),
                exact=exact, is_demo=row.is_demo, document=localized(row.source, "document", lang),
                citation=localized(row.source, "citation", lang), url=row.source.url, cells=cells,
                names={dim: names.get(cell, cell) for dim, cell in cells.items()},
                note=localized(row, "note", lang), entered=row.submission_id is not None,
            ))
    return figures


def category_names(session: Session, lang: str) -> dict[str, str]:
    """Labels of the breakdown categories, regions included."""
    return {**labels.disaggregation_value(), **region_names(session, lang)}


@dataclass(frozen=True)
class StatisticFilter:
    """What the page's filters (and the CSV links, as query parameters) ask for."""

    publisher: str | None = None  # an entity acronym
    year: int | None = None  # breakdowns and table: the figures of that year
    series: str = BREAKDOWN_SERIES  # what the breakdown charts show


def filter_from(values: Mapping[str, Any]) -> StatisticFilter:
    """A filter from query parameters or the page's selects; anything else is ignored."""
    year = str(values.get("year") or "")
    series = values.get("series")
    return StatisticFilter(
        publisher=str(values.get("publisher") or "") or None,
        year=int(year) if year.isdigit() else None,
        series=series if series in STATISTIC_SERIES else BREAKDOWN_SERIES,
    )


def select_figures(figures: Iterable[Figure], chart: str,
                   filters: StatisticFilter = StatisticFilter()) -> list[Figure]:
    """The figures one chart of the page (and its CSV export) shows: ``trends`` the
    yearly totals of every year; the breakdown charts one series (victims identified
    unless the filter says otherwise), crossed breakdowns included; ``all`` everything.
    Filters pick whole tables, which are released whole before."""
    figures = [f for f in figures if filters.publisher in (None, f.publisher)]
    if chart == "trends":
        return [f for f in figures if not f.breakdown and f.year is not None and f.unit == "count"]
    if filters.year:
        figures = [f for f in figures if f.year_start <= filters.year <= f.year_end]
    if chart == "all":
        return figures
    broken_down = [f for f in figures if f.series == filters.series and f.cells]
    if chart == "children":
        return [f for f in broken_down if f.cells.get("age_group") == "child"]
    if chart == "regions":
        return [f for f in broken_down if "region" in f.cells]
    if chart in CHART_DIMENSIONS:
        return [f for f in broken_down if set(f.cells) <= CHART_DIMENSIONS[chart]]
    raise KeyError(chart)


def same_source_groups(figures: Iterable[Figure]) -> dict[tuple[str, str], list[Figure]]:
    """Figures by (publisher, series): the only way they may be drawn as one line."""
    groups: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for figure in figures:
        groups[(figure.publisher, figure.series)].append(figure)
    return dict(groups)


def shown_text(figure: Figure, formatted, threshold: int) -> str:
    """``formatted(figure)`` for a figure that is shown; "<5" or "–" for one that is not."""
    if figure.status == SMALL:
        return f"<{threshold}"
    return "–" if figure.value is None else formatted(figure)


# --- CSV exports ---------------------------------------------------------------------------

CSV_COLUMNS = ("publisher", "publisher_name", "series", "series_name", "period", "breakdown",
               "breakdown_name", "unit", "value", "status", "demonstration", "document",
               "citation", "url", "note")


def figures_csv(figures: Iterable[Figure], lang: str, threshold: int) -> str:
    """Released figures as CSV (with a byte-order mark, so spreadsheets read the Arabic
    as UTF-8): a small count reads "<5", a cell hidden to protect it is empty, and a cell
    that a spreadsheet would read as a formula is neutralised. Column names are stable
    codes; the names in them are in ``lang``."""
    series_names = labels.statistic_series()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for f in figures:
        value = shown_text(f, lambda shown: f"{shown.value:.10g}", threshold)
        writer.writerow([csv_cell(cell) for cell in (
            f.publisher, f.publisher_name, f.series, series_names.get(f.series, f.series), f.period,
            f.breakdown, f.label, f.unit, "" if value == "–" else value, f.status,
            "yes" if f.is_demo else "no", f.document, f.citation, f.url, f.note,
        )])
    return "\ufeff" + out.getvalue()


# --- XLSX exports --------------------------------------------------------------------------


def figures_xlsx(figures: list[Figure], lang: str, threshold: int) -> bytes:
    """Released figures as an .xlsx workbook in ``lang``: a sheet of figures (shown values
    as numbers, a small count as "<5", a hidden one empty) and a sheet of their sources.
    Every sheet says what kind of figures it holds: exact ones (for the commission's
    readers only) or protected ones."""
    series_names = labels.statistic_series()
    small = _("<%(n)s", n=threshold)  # as the pages write it: "أقل من 5" in Arabic
    statuses = {SHOWN: _("Published figure"), SMALL: small, HIDDEN: _("Hidden to protect a small count")}
    if any(f.exact for f in figures):
        note = _("Exact figures, small counts included: for the commission's readers only, not for publication.")
    else:
        note = _("Counts from 1 to %(n)s read \"%(label)s\"; a few other cells are left empty so that "
                 "they cannot be worked out by subtraction.", n=threshold - 1, label=small)
    rows = []
    for f in figures:
        value = "" if f.value is None else (int(f.value) if float(f.value).is_integer() else f.value)
        rows.append([f.publisher, f.publisher_name, series_names.get(f.series, f.series), f.period,
                     f.label or _("Total"), _("Percentage") if f.unit == "percent" else _("Number"),
                     small if f.status == SMALL else value, statuses[f.status],
                     _("Yes") if f.is_demo else _("No"), f.citation, f.note])
    sources = sorted({(f.publisher, f.document, f.citation, f.url) for f in figures})
    return xlsx_workbook([
        Sheet(_("Figures"), [_("Publisher"), _("Name"), _("What is counted"), _("Period"), _("Breakdown"),
                             _("Unit"), _("Figure"), _("Status"), _("Demonstration data"), _("Source"), _("Note")],
              rows, note),
        Sheet(_("Sources"), [_("Publisher"), _("Document"), _("Source"), _("Link")],
              [list(source) for source in sources], note),
    ], right_to_left=lang == "ar")


def figures_json(figures: list[Figure], lang: str, threshold: int) -> dict:
    """Released figures as a JSON document in ``lang``: each figure with its value (null when
    hidden), its status (shown, small or hidden) and its source, and what the reader got:
    exact figures, or small counts shown as under the threshold."""
    series_names = labels.statistic_series()
    exact = any(f.exact for f in figures)
    return {
        "language": lang,
        "exact": exact,
        "small_count_threshold": threshold,
        "note": _("Exact figures, small counts included: for the commission's readers only, not for publication.")
        if exact else _("Counts from 1 to %(n)s read \"%(label)s\"; a few other cells are left empty so that "
                        "they cannot be worked out by subtraction.", n=threshold - 1, label=_("<%(n)s", n=threshold)),
        "figures": [{
            "publisher": f.publisher, "publisher_name": f.publisher_name, "series": f.series,
            "series_name": series_names.get(f.series, f.series), "period": f.period,
            "year_start": f.year_start, "year_end": f.year_end, "breakdown": f.breakdown, "cells": f.cells,
            "breakdown_name": f.label, "unit": f.unit,
            "value": None if f.status == SMALL else f.value, "status": f.status,
            "demonstration": f.is_demo, "document": f.document, "citation": f.citation, "url": f.url or None,
            "note": f.note,
        } for f in figures],
    }
