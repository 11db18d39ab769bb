"""Every kind of data file: its pydantic model (``json_schema``), the names it goes by, and the one
function that checks it for ``check-data`` and ``load-data`` alike (``check_document``).

A file's kind comes from its name (``entities.yaml``, ``plan.yaml``..., or a name such as
``plan_2026.yaml`` or ``draft_plan.yaml`` that contains exactly one kind's name as a word) or
from a top-level ``kind:`` key of a mapping file (a plan or a rollout file); never from its
content's shape.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from dashboard.ingest import (
    activities,
    documents,
    funding,
    organisations,
    plan_file,
    rollout,
    statistics,
)
from dashboard.ingest.reader import DataFileError, Problem, read_yaml
from dashboard.models import DISAGGREGATIONS

Rules = Callable[[Any, set[str], Path], list[Problem]]


def _is_demo_layer(path: Path) -> bool:
    return path.parent.name == "demo"


def _reference_doc(path: Path, name: str) -> Any:
    """The reference file beside a demonstration file, or None (its own check reports it)."""
    reference = path.parent.parent / "reference" / name
    try:
        return read_yaml(reference) if reference.is_file() else None
    except DataFileError:
        return None


def _statistics(doc: Any, acronyms: set[str], path: Path) -> list[Problem]:
    published = _reference_doc(path, statistics.REFERENCE_FILE.name) if _is_demo_layer(path) else None
    return statistics.validate(doc, acronyms, published)


def _programme_links(doc: Any, _acronyms: set[str], path: Path) -> list[Problem]:
    programmes = _reference_doc(path, "programmes.yaml") or []
    codes = {p["code"] for p in programmes if isinstance(p, dict) and "code" in p}
    return funding.validate_measure_links(doc, codes)


def _organisations(doc: Any, acronyms: set[str], path: Path) -> list[Problem]:
    taken: set[str] = set()
    if _is_demo_layer(path):
        reference = _reference_doc(path, "organisations.yaml") or []
        taken = {o["code"] for o in reference if isinstance(o, dict) and isinstance(o.get("code"), str)}
    return organisations.validate_organisations(doc, acronyms, taken)


REGION_CODES = set(DISAGGREGATIONS["region"])


@dataclass(frozen=True)
class FileKind:
    name: str
    model: type[BaseModel]
    file_names: tuple[str, ...]
    rules: Rules | None  # None: checked with its plan (``plan_file.read_plan_values``)
    description: str


_KINDS = (
    FileKind("entities", documents.EntitiesFile, ("entities.yaml",),
             lambda doc, _a, _p: plan_file.validate_entities(doc), "the bodies of the plan and the figures"),
    FileKind("regions", documents.RegionsFile, ("regions.yaml",),
             lambda doc, _a, _p: plan_file.validate_regions(doc), "the twelve regions"),
    FileKind("plan", documents.PlanFile, ("plan.yaml",),
             lambda doc, acronyms, _p: plan_file.validate_plan(doc, acronyms), "a plan"),
    FileKind("indicator_values", documents.IndicatorValueRow, ("indicator_values.csv",), None,
             "one row of an indicator-values CSV"),
    FileKind("statistics", documents.StatisticsFile, ("published_statistics.yaml", "statistics.yaml"),
             _statistics, "published (or demonstration) national statistics"),
    FileKind("activities", documents.ActivitiesFile, ("activities.yaml",),
             lambda doc, acronyms, _p: activities.validate(doc, acronyms, REGION_CODES), "the activities"),
    FileKind("programmes", documents.ProgrammesFile, ("programmes.yaml",),
             lambda doc, acronyms, _p: funding.validate_programmes(doc, acronyms), "partners' programmes"),
    FileKind("programme_measures", documents.ProgrammeMeasuresFile, ("programme_measures.yaml",),
             _programme_links, "programmes' links to measures"),
    FileKind("exchange_rates", documents.ExchangeRatesFile, ("exchange_rates.yaml",),
             lambda doc, _a, _p: funding.validate_rates(doc), "exchange rates"),
    FileKind("organisations", documents.OrganisationsFile, ("organisations.yaml",),
             _organisations, "the civil-society directory"),
    FileKind("rollout", documents.RolloutFile, ("rollout.yaml",),
             lambda doc, _a, path: rollout.validate_rollout(doc, REGION_CODES, demo=_is_demo_layer(path)),
             "the regional rollout"),
)
FILE_KINDS: dict[str, FileKind] = {kind.name: kind for kind in _KINDS}
KINDS: tuple[str, ...] = tuple(FILE_KINDS)
_BY_NAME = {name: kind for kind in _KINDS for name in kind.file_names}


def json_schema(kind: str) -> dict:
    """The JSON Schema of a kind of file, for an editor to check the YAML written by hand."""
    if kind not in FILE_KINDS:
        raise KeyError(f"unknown kind of data file {kind!r}, expected one of {', '.join(KINDS)}")
    schema = FILE_KINDS[kind].model.model_json_schema()
    schema.setdefault("title", kind)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _kinds_in_name(path: Path) -> set[str]:
    """Kinds whose name is a word of the file's stem: ``draft_plan`` and ``plan_2026`` are plans."""
    words = "_" + path.stem.replace("-", "_") + "_"
    return {kind.name for kind in _KINDS for name in kind.file_names
            if f"_{Path(name).stem}_" in words and Path(name).suffix == path.suffix}


def kind_of(path: Path | str, doc: Any = None) -> str | Problem:
    """The kind of a data file by its ``kind:`` key or its name; a ``Problem`` when neither says."""
    path = Path(path)
    given = doc.get("kind") if isinstance(doc, dict) else None
    if given is not None:
        if given not in FILE_KINDS:
            return Problem(getattr(doc, "line", 1) or 1,
                           f"unknown kind {given!r}, expected one of {', '.join(KINDS)}")
        return given
    if path.name in _BY_NAME:
        return _BY_NAME[path.name].name
    named = _kinds_in_name(path)
    if len(named) == 1:
        return named.pop()
    return Problem(1, "not a plan, entities, regions or published statistics file, nor one of "
                      f"{', '.join(sorted(_BY_NAME))}: name the file after its kind or give a "
                      f"top-level 'kind:' ({', '.join(KINDS)})")


def check_document(kind: str, doc: Any, entity_acronyms: set[str], path: Path | str) -> list[Problem]:
    """Every problem of a document of ``kind``: its rules, then its schema. ``check-data`` and
    the loader both call this, so they accept and refuse the same files."""
    rules = FILE_KINDS[kind].rules
    if rules is None:
        raise ValueError("indicator-value CSV files are checked together with their plan")
    return sorted(rules(doc, entity_acronyms, Path(path)))
