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
import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from dashboard.ingest import datafiles
from dashboard import labels
from dashboard.workflow.audit import csv_cell
from dashboard.ingest.datafiles import DataFileError, Problem
from dashboard.national.disclosure import HIDDEN, SHOWN, SMALL, configured_threshold, release_periods
from dashboard.models import (
    STATISTIC_BREAKDOWNS,
    STATISTIC_COLUMNS,
    STATISTIC_SERIES,
    STATISTIC_UNITS,
    Entity,
    Statistic,
    StatisticSource,
    breakdown_key,
)
from dashboard.permissions import Actor, allowed
from dashboard.plan.queries import region_names

REFERENCE_FILE = Path("reference") / "published_statistics.yaml"
DEMO_FILE = Path("demo") / "statistics.yaml"
# Dimensions whose categories cover everyone: a category left out is an unknown count.
# Forms of exploitation overlap and leave some out, so they are not among them.
EXHAUSTIVE = {dim: cells for dim, cells in STATISTIC_BREAKDOWNS.items() if dim != "exploitation_form"}
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
FIRST_FILE_YEAR = 2000  # the oldest year a figure of the data files may be for


# --- the data files ------------------------------------------------------------------------


def load(session: Session, data_dir: Path, demo: bool, report) -> None:
    """Load the published figures, and the demonstration ones with ``demo``.

    Idempotent. A figure that a validated entry created or changed (``submission_id``)
    is newer than the files and is kept; a demonstration figure never replaces a real one.
    """
    from dashboard.ingest.loader import _assign, _upsert  # the loader imports this module

    data_dir = Path(data_dir)
    entities = {e.acronym: e for e in session.scalars(select(Entity))}
    records, published = [], None
    if (data_dir / REFERENCE_FILE).exists():  # a data folder may leave either file out
        records = [(r, False) for r in read_file(data_dir / REFERENCE_FILE, set(entities))]
        published = datafiles.read_yaml(data_dir / REFERENCE_FILE)
    if demo and (data_dir / DEMO_FILE).exists():
        records += [(r, True) for r in read_file(data_dir / DEMO_FILE, set(entities), published)]
    existing = {(s.entity_id, s.series, s.period, s.breakdown, s.unit): s
                for s in session.scalars(select(Statistic))}
    sources: dict[tuple[int, str], StatisticSource] = {}
    for record, is_demo in records:
        entity = entities[record["entity"]]
        source_key = (entity.id, record["document"])
        if source_key not in sources:
            sources[source_key] = _upsert(
                session, StatisticSource, {"entity_id": entity.id, "document": record["document"]},
                {"citation": record["citation"], "url": record["url"]}, report, "statistic sources")
            session.flush()
        key = (entity.id, record["series"], record["period"], record["breakdown"], record["unit"])
        values = {"source_id": sources[source_key].id, "year_start": record["year_start"],
                  "year_end": record["year_end"], "value": record["value"], "note": record["note"],
                  "is_demo": is_demo, **_columns(record["cells"])}
        row = existing.get(key)
        if row is None:
            row = Statistic(entity_id=key[0], series=key[1], period=key[2], breakdown=key[3],
                            unit=key[4], **values)
            session.add(row)
            existing[key] = row
            report.count("statistics", True, True)
        elif row.submission_id is None and not (is_demo and not row.is_demo):
            report.count("statistics", False, _assign(row, values))
    session.flush()


def data_files(data_dir: Path, demo: bool) -> list[Path]:
    """The files ``load`` reads, for ``loader.check_data`` to check first."""
    return [Path(data_dir) / REFERENCE_FILE] + ([Path(data_dir) / DEMO_FILE] if demo else [])


def read_file(path: Path, entity_acronyms: set[str], published: Any = None) -> list[dict]:
    """The records of a statistics file, checked by ``validate`` (as ``check-data`` does);
    ``DataFileError`` lists every problem with its line."""
    doc = datafiles.read_yaml(path)
    problems = validate(doc, entity_acronyms, published)
    if problems:
        raise DataFileError(path, problems)
    return [_normalised(record) for record in doc]


def validate(doc: Any, entity_acronyms: set[str], published: Any = None) -> list[Problem]:
    """Every problem of a statistics file, each with its line: the one rule of
    ``check-data`` and of the loader. Each record is one figure of a known publisher, series,
    year (or span), unit and breakdown, with its source, never given twice; a demonstration
    file's records (``published``: the reference file's records) never repeat a published one."""
    check = datafiles.Checker()
    if not isinstance(doc, list):
        return [Problem(1, "the published statistics file must be a list")]
    seen: dict[tuple, int] = {}
    for record in datafiles.mappings(check, {"records": doc}, "records", "record"):
        line = getattr(record, "line", 0)
        found = [Problem(line, f"{record.get('series')} {record.get('year', record.get('period'))}: "
                               f"{message}") for message in _record_problems(record, entity_acronyms)]
        if not found:
            identity = _raw_identity(record)
            if identity in seen:
                found.append(Problem(line, f"{identity[1]} {identity[2]}: the same figure is given "
                                           f"twice (first on line {seen[identity]})"))
            seen.setdefault(identity, line)
        check.problems += found
    if isinstance(published, list):
        figures = {_raw_identity(r) for r in published
                   if isinstance(r, dict) and not _record_problems(r, entity_acronyms)}
        check.problems += [
            Problem(line, f"{identity[1]} {identity[2]} of {identity[0]}: a published figure has the same "
                          "series, period and breakdown")
            for identity, line in seen.items() if identity in figures]
    return sorted(set(check.problems))


def _raw_identity(record: dict) -> tuple:
    """What ``_identity`` gives of the record once normalised (the record is valid)."""
    cells = record.get("breakdown") or {}
    return (record["source"]["entity"], record["series"], str(record.get("year", record.get("period"))),
            breakdown_key({k: str(v) for k, v in cells.items()}), record.get("unit"))


def _record_problems(record: dict, entity_acronyms: set[str]) -> list[str]:
    source = record.get("source") if isinstance(record.get("source"), dict) else {}
    problems = []
    if ("year" in record) == ("period" in record):
        problems.append("give either 'year' or 'period', not both or neither")
    if not all(isinstance(source.get(k), str) and source[k].strip() for k in ("publisher", "document", "citation")):
        problems.append("'source' needs publisher, entity, document and citation")
    elif not source.get("entity"):
        problems.append("'source' needs the publisher's 'entity' acronym")
    elif not isinstance(source["entity"], str) or source["entity"] not in entity_acronyms:
        problems.append(f"unknown publisher entity {source['entity']!r}")
    if record.get("series") not in STATISTIC_SERIES:
        problems.append(f"unknown series {record.get('series')!r}")
    last_year = dt.date.today().year
    if record.get("period") is not None:
        span = _span(record["period"])
        if not span:
            problems.append("a period is two years like \"2017-2019\"")
        elif not (FIRST_FILE_YEAR <= span[0] and span[1] <= last_year):
            problems.append(f"the period must fall between {FIRST_FILE_YEAR} and {last_year}")
    if "year" in record and not datafiles.is_year(record["year"], FIRST_FILE_YEAR, last_year):
        problems.append(f"'year' must be a year from {FIRST_FILE_YEAR} to {last_year}, not {record['year']!r}")
    cells = record.get("breakdown") or {}
    if isinstance(cells, dict):
        problems += breakdown_problems(cells)
    else:
        problems.append("'breakdown' must be a mapping")
    value, unit = record.get("value"), record.get("unit")
    if unit not in STATISTIC_UNITS:
        problems.append(f"'unit' is {unit!r}, expected one of {', '.join(STATISTIC_UNITS)}")
    if not datafiles.is_number(value) or value < 0:
        problems.append(f"'value' must be a published number, not {value!r}")
    else:
        if unit == "count" and float(value) != int(value):
            problems.append("a count must be a whole number")
        if unit == "percent" and not 0 <= value <= 100:
            problems.append("a share must be between 0 and 100")
    return problems


def breakdown_problems(cells: dict) -> list[str]:
    """Why a breakdown is not one a statistic may carry (empty when it is)."""
    problems = [f"unknown breakdown {dim}={cell!r}" for dim, cell in cells.items()
                if cell not in STATISTIC_BREAKDOWNS.get(dim, ())]
    if len(cells) > 2:
        problems.append("a breakdown crosses at most two dimensions")
    return problems


def _span(period: Any) -> tuple[int, int] | None:
    match = _PERIOD.match(str(period))
    if not match or int(match[1]) >= int(match[2]):
        return None
    return int(match[1]), int(match[2])


def _normalised(record: dict) -> dict:
    source = record["source"]
    if "year" in record:
        period, start, end = str(record["year"]), record["year"], record["year"]
    else:
        period = str(record["period"])
        start, end = _span(period)
    cells = {dim: str(cell) for dim, cell in (record.get("breakdown") or {}).items()}
    return {
        "line": getattr(record, "line", 0), "entity": source["entity"], "series": record["series"],
        "period": period, "year_start": start, "year_end": end, "unit": record["unit"],
        "value": float(record["value"]), "cells": cells, "breakdown": breakdown_key(cells),
        "document": source["document"].strip(), "citation": source["citation"].strip(),
        "url": (source.get("url") or "").strip(), "note": (record.get("note") or "").strip(),
    }


def _identity(record: dict) -> tuple:
    return (record["entity"], record["series"], record["period"], record["breakdown"], record["unit"])


def _columns(cells: dict[str, str]) -> dict[str, str | None]:
    return {STATISTIC_COLUMNS[dim]: cells.get(dim) for dim in STATISTIC_COLUMNS}


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
    cells = dict(part.split("=", 1) for part in breakdown.split(";") if part)
    span = _span(period) or ((int(period),) * 2 if str(period).isdigit() else None)
    problems = breakdown_problems(cells)
    if series not in STATISTIC_SERIES or unit not in STATISTIC_UNITS or span is None or problems:
        raise ValueError(f"not a national statistic: {series} {period} {breakdown} {unit} {problems}")
    source = session.scalar(select(StatisticSource).filter_by(entity_id=entity_id, document=document))
    if source is None:
        source = StatisticSource(entity_id=entity_id, document=document, citation=citation or document,
                                 url=url)
        session.add(source)
        session.flush()
    values = {"source_id": source.id, "year_start": span[0], "year_end": span[1],
              "value": float(value), "is_demo": False, "submission_id": submission_id,
              "note": note, **_columns(cells)}
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
    """
    threshold = threshold or configured_threshold()
    query = (select(Statistic).options(joinedload(Statistic.entity), joinedload(Statistic.source))
             .order_by(Statistic.series, Statistic.year_start, Statistic.year_end, Statistic.id))
    series_rows: dict[tuple, list[Statistic]] = defaultdict(list)
    for row in session.scalars(query):
        series_rows[(row.entity_id, row.series)].append(row)
    names = category_names(session, lang)
    figures = []
    for (entity_id, _series), rows in series_rows.items():
        exact = allowed(actor, "read_exact_statistics", entity_id)
        counts: dict[str, dict[str, float]] = defaultdict(dict)
        shares: dict[str, dict[str, float]] = defaultdict(dict)
        for r in rows:
            (counts if r.unit == "count" else shares)[r.period][r.breakdown] = r.value
        released = release_periods(counts, shares, exact=exact, threshold=threshold,
                                   exhaustive=EXHAUSTIVE)
        for row in rows:
            table = released[row.period]
            shown = (table.cells if row.unit == "count" else table.shares)[row.breakdown]
            cells = {dim: getattr(row, column) for dim, column in STATISTIC_COLUMNS.items()
                     if getattr(row, column)}
            figures.append(Figure(
                publisher=row.entity.acronym, publisher_name=row.entity.name(lang),
                series=row.series, period=row.period, year_start=row.year_start,
                year_end=row.year_end, unit=row.unit, breakdown=row.breakdown, value=shown,
                status=table.status(row.breakdown) if row.unit == "count"
                else (HIDDEN if shown is None else SHOWN),
                exact=exact, is_demo=row.is_demo, document=row.source.document,
                citation=row.source.citation, url=row.source.url, cells=cells,
                names={dim: names.get(cell, cell) for dim, cell in cells.items()},
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
               "citation", "url")


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
            "yes" if f.is_demo else "no", f.document, f.citation, f.url,
        )])
    return "\ufeff" + out.getvalue()
