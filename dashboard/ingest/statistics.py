"""The published statistics files: ``reference/published_statistics.yaml`` and, with ``demo``,
``demo/statistics.yaml``; their rules (``validate``) and their loading."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.citations import columns, composed
from dashboard.config import LANGUAGES
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
from dashboard.ingest.sources import check_source, publisher_names, source_parts
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
    Each document's title and citation are stored in the three languages, the citation
    composed from its parts (``dashboard.citations``).
    """

    data_dir = Path(data_dir)
    entities = {e.acronym: e for e in session.scalars(select(Entity))}
    publishers = publisher_names(session)
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
        document = record["source"]
        source_key = (entity.id, document["title"]["en"])
        if source_key not in sources:
            parts = source_parts(document, publishers)
            sources[source_key] = upsert(
                session, StatisticSource, {"entity_id": entity.id, "document": source_key[1]},
                {**columns("document", parts.title), **columns("citation", composed(parts)),
                 "url": document.get("url") or ""},
                report, "statistic sources")
            session.flush()
        key = (entity.id, record["series"], record["period"], record["breakdown"], record["unit"])
        values = {"source_id": sources[source_key].id, "year_start": record["year_start"],
                  "year_end": record["year_end"], "value": record["value"],
                  **columns("note", record["note"]),
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
    """The figures of a statistics file, each with its document, checked by ``validate`` (as
    ``check-data`` does); ``DataFileError`` lists every problem with its line."""
    doc = read_yaml(path)
    problems = validate(doc, entity_acronyms, published)
    if problems:
        raise DataFileError(path, problems)
    return [_normalised(record, doc["sources"][record["source"]]) for record in doc["figures"]]


def validate(doc: Any, entity_acronyms: set[str], published: Any = None) -> list[Problem]:
    """Every problem of a statistics file, each with its line: the one rule of
    ``check-data`` and of the loader. Each document under ``sources`` has a known publisher
    and a title in ar, fr and en; each figure names one of them and is of a known series,
    year (or span), unit and breakdown, with any note in the three languages, never given
    twice; a demonstration file's figures (``published``: the reference file) never repeat
    a published one."""
    check = Checker()
    if not isinstance(doc, dict) or not isinstance(doc.get("sources"), dict) \
            or not isinstance(doc.get("figures"), list):
        return [Problem(getattr(doc, "line", 1) or 1,
                        "a statistics file is a mapping with 'sources' (each document once) and "
                        "'figures' (a list)")]
    sources = _valid_sources(check, doc["sources"], entity_acronyms)
    seen: dict[tuple, int] = {}
    for record in mappings(check, doc, "figures", "figure"):
        line = getattr(record, "line", 0)
        found = [Problem(line, f"{record.get('series')} {record.get('year', record.get('period'))}: "
                               f"{message}") for message in _record_problems(record, sources)]
        if not found:
            identity = _raw_identity(record, sources)
            if identity in seen:
                found.append(Problem(line, f"{identity[1]} {identity[2]}: the same figure is given "
                                           f"twice (first on line {seen[identity]})"))
            seen.setdefault(identity, line)
        check.problems += found
    if isinstance(published, dict) and isinstance(published.get("figures"), list) \
            and isinstance(published.get("sources"), dict):
        theirs = _valid_sources(Checker(), published["sources"], entity_acronyms)
        figures = {_raw_identity(r, theirs) for r in published["figures"]
                   if isinstance(r, dict) and not _record_problems(r, theirs)}
        check.problems += [
            Problem(line, f"{identity[1]} {identity[2]} of {identity[0]}: a published figure has the same "
                          "series, period and breakdown")
            for identity, line in seen.items() if identity in figures]
    return checked(StatisticsFile, doc, list(set(check.problems)))


def _valid_sources(check: Checker, sources: dict, entity_acronyms: set[str]) -> dict[str, dict]:
    """The documents under ``sources`` that may be cited, by key; the others' problems in ``check``."""
    valid, titles = {}, {}
    for key, source in sources.items():
        where = f"source {key}"
        before = len(check.problems)
        check_source(check, sources, where, key)
        if isinstance(source, dict):
            publisher = source.get("publisher")
            if not isinstance(publisher, str) or publisher not in entity_acronyms:
                check.add(source, f"{where}: the publisher must be an entity's acronym "
                                  f"(entities.yaml), not {publisher!r}")
            url = source.get("url")
            if url is not None and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
                check.add(source, f"{where}: 'url' must be a link (https://...), not {url!r}")
        if len(check.problems) == before:
            title = (source["publisher"], " ".join(str(source["title"]["en"]).split()))
            if title in titles:
                check.add(source, f"{where}: {title[0]} already has a document titled {title[1]!r} "
                                  f"(source {titles[title]}): give each document its own English title")
            titles.setdefault(title, key)
            valid[key] = source
    return valid


def _raw_identity(record: dict, sources: dict[str, dict]) -> tuple:
    """What ``_identity`` gives of the record once normalised (the record is valid)."""
    cells = record.get("breakdown") or {}
    return (sources[record["source"]]["publisher"], record["series"],
            str(record.get("year", record.get("period"))),
            breakdown_key({k: str(v) for k, v in cells.items()}), record.get("unit"))


def _record_problems(record: dict, sources: dict[str, dict]) -> list[str]:
    problems = []
    if ("year" in record) == ("period" in record):
        problems.append("give either 'year' or 'period', not both or neither")
    source = record.get("source")
    if not isinstance(source, str) or source not in sources:
        problems.append(f"'source' must name a valid document under 'sources', not {source!r}")
    note = record.get("note")
    if note is not None:
        missing = [lang for lang in LANGUAGES
                   if not (isinstance(note, dict) and isinstance(note.get(lang), str) and note[lang].strip())]
        if missing:
            problems.append(f"the note needs {', '.join(missing)}")
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


def _normalised(record: dict, source: dict) -> dict:
    if "year" in record:
        period, start, end = str(record["year"]), record["year"], record["year"]
    else:
        period = str(record["period"])
        start, end = period_span(period)
    cells = {dim: str(cell) for dim, cell in (record.get("breakdown") or {}).items()}
    note = record.get("note") or {}
    return {
        "line": getattr(record, "line", 0), "entity": source["publisher"], "series": record["series"],
        "period": period, "year_start": start, "year_end": end, "unit": record["unit"],
        "value": float(record["value"]), "cells": cells, "breakdown": breakdown_key(cells),
        "source": {**source, "title": {lang: " ".join(str(source["title"][lang]).split()) for lang in LANGUAGES},
                   "url": str(source.get("url") or "").strip()},
        "note": {lang: " ".join(str(note.get(lang, "")).split()) for lang in LANGUAGES},
    }


def _identity(record: dict) -> tuple:
    return (record["entity"], record["series"], record["period"], record["breakdown"], record["unit"])
