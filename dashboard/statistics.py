"""National statistics on trafficking in persons: published figures, validated entries and
disclosure-safe views.

A figure belongs to its publisher. The US TIP report, the Public Prosecution, the CSPJ, the
CNDH and the commission count different things, so nothing here adds figures of two
publishers or puts them in one series. Every figure keeps its source.

Public and donor views go through ``disclosure.release`` one table at a time (a publisher's
series for a period, with all its breakdowns), before anything leaves the server: the page,
its chart hovers and the CSV exports all read ``released_figures``.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from . import datafiles, disclosure, labels
from .audit import _csv_cell
from .models import (
    STATISTIC_BREAKDOWNS,
    STATISTIC_COLUMNS,
    Entity,
    Statistic,
    StatisticSource,
    breakdown_key,
)
from .permissions import Actor, allowed

MAIN_SERIES = ("victims_identified", "cases_registered", "persons_prosecuted", "persons_convicted")
# Dimensions with two or three categories that cover everyone: a category left out was not
# published, so the reader does not know it. Regions are not among them: a publisher may
# leave out the regions without victims, and a reader would take those as zero.
EXHAUSTIVE = {key: STATISTIC_BREAKDOWNS[key] for key in ("sex", "age_group", "nationality", "place", "scope")}
CHARTS = ("trends", "sex_age", "exploitation", "children", "regions", "all")
SHOWN, SMALL, HIDDEN = disclosure.SHOWN, disclosure.SMALL, disclosure.HIDDEN


# --- loading ------------------------------------------------------------------------------


def load(session: Session, data_dir: Path, demo: bool, report) -> None:
    """The published figures always; demonstration entries of producers with ``demo``."""
    _load_file(session, Path(data_dir) / "reference" / "published_statistics.yaml", False, report)
    if demo:
        _load_file(session, Path(data_dir) / "demo" / "statistics.yaml", True, report)


def _load_file(session: Session, path: Path, demo: bool, report) -> None:
    from .loader import _upsert  # the loader imports this module

    if not path.exists():
        return
    doc = datafiles.read_yaml(path)
    problems = datafiles.validate_published_statistics(doc)
    entities = {e.acronym: e for e in session.scalars(select(Entity))}
    for record in doc if isinstance(doc, list) else []:
        if record.get("source", {}).get("entity") not in entities:
            problems.append(datafiles.Problem(datafiles._line(record), "the source needs 'entity', "
                                              "the acronym of a known publisher"))
    if problems:
        raise datafiles.DataFileError(path, sorted(problems))
    for record in doc:
        source_doc = record["source"]
        entity = entities[source_doc["entity"]]
        source = _upsert(session, StatisticSource, {"entity_id": entity.id, "document": source_doc["document"]},
                         {"citation": source_doc["citation"], "url": source_doc.get("url") or ""},
                         report, "statistic sources")
        session.flush()
        period = str(record.get("year", record.get("period")))
        first, _sep, last = period.partition("-")
        cells = {key: value for key, value in (record.get("breakdown") or {}).items()}
        _upsert(session, Statistic,
                {"entity_id": entity.id, "series": record["series"], "period": period,
                 "breakdown": breakdown_key(cells), "unit": record["unit"]},
                {"source_id": source.id, "year_start": int(first), "year_end": int(last or first),
                 "value": float(record["value"]), "is_demo": demo, "note": record.get("note") or "",
                 **{column: cells.get(key) for key, column in STATISTIC_COLUMNS.items()}},
                report, "statistics")
    session.flush()


# --- the released figures -------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure as a reader may see it: ``value`` None unless ``status`` is SHOWN."""

    publisher: str
    publisher_name: str
    series: str
    period: str
    year: int | None  # None for a multi-year period
    unit: str
    breakdown: str
    cells: dict
    value: float | None
    status: str
    citation: str
    url: str
    is_demo: bool


def released_figures(session: Session, actor: Actor, lang: str, threshold: int | None = None) -> list[Figure]:
    """Every figure, with small cells protected for readers without exact access.

    One table per publisher, series and period goes through ``disclosure.release`` with its
    total and all its breakdowns, so no cell can be worked out from the others.
    """
    rows = list(session.scalars(select(Statistic).options(
        selectinload(Statistic.entity), selectinload(Statistic.source)).order_by(
        Statistic.series, Statistic.entity_id, Statistic.year_start, Statistic.period, Statistic.breakdown)))
    tables: dict[tuple, list[Statistic]] = defaultdict(list)
    for row in rows:
        tables[(row.entity_id, row.series, row.period)].append(row)
    figures = []
    for (entity_id, _series, _period), members in tables.items():
        counts = {r.breakdown: r.value for r in members if r.unit == "count"}
        shares = {r.breakdown: r.value for r in members if r.unit == "percent"}
        released = disclosure.release(counts, shares, exact=allowed(actor, "read_exact_statistics", entity_id),
                                      threshold=threshold, exhaustive=EXHAUSTIVE)
        for row in members:
            status = released.status(row.breakdown)
            kept = released.cells if row.unit == "count" else released.shares
            figures.append(Figure(
                publisher=row.entity.acronym, publisher_name=row.entity.name(lang), series=row.series,
                period=row.period, year=row.year_start if row.year_start == row.year_end else None, unit=row.unit,
                breakdown=row.breakdown, cells=_cells(row.breakdown), value=kept.get(row.breakdown),
                status=status, citation=row.source.citation or row.source.document, url=row.source.url,
                is_demo=row.is_demo,
            ))
    return figures


def _cells(key: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in key.split(";") if "=" in part)


def select_figures(figures: list[Figure], chart: str) -> list[Figure]:
    """The figures one chart (and its CSV) shows."""
    if chart == "trends":
        return [f for f in figures if f.series in MAIN_SERIES and not f.breakdown and f.unit == "count"
                and f.year is not None]
    if chart == "sex_age":
        return [f for f in figures if f.series == "victims_identified" and f.cells
                and set(f.cells) <= {"sex", "age_group"}]
    if chart == "exploitation":
        return [f for f in figures if "exploitation_form" in f.cells]
    if chart == "children":
        return [f for f in figures if f.series == "victims_identified" and f.cells.get("age_group") == "child"]
    if chart == "regions":
        return [f for f in figures if "region" in f.cells]
    return list(figures)


def shown_text(figure: Figure, format_value, threshold: int) -> str:
    """What the reader sees: the value, "<5" or a dash for a cell hidden to protect another."""
    if figure.status == SMALL:
        return f"<{threshold}"
    if figure.status == HIDDEN:
        return "–"
    return format_value(figure)


def same_source_groups(figures: list[Figure]) -> dict[tuple[str, str], list[Figure]]:
    """Figures grouped by publisher and series: one line or bar group each, never merged."""
    groups: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for figure in figures:
        groups[(figure.publisher, figure.series)].append(figure)
    return dict(groups)


# --- CSV -------------------------------------------------------------------------------------

CSV_COLUMNS = ("publisher", "series", "period", "unit", *STATISTIC_BREAKDOWNS, "value", "source", "demo")


def figures_csv(figures: list[Figure], lang: str, threshold: int) -> str:
    """The figures as CSV: one row per figure, suppressed cells as "<5" or "suppressed"."""
    series_names = labels.statistic_series()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for f in figures:
        value = {SMALL: f"<{threshold}", HIDDEN: "suppressed"}.get(f.status)
        if value is None:
            value = f"{f.value:g}"
        writer.writerow([_csv_cell(v) for v in (
            f.publisher, series_names.get(f.series, f.series), f.period, f.unit,
            *(f.cells.get(key, "") for key in STATISTIC_BREAKDOWNS), value, f.citation,
            "yes" if f.is_demo else "no")])
    return "\ufeff" + out.getvalue()
