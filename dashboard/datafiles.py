"""Reading and validating the human-editable data files under ``data/``.

The plan structure is YAML (see README, "Data files"). Every mapping read here keeps
the line it started on, so ``check-data`` can point at the exact line of a problem.
"""
from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from .config import LANGUAGES
from .models import (
    DIRECTIONS,
    DISAGGREGATIONS,
    ENTITY_KINDS,
    FREQUENCIES,
    FUNDING_SOURCES,
    INDICATOR_TYPES,
    MEASURE_STATUSES,
    PRIORITIES,
    UNITS,
)

VALUE_COLUMNS = (
    "indicator",
    "period",
    "value",
    "sex",
    "age_group",
    "nationality",
    "exploitation_form",
    "region",
    "reported_on",
    "source",
)


class LineDict(dict):
    """A mapping that remembers the line (1-based) it started on."""

    line: int = 0


class LineList(list):
    """A sequence that remembers the line (1-based) of each of its items."""

    lines: list[int] = []


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    sequence = LineList(loader.construct_sequence(node, deep=True))
    sequence.lines = [child.start_mark.line + 1 for child in node.value]
    return sequence


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:  # e.g. 2025-13-01: PyYAML gives no line of its own
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a valid date ({exc})", node.start_mark
        ) from exc


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class DataFileError(ValueError):
    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = str(path)
        self.problems = sorted(problems)
        super().__init__(
            f"{self.path}: {len(self.problems)} problem(s)\n"
            + "\n".join(f"  {p}" for p in self.problems)
        )


def read_yaml(path: Path | str) -> Any:
    text = Path(path).read_text(encoding="utf-8")
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise DataFileError(path, [Problem(line, f"not valid YAML: {exc}")]) from exc


def _line(node: Any, default: int = 0) -> int:
    return getattr(node, "line", default)


class Checker:
    """Collects problems instead of stopping at the first one."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, node: Any, message: str) -> None:
        self.problems.append(Problem(_line(node), message))

    def translations(self, node: Any, key: str, where: str, required: bool = True) -> None:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            if required:
                self.add(node, f"{where}: '{key}' is missing (needs ar, fr and en)")
            return
        if not isinstance(value, dict):
            self.add(node, f"{where}: '{key}' must be a mapping with ar, fr and en")
            return
        for lang in LANGUAGES:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.add(value, f"{where}: '{key}' has no {lang} translation")

    def choice(self, node: dict, key: str, allowed: Iterable[str], where: str, default=None):
        value = node.get(key, default)
        if value not in allowed:
            self.add(node, f"{where}: '{key}' is {value!r}, expected one of {', '.join(allowed)}")
        return value

    def date(self, node: dict, key: str, where: str) -> dt.date | None:
        value = node.get(key)
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.add(node, f"{where}: '{key}' must be a date like 2024-06-30, not {value!r}")
        return None

    def unique(self, seen: dict[str, int], code: Any, node: Any, what: str) -> None:
        if not isinstance(code, str) or not code.strip():
            self.add(node, f"{what} without a 'code'")
        elif code in seen:
            self.add(node, f"duplicate {what} code {code!r} (first used on line {seen[code]})")
        else:
            seen[code] = _line(node)


def mappings(check: Checker, parent: Any, key: str, what: str) -> list[dict]:
    """The mappings listed under ``parent[key]``; anything else is reported on its line."""
    items = parent.get(key) if isinstance(parent, dict) else None
    if items is None:
        return []
    if not isinstance(items, list):
        check.add(parent, f"'{key}' must be a list of {what}s")
        return []
    lines = getattr(items, "lines", [])
    result = []
    for index, item in enumerate(items):
        if isinstance(item, dict):
            result.append(item)
        else:
            line = lines[index] if index < len(lines) else _line(parent)
            check.problems.append(Problem(line, f"each {what} must be a mapping, not {item!r}"))
    return result


def parse_period(period: Any) -> tuple[int, str] | None:
    """``("2024", ...)``: year and normalised text of "2024", "2024-S1" or "2024-Q3"."""
    text = str(period).strip()
    year_text, _, part = text.partition("-")
    if not (year_text.isdigit() and len(year_text) == 4):
        return None
    if part and part not in ("S1", "S2", "Q1", "Q2", "Q3", "Q4"):
        return None
    return int(year_text), text


def validate_entities(doc: Any) -> list[Problem]:
    check = Checker()
    if not isinstance(doc, list):
        return [Problem(1, "the entities file must be a list")]
    seen: dict[str, int] = {}
    for item in doc:
        acronym = item.get("acronym") if isinstance(item, dict) else None
        where = f"entity {acronym}"
        check.unique(seen, acronym, item, "entity")
        if isinstance(item, dict):
            check.choice(item, "kind", ENTITY_KINDS, where)
            check.translations(item, "name", where)
    return sorted(check.problems)


def validate_regions(doc: Any) -> list[Problem]:
    check = Checker()
    if not isinstance(doc, list):
        return [Problem(1, "the regions file must be a list")]
    seen: dict[str, int] = {}
    for item in doc:
        code = item.get("code") if isinstance(item, dict) else None
        check.unique(seen, code, item, "region")
        if isinstance(item, dict):
            check.translations(item, "name", f"region {code}")
    return sorted(check.problems)


STATISTIC_UNITS = ("count", "percent")
STATISTIC_BREAKDOWNS = {
    **DISAGGREGATIONS,
    "place": ("morocco", "abroad"),
    "scope": ("domestic", "transnational"),
}


def validate_published_statistics(doc: Any) -> list[Problem]:
    """Published figures: one per record, a year or a period, a unit and a full source."""
    check = Checker()
    if not isinstance(doc, list):
        return [Problem(1, "the published statistics file must be a list")]
    for record in mappings(check, {"records": doc}, "records", "record"):
        where = f"{record.get('series')} {record.get('year', record.get('period'))}"
        if ("year" in record) == ("period" in record):
            check.add(record, f"{where}: give either 'year' or 'period', not both or neither")
        if not isinstance(record.get("series"), str):
            check.add(record, "a record without its 'series'")
        if not isinstance(record.get("value"), (int, float)) or record["value"] < 0:
            check.add(record, f"{where}: 'value' must be a published number")
        check.choice(record, "unit", STATISTIC_UNITS, where)
        source = record.get("source")
        if not (isinstance(source, dict)
                and all(isinstance(source.get(k), str) and source[k] for k in
                        ("publisher", "document", "citation"))):
            check.add(record, f"{where}: 'source' needs publisher, document and citation")
        for key, cell in (record.get("breakdown") or {}).items():
            if cell not in STATISTIC_BREAKDOWNS.get(key, ()):
                check.add(record, f"{where}: unknown breakdown {key}={cell!r}")
    return sorted(check.problems)


def validate_plan(doc: Any, entity_acronyms: set[str]) -> list[Problem]:
    """Every problem of a plan file, each with its line."""
    check = Checker()
    if not isinstance(doc, dict):
        return [Problem(1, "the plan file must be a mapping with 'plans' and 'axes'")]
    plans = mappings(check, doc, "plans", "plan")
    if not plans:
        check.add(doc, "no 'plans' defined")
    plan_codes: dict[str, int] = {}
    years: set[int] = set()
    implementation_years: set[int] = set()
    for plan in plans:
        code = plan.get("code")
        check.unique(plan_codes, code, plan, "plan")
        check.choice(plan, "kind", ("strategic", "implementation"), f"plan {code}")
        check.translations(plan, "name", f"plan {code}")
        start, end = plan.get("start_year"), plan.get("end_year")
        if not (isinstance(start, int) and isinstance(end, int) and start <= end):
            check.add(plan, f"plan {code}: start_year and end_year must be years, start first")
            continue
        years.update(range(start, end + 1))
        if plan.get("kind") == "implementation":
            implementation_years.update(range(start, end + 1))
    for plan in plans:
        parent = plan.get("parent")
        if parent is not None and parent not in plan_codes:
            check.add(plan, f"plan {plan.get('code')}: unknown parent plan {parent!r}")
    implementation_years = implementation_years or years

    codes: dict[str, int] = {}
    indicator_codes: dict[str, int] = {}
    axes = mappings(check, doc, "axes", "axis")
    if not axes:
        check.add(doc, "no 'axes' defined")
    for axis in axes:
        axis_code = axis.get("code")
        check.unique(codes, axis_code, axis, "axis")
        check.translations(axis, "name", f"axis {axis_code}")
        objectives = mappings(check, axis, "objectives", "objective")
        if not objectives:
            check.add(axis, f"axis {axis_code}: no objectives")
        for objective in objectives:
            obj_code = objective.get("code")
            check.unique(codes, obj_code, objective, "objective")
            check.translations(objective, "name", f"objective {obj_code}")
            for indicator in mappings(check, objective, "indicators", "indicator"):
                _check_indicator(check, indicator, indicator_codes, entity_acronyms, years)
            for measure in mappings(check, objective, "measures", "measure"):
                _check_measure(check, measure, codes, entity_acronyms, implementation_years)
                for indicator in mappings(check, measure, "indicators", "indicator"):
                    _check_indicator(check, indicator, indicator_codes, entity_acronyms, years)
    return sorted(check.problems)


def _check_measure(
    check: Checker, m: dict, codes: dict, entities: set[str], plan_years: set[int]
) -> None:
    code = m.get("code")
    where = f"measure {code}"
    check.unique(codes, code, m, "measure")
    check.translations(m, "name", where)
    lead = m.get("lead")
    if lead not in entities:
        check.add(m, f"{where}: unknown lead entity {lead!r}")
    partners = m.get("partners") or []
    if not isinstance(partners, list):
        check.add(m, f"{where}: 'partners' must be a list of acronyms")
        partners = []
    for partner in partners:
        if partner not in entities:
            check.add(m, f"{where}: unknown partner entity {partner!r}")
    if lead in partners:
        check.add(m, f"{where}: the lead entity {lead} is also listed as a partner")
    start, end = check.date(m, "start", where), check.date(m, "end", where)
    if start and end and end < start:
        check.add(m, f"{where}: 'end' ({end}) is before 'start' ({start})")
    measure_years = m.get("years") or []
    if not isinstance(measure_years, list):
        check.add(m, f"{where}: 'years' must be a list of years")
        measure_years = []
    if not measure_years:
        check.add(m, f"{where}: 'years' is empty")
    for year in measure_years:
        if year not in plan_years:
            check.add(m, f"{where}: year {year} is outside the implementation plan")
        elif start and end and not start.year <= year <= end.year:
            check.add(m, f"{where}: year {year} is outside its dates ({start} to {end})")
    status = check.choice(m, "status", MEASURE_STATUSES, where)
    progress = m.get("progress", 0)
    if not isinstance(progress, (int, float)) or not 0 <= progress <= 100:
        check.add(m, f"{where}: 'progress' must be a number from 0 to 100, not {progress!r}")
    elif status == "completed" and progress != 100:
        check.add(m, f"{where}: a completed measure must have progress 100")
    check.choice(m, "priority", PRIORITIES, where, default="medium")
    check.choice(m, "funding", FUNDING_SOURCES, where, default="to_be_determined")
    weight = m.get("weight", 1)
    if not isinstance(weight, (int, float)) or weight < 0:
        check.add(m, f"{where}: 'weight' must be a positive number")
    budget = m.get("budget_mad")
    if budget is not None and (not isinstance(budget, (int, float)) or budget < 0):
        check.add(m, f"{where}: 'budget_mad' must be an amount in MAD or null")
    last_updated = check.date(m, "last_updated", where)
    for event in mappings(check, m, "history", "history entry"):
        when = check.date(event, "date", f"{where} history")
        check.choice(event, "status", MEASURE_STATUSES, f"{where} history")
        if when and last_updated and when > last_updated:
            check.add(event, f"{where}: history date {when} is after last_updated")


def _check_indicator(
    check: Checker, ind: dict, codes: dict, entities: set[str], plan_years: set[int]
) -> None:
    code = ind.get("code")
    where = f"indicator {code}"
    check.unique(codes, code, ind, "indicator")
    check.translations(ind, "name", where)
    check.translations(ind, "source", where)
    check.choice(ind, "unit", UNITS, where)
    check.choice(ind, "type", INDICATOR_TYPES, where)
    check.choice(ind, "direction", DIRECTIONS, where)
    check.choice(ind, "frequency", FREQUENCIES, where, default="annual")
    responsible = ind.get("responsible")
    if responsible is not None and responsible not in entities:
        check.add(ind, f"{where}: unknown responsible entity {responsible!r}")
    baseline = ind.get("baseline")
    if baseline is not None and not (
        isinstance(baseline, dict) and isinstance(baseline.get("value"), (int, float))
    ):
        check.add(ind, f"{where}: 'baseline' must be null or {{value: ..., year: ...}}")
    targets = ind.get("targets") or {}
    if not isinstance(targets, dict):
        check.add(ind, f"{where}: 'targets' must map years to values")
        targets = {}
    for year, value in targets.items():
        if year not in plan_years:
            check.add(targets, f"{where}: target year {year} is outside the plan")
        if not isinstance(value, (int, float)):
            check.add(targets, f"{where}: target for {year} must be a number")
    supported = ind.get("disaggregations") or []
    if not isinstance(supported, list):
        check.add(ind, f"{where}: 'disaggregations' must be a list")
        supported = []
    for dimension in supported:
        if dimension not in DISAGGREGATIONS:
            check.add(ind, f"{where}: unknown disaggregation {dimension!r}")
    # Published figures may predate the plan: its baseline years are accepted too.
    accepted_years = plan_years | set(range(min(plan_years, default=2023) - 10, min(plan_years, default=2023)))
    for value in mappings(check, ind, "values", "value"):
        _check_value(check, value, where, supported, accepted_years)


def _check_value(
    check: Checker, row: dict, where: str, supported: list[str], years: set[int] | None
) -> None:
    """One value; ``years`` limits its period's year when given."""
    period = parse_period(row.get("period"))
    if period is None:
        check.add(row, f"{where}: period {row.get('period')!r} is not like 2024, 2024-S1 or 2024-Q3")
    elif years is not None and period[0] not in years:
        check.add(row, f"{where}: period {period[1]} is outside the years the plan accepts")
    if not isinstance(row.get("value"), (int, float)):
        check.add(row, f"{where}: value {row.get('value')!r} is not a number")
    for dimension, allowed in DISAGGREGATIONS.items():
        cell = row.get(dimension)
        if cell is None:
            continue
        if dimension not in supported:
            check.add(row, f"{where}: the indicator is not disaggregated by {dimension}")
        elif cell not in allowed:
            check.add(row, f"{where}: {cell!r} is not a valid {dimension}")


def read_values_csv(path: Path | str, indicators: dict[str, list[str]]) -> list[dict]:
    """Rows of an indicator-values CSV, validated against ``{code: disaggregations}``."""
    check = Checker()
    rows: list[dict] = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(VALUE_COLUMNS) - set(reader.fieldnames or [])
        if missing:
            raise DataFileError(path, [Problem(1, f"missing columns: {', '.join(sorted(missing))}")])
        for number, raw in enumerate(reader, start=2):
            row = LineDict({k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()})
            row.line = number
            code = row["indicator"]
            if code not in indicators:
                check.add(row, f"unknown indicator {code!r}")
                continue
            try:
                row["value"] = float(row["value"])
            except ValueError:
                pass
            for dimension in DISAGGREGATIONS:
                row[dimension] = row.get(dimension) or None
            _check_value(check, row, f"indicator {code}", indicators[code], None)
            if row["reported_on"]:
                row["reported_on"] = check.date(row, "reported_on", f"indicator {code}")
            else:
                row["reported_on"] = None
            rows.append(row)
    if check.problems:
        raise DataFileError(path, check.problems)
    return rows


def iter_indicators(plan_doc: dict) -> Iterable[tuple[dict, dict, dict | None]]:
    """``(indicator, objective, measure_or_None)`` for every indicator of a plan file."""
    for axis in plan_doc.get("axes") or []:
        for objective in axis.get("objectives") or []:
            for indicator in objective.get("indicators") or []:
                yield indicator, objective, None
            for measure in objective.get("measures") or []:
                for indicator in measure.get("indicators") or []:
                    yield indicator, objective, measure


def check_file(path: Path | str, entity_acronyms: set[str]) -> list[Problem]:
    """Validate any data file by its shape; used by ``python -m dashboard check-data``."""
    path = Path(path)
    if path.suffix == ".csv":
        raise ValueError("indicator-value CSV files are checked together with their plan")
    try:
        doc = read_yaml(path)
    except DataFileError as exc:
        return exc.problems
    validate_domain_file = _domain_validators().get(path.name)
    if validate_domain_file is not None:
        return validate_domain_file(doc, entity_acronyms, path)
    if isinstance(doc, dict) and "axes" in doc:
        return validate_plan(doc, entity_acronyms)
    if isinstance(doc, list) and doc and isinstance(doc[0], dict) and "acronym" in doc[0]:
        return validate_entities(doc)
    if isinstance(doc, list) and doc and isinstance(doc[0], dict) and "series" in doc[0]:
        return validate_published_statistics(doc)
    if isinstance(doc, list) and doc and isinstance(doc[0], dict) and "code" in doc[0]:
        return validate_regions(doc)
    return [Problem(1, "not a plan, entities, regions or published statistics file, nor "
                       f"one of {', '.join(sorted(_domain_validators()))}")]


def _domain_validators() -> dict[str, Callable[[Any, set[str], Path], list[Problem]]]:
    """The national-system files, known by name; each domain module validates its own."""
    from . import activities, funding, organisations, regions  # they import this module

    region_codes = set(DISAGGREGATIONS["region"])

    def programme_codes(path: Path) -> set[str]:
        programmes = read_yaml(path.parent.parent / "reference" / "programmes.yaml")
        return {p["code"] for p in programmes if isinstance(p, dict) and "code" in p}

    return {
        "activities.yaml": lambda doc, acronyms, _path: activities.validate(doc, acronyms, region_codes),
        "programmes.yaml": lambda doc, acronyms, _path: funding.validate_programmes(doc, acronyms),
        "exchange_rates.yaml": lambda doc, _acronyms, _path: funding.validate_rates(doc),
        "programme_measures.yaml": lambda doc, _acronyms, path: funding.validate_measure_links(
            doc, programme_codes(path)),
        "organisations.yaml": lambda doc, acronyms, _path: organisations.validate_organisations(doc, acronyms),
        "rollout.yaml": lambda doc, _acronyms, path: regions.validate_rollout(doc, region_codes,
                                                                             demo="demo" in path.parts),
    }
