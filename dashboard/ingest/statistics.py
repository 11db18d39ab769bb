"""The published statistics files: ``reference/published_statistics.yaml`` and, with ``demo``,
``demo/statistics.yaml``; their rules (``validate``) and their loading."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.citations import same_in_every_language
from dashboard.ingest.documents import StatisticsFile
from dashboard.ingest.reader import (
    Checker,
    DataFileError,
    Problem,
    is_number,
    is_year,
    mappings,
    read_yaml,
)
from dashboard.ingest.upsert import LoadReport, assign, upsert
from dashboard.ingest.validation import checked
from dashboard.models import (
    STATISTIC_SERIES,
    STATISTIC_UNITS,
    Entity,
    Statistic,
    StatisticSource,
    breakdown_key,
)
from dashboard.national.statistics import (
    breakdown_problems,
    period_span,
    statistic_columns,
)

REFERENCE_FILE = Path("reference") / "published_statistics.yaml"
DEMO_FILE = Path("demo") / "statistics.yaml"
FIRST_FILE_YEAR = 2000  # the oldest year a figure of the data files may be for


def load(session: Session, data_dir: Path, demo: bool, report: LoadReport) -> None:
    """Load the published figures, and the demonstration ones with ``demo``.

    Idempotent. A figure that a validated entry created or changed (``submission_id``)
    is newer than the files and is kept; a demonstration figure never replaces a real one.
    """

    data_dir = Path(data_dir)
    entities = {e.acronym: e for e in session.scalars(select(Entity))}
    records, published = [], None
    if (data_dir / REFERENCE_FILE).exists():  # a data folder may leave either file out
        records = [(r, False) for r in read_file(data_dir / REFERENCE_FILE, set(entities))]
        published = read_yaml(data_dir / REFERENCE_FILE)
    if demo and (data_dir / DEMO_FILE).exists():
        records += [(r, True) for r in read_file(data_dir / DEMO_FILE, set(entities), published)]
    existing = {(s.entity_id, s.series, s.period, s.breakdown, s.unit): s
                for s in session.scalars(select(Statistic))}
    sources: dict[tuple[int, str], StatisticSource] = {}
    for record, is_demo in records:
        entity = entities[record["entity"]]
        source_key = (entity.id, record["document"])
        if source_key not in sources:
            sources[source_key] = upsert(
                session, StatisticSource, {"entity_id": entity.id, "document": record["document"]},
                {**same_in_every_language("document", record["document"]),
                 **same_in_every_language("citation", record["citation"]), "url": record["url"]},
                report, "statistic sources")
            session.flush()
        key = (entity.id, record["series"], record["period"], record["breakdown"], record["unit"])
        values = {"source_id": sources[source_key].id, "year_start": record["year_start"],
                  "year_end": record["year_end"], "value": record["value"],
                  **same_in_every_language("note", record["note"]),
                  "is_demo": is_demo, **statistic_columns(record["cells"])}
        row = existing.get(key)
        if row is None:
            row = Statistic(entity_id=key[0], series=key[1], period=key[2], breakdown=key[3],
                            unit=key[4], **values)
            session.add(row)
            existing[key] = row
            report.count("statistics", True, True)
        elif row.submission_id is None and not (is_demo and not row.is_demo):
            report.count("statistics", False, assign(row, values))
    session.flush()


def data_files(data_dir: Path, demo: bool) -> list[Path]:
    """The files ``load`` reads, for ``loader.check_data`` to check first."""
    return [Path(data_dir) / REFERENCE_FILE] + ([Path(data_dir) / DEMO_FILE] if demo else [])


def read_file(path: Path, entity_acronyms: set[str], published: Any = None) -> list[dict]:
    """The records of a statistics file, checked by ``validate`` (as ``check-data`` does);
    ``DataFileError`` lists every problem with its line."""
    doc = read_yaml(path)
    problems = validate(doc, entity_acronyms, published)
    if problems:
        raise DataFileError(path, problems)
    return [_normalised(record) for record in doc]


def validate(doc: Any, entity_acronyms: set[str], published: Any = None) -> list[Problem]:
    """Every problem of a statistics file, each with its line: the one rule of
    ``check-data`` and of the loader. Each record is one figure of a known publisher, series,
    year (or span), unit and breakdown, with its source, never given twice; a demonstration
    file's records (``published``: the reference file's records) never repeat a published one."""
    check = Checker()
    if not isinstance(doc, list):
        return [Problem(1, "the published statistics file must be a list")]
    seen: dict[tuple, int] = {}
    for record in mappings(check, {"records": doc}, "records", "record"):
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
    return checked(StatisticsFile, doc, list(set(check.problems)))


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
        span = period_span(record["period"])
        if not span:
            problems.append("a period is two years like \"2017-2019\"")
        elif not (span[0] >= FIRST_FILE_YEAR and span[1] <= last_year):
            problems.append(f"the period must fall between {FIRST_FILE_YEAR} and {last_year}")
    if "year" in record and not is_year(record["year"], FIRST_FILE_YEAR, last_year):
        problems.append(f"'year' must be a year from {FIRST_FILE_YEAR} to {last_year}, not {record['year']!r}")
    cells = record.get("breakdown") or {}
    if isinstance(cells, dict):
        problems += breakdown_problems(cells)
    else:
        problems.append("'breakdown' must be a mapping")
    value, unit = record.get("value"), record.get("unit")
    if unit not in STATISTIC_UNITS:
        problems.append(f"'unit' is {unit!r}, expected one of {', '.join(STATISTIC_UNITS)}")
    if not is_number(value) or value < 0:
        problems.append(f"'value' must be a published number, not {value!r}")
    else:
        if unit == "count" and float(value) != int(value):
            problems.append("a count must be a whole number")
        if unit == "percent" and not 0 <= value <= 100:
            problems.append("a share must be between 0 and 100")
    return problems


def _normalised(record: dict) -> dict:
    source = record["source"]
    if "year" in record:
        period, start, end = str(record["year"]), record["year"], record["year"]
    else:
        period = str(record["period"])
        start, end = period_span(period)
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
