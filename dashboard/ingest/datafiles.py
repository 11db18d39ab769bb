"""Reading and validating the human-editable data files under ``data/``: the entry point of
``python -m dashboard check-data``.

The reader (``reader``) keeps every mapping's line, so a problem names its exact line. Each
kind of file (``schemas.KINDS``) has one check, its rules then its pydantic schema, which
``check-data`` reports and ``load-data`` runs on every file it reads before it writes anything
(``loader.check_data``).
"""
from __future__ import annotations

from pathlib import Path

from dashboard.ingest.plan_file import (
    PERIOD_PARTS,
    VALUE_COLUMNS,
    YEARS_BEFORE_PLAN,
    IndicatorRules,
    accepted_years,
    indicator_rules,
    iter_indicators,
    plan_years,
    read_plan_values,
    read_values_csv,
    validate_entities,
    validate_plan,
    validate_regions,
)
from dashboard.ingest.reader import (
    Checker,
    DataFileError,
    DataFilesError,
    LineDict,
    LineList,
    Problem,
    is_number,
    is_year,
    mappings,
    parse_period,
    read_text,
    read_yaml,
)
from dashboard.ingest.schemas import KINDS, check_document, kind_of


def check_file(path: Path | str, entity_acronyms: set[str]) -> list[Problem]:
    """Every problem of a data file, whose kind its name or its ``kind:`` key gives.

    ``python -m dashboard check-data`` reports these, and ``load-data`` refuses to write
    anything while any file it reads has one (``loader.check_data``). A demonstration file
    (in a ``demo`` folder) is checked with the reference file beside it, as it is loaded.
    """
    path = Path(path)
    if path.suffix == ".csv":
        raise ValueError("indicator-value CSV files are checked together with their plan")
    try:
        doc = read_yaml(path)
    except DataFileError as exc:
        return exc.problems
    kind = kind_of(path, doc)
    if isinstance(kind, Problem):
        return [kind]
    return check_document(kind, doc, entity_acronyms, path)


__all__ = [
    "KINDS", "PERIOD_PARTS", "VALUE_COLUMNS", "YEARS_BEFORE_PLAN", "Checker", "DataFileError", "DataFilesError",
    "IndicatorRules", "LineDict", "LineList", "Problem", "accepted_years", "check_file", "indicator_rules",
    "is_number", "is_year", "iter_indicators", "mappings", "parse_period", "plan_years", "read_plan_values",
    "read_text", "read_values_csv", "read_yaml", "validate_entities", "validate_plan", "validate_regions",
]
