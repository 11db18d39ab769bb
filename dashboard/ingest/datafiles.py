"""Reading and validating the human-editable data files under ``data/``.

The plan structure is YAML (see README, "Data files"). Every mapping read here keeps
the line it started on, so ``check-data`` can point at the exact line of a problem.

``check_file`` (and ``read_plan_values`` for an indicator-values CSV) hold the one set of
rules per file: ``python -m dashboard check-data`` reports them, and ``load-data`` runs the
very same checks on every file it reads before it writes anything (``loader.check_data``).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dashboard.config import LANGUAGES
from dashboard.models import (
    DIRECTIONS,
    DISAGGREGATIONS,
    ENTITY_KINDS,
    FREQUENCIES,
    FUNDING_SOURCES,
    INDICATOR_TYPES,
    MEASURE_STATUSES,
    PRIORITIES,
    UNITS,
    breakdown_key,
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


# libyaml's parser, when PyYAML was built with it, reads the plan six times faster, with
# the same nodes and lines (only the wording of syntax errors differs).
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    # PyYAML keeps the last of two equal keys without a word: a figure would change silently.
    seen: dict = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice (first on line {seen[key]})", key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        except TypeError:  # an unhashable key: construct_mapping reports it
            continue
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


class DataFilesError(DataFileError):
    """Problems in several files: each file's report, one after the other."""

    def __init__(self, errors: list[DataFileError]):
        self.errors = errors
        self.path, self.problems = errors[0].path, errors[0].problems
        ValueError.__init__(self, "\n".join(str(error) for error in errors))


def read_text(path: Path | str) -> str:
    """A data file's text; a byte that is not UTF-8 is a problem on its line, not a crash."""
    content = Path(path).read_bytes()
    try:
        return content.decode("utf-8-sig")  # a spreadsheet's byte-order mark is tolerated
    except UnicodeDecodeError as exc:
        line = content[:exc.start].count(b"\n") + 1
        raise DataFileError(path, [Problem(line, f"byte 0x{content[exc.start]:02x} is not UTF-8 text: save the "
                                                 "file with the UTF-8 encoding")]) from None


def read_yaml(path: Path | str) -> Any:
    text = read_text(path)
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            line = mark.line + 1
            # Without the extract of the line that PyYAML appends: the line number says where.
            what = ", ".join(str(part) for part in (exc.context, exc.problem) if part)
            raise DataFileError(path, [Problem(line, f"not valid YAML: {what} (column {mark.column + 1})")]) from exc
        if isinstance(getattr(exc, "position", None), int):  # a character YAML does not allow
            line = text[:exc.position].count("\n") + 1
        else:
            line = 0
        raise DataFileError(path, [Problem(line, f"not valid YAML: {str(exc).splitlines()[0]}")]) from exc


def is_number(value: Any) -> bool:
    """A finite int or float: not a boolean, not NaN or infinity (YAML's .nan, .inf)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def is_year(value: Any, first: int = 1900, last: int = 2100) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and first <= value <= last


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
            if isinstance(code, str) and code not in DISAGGREGATIONS["region"]:
                check.add(item, f"region {code}: unknown region code (expected MA-01 to MA-12)")
            check.translations(item, "name", f"region {code}")
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
    values: dict[tuple, int] = {}  # (indicator, period, breakdown) -> line
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
                _check_indicator(check, indicator, indicator_codes, entity_acronyms, years, values)
            for measure in mappings(check, objective, "measures", "measure"):
                _check_measure(check, measure, codes, entity_acronyms, implementation_years)
                for indicator in mappings(check, measure, "indicators", "indicator"):
                    _check_indicator(check, indicator, indicator_codes, entity_acronyms, years, values)
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
    if not is_number(progress) or not 0 <= progress <= 100:
        check.add(m, f"{where}: 'progress' must be a number from 0 to 100, not {progress!r}")
    elif status == "completed" and progress != 100:
        check.add(m, f"{where}: a completed measure must have progress 100")
    check.choice(m, "priority", PRIORITIES, where, default="medium")
    check.choice(m, "funding", FUNDING_SOURCES, where, default="to_be_determined")
    weight = m.get("weight", 1)
    if not is_number(weight) or weight < 0:
        check.add(m, f"{where}: 'weight' must be a positive number")
    budget = m.get("budget_mad")
    if budget is not None and (not is_number(budget) or budget < 0):
        check.add(m, f"{where}: 'budget_mad' must be an amount in MAD or null")
    last_updated = check.date(m, "last_updated", where)
    for event in mappings(check, m, "history", "history entry"):
        when = check.date(event, "date", f"{where} history")
        check.choice(event, "status", MEASURE_STATUSES, f"{where} history")
        event_progress = event.get("progress")
        if not is_number(event_progress) or not 0 <= event_progress <= 100:
            check.add(event, f"{where} history: 'progress' must be a number from 0 to 100, not {event_progress!r}")
        if when and last_updated and when > last_updated:
            check.add(event, f"{where}: history date {when} is after last_updated")


def _check_indicator(
    check: Checker, ind: dict, codes: dict, entities: set[str], plan_years: set[int],
    values: dict[tuple, int],
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
        isinstance(baseline, dict) and is_number(baseline.get("value"))
        and (baseline.get("year") is None or is_year(baseline.get("year")))
    ):
        check.add(ind, f"{where}: 'baseline' must be null or {{value: ..., year: ...}}")
    targets = ind.get("targets") or {}
    if not isinstance(targets, dict):
        check.add(ind, f"{where}: 'targets' must map years to values")
        targets = {}
    for year, value in targets.items():
        if year not in plan_years:
            check.add(targets, f"{where}: target year {year} is outside the plan")
        if not is_number(value):
            check.add(targets, f"{where}: target for {year} must be a number")
    supported = ind.get("disaggregations") or []
    if not isinstance(supported, list):
        check.add(ind, f"{where}: 'disaggregations' must be a list")
        supported = []
    for dimension in supported:
        if dimension not in DISAGGREGATIONS:
            check.add(ind, f"{where}: unknown disaggregation {dimension!r}")
    rules = IndicatorRules.of(ind, plan_years)
    for value in mappings(check, ind, "values", "value"):
        _check_value(check, value, where, rules, values, code)


# Periods an indicator of each frequency may report (its year's total is always allowed);
# the value form of the app applies the same (``submissions.ALLOWED_PERIODS``).
PERIOD_PARTS = {
    "annual": ("",),
    "semiannual": ("", "S1", "S2"),
    "quarterly": ("", "Q1", "Q2", "Q3", "Q4"),
}
# Published figures may predate the plan: that many years before it are accepted too.
YEARS_BEFORE_PLAN = 10


def accepted_years(plan_years: Iterable[int], today: dt.date | None = None) -> frozenset[int]:
    """Years a value may be for: the plan's and the ten before it, none after this year."""
    plan_years = set(plan_years) or {2023}
    first = min(plan_years) - YEARS_BEFORE_PLAN
    last = (today or dt.date.today()).year
    return frozenset(year for year in range(first, max(plan_years) + 1) if year <= last)


@dataclass(frozen=True)
class IndicatorRules:
    """What a value of one indicator may be; ``None`` leaves a rule out (only in old callers)."""

    disaggregations: tuple[str, ...] = ()
    unit: str | None = None
    frequency: str | None = None
    years: frozenset[int] | None = None

    @classmethod
    def of(cls, indicator: Mapping, plan_years: Iterable[int]) -> IndicatorRules:
        """The rules of an indicator of a plan file."""
        supported = indicator.get("disaggregations") or []
        return cls(tuple(supported) if isinstance(supported, list) else (), indicator.get("unit"),
                   indicator.get("frequency", "annual"), accepted_years(plan_years))


def plan_years(doc: Any) -> set[int]:
    """The years of a plan file's plans (all of them: values may be for any)."""
    years: set[int] = set()
    for plan in (doc.get("plans") or []) if isinstance(doc, dict) else []:
        start, end = (plan.get("start_year"), plan.get("end_year")) if isinstance(plan, dict) else (None, None)
        if is_year(start) and is_year(end) and start <= end:
            years.update(range(start, end + 1))
    return years


def indicator_rules(doc: Any) -> dict[str, IndicatorRules]:
    """``{code: rules}`` of every indicator of a plan file."""
    years = plan_years(doc)
    return {indicator["code"]: IndicatorRules.of(indicator, years)
            for indicator, _objective, _measure in iter_indicators(doc)
            if isinstance(indicator, dict) and isinstance(indicator.get("code"), str)}


def _check_value(
    check: Checker, row: dict, where: str, rules: IndicatorRules, seen: dict[tuple, str], code: str,
    file: str = "",
) -> None:
    """One value of an indicator, from the plan file or a CSV; ``seen`` finds it given twice."""
    period = parse_period(row.get("period"))
    if period is None:
        check.add(row, f"{where}: period {row.get('period')!r} is not like 2024, 2024-S1 or 2024-Q3")
    elif rules.years is not None and period[0] not in rules.years:
        last = max(rules.years, default=period[0])
        check.add(row, f"{where}: period {period[1]} is outside the years the plan accepts "
                       f"({min(rules.years, default=last)} to {last})")
    elif rules.frequency in PERIOD_PARTS and period[1][5:] not in PERIOD_PARTS[rules.frequency]:
        check.add(row, f"{where}: period {period[1]} is finer than the indicator's frequency ({rules.frequency})")
    value = row.get("value")
    if not is_number(value):
        check.add(row, f"{where}: value {value!r} is not a number")
    elif value < 0:
        check.add(row, f"{where}: value {value!r} is negative")
    elif rules.unit == "percent" and value > 100:
        check.add(row, f"{where}: value {value!r} is a percentage above 100")
    elif rules.unit == "number" and value != int(value):
        check.add(row, f"{where}: value {value!r} is a count, so a whole number")
    cells = {}
    for dimension, allowed in DISAGGREGATIONS.items():
        cell = row.get(dimension)
        if cell is None:
            continue
        cells[dimension] = str(cell)
        if dimension not in rules.disaggregations:
            check.add(row, f"{where}: the indicator is not disaggregated by {dimension}")
        elif cell not in allowed:
            check.add(row, f"{where}: {cell!r} is not a valid {dimension}")
    if period is not None:
        key = (code, period[1], breakdown_key(cells))
        if key in seen:
            check.add(row, f"{where}: the value for {period[1]}{' ' + key[2] if key[2] else ''} is given "
                           f"twice (first on {seen[key]})")
        else:
            seen[key] = f"{file + ' ' if file else ''}line {_line(row)}"


def read_values_csv(path: Path | str, indicators: Mapping[str, IndicatorRules | list[str]],
                    seen: dict[tuple, str] | None = None) -> list[dict]:
    """Rows of an indicator-values CSV, validated against ``{code: rules}``; ``seen`` holds the
    values the plan file gives already (``read_plan_values``).

    A plain list of disaggregations stands for rules without unit, frequency or years."""
    rules = {code: r if isinstance(r, IndicatorRules) else IndicatorRules(tuple(r or ()))
             for code, r in indicators.items()}
    seen = {} if seen is None else seen
    check = Checker()
    rows: list[dict] = []
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    try:
        header = reader.fieldnames or []
        missing = set(VALUE_COLUMNS) - set(header)
        if missing:
            raise DataFileError(path, [Problem(1, f"missing columns: {', '.join(sorted(missing))}")])
        unknown = [name for name in header if name not in VALUE_COLUMNS]
        if unknown or len(header) != len(set(header)):
            raise DataFileError(path, [Problem(1, "the columns must be exactly "
                                                  f"{','.join(VALUE_COLUMNS)}, not {','.join(header)}")])
        for raw in reader:
            row = LineDict({k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items() if k is not None})
            row.line = reader.line_num
            if None in raw or None in raw.values():  # csv pairs up extra fields under None, or misses some
                fields = sum(isinstance(v, str) for k, v in raw.items() if k is not None) + len(raw.get(None) or [])
                check.add(row, f"{fields} fields where the header has {len(VALUE_COLUMNS)} columns")
                continue
            code = row["indicator"]
            if code not in rules:
                check.add(row, f"unknown indicator {code!r}")
                continue
            try:
                row["value"] = float(row["value"])
            except ValueError:
                pass
            for dimension in DISAGGREGATIONS:
                row[dimension] = row.get(dimension) or None
            _check_value(check, row, f"indicator {code}", rules[code], seen, code)
            if row["reported_on"]:
                row["reported_on"] = check.date(row, "reported_on", f"indicator {code}")
            else:
                row["reported_on"] = None
            rows.append(row)
    except csv.Error as exc:
        raise DataFileError(path, check.problems + [Problem(reader.line_num, f"not a valid CSV line: {exc}")]) from None
    if check.problems:
        raise DataFileError(path, check.problems)
    return rows


def read_plan_values(plan_path: Path | str, values_path: Path | str) -> list[dict]:
    """The rows of an indicator-values CSV checked against its plan file: the indicator's
    disaggregations, unit, frequency and the plan's years, and no value given twice, in the
    CSV or already in the plan. ``check-data PLAN --values CSV`` and ``load-data`` call it."""
    doc = read_yaml(plan_path)
    seen: dict[tuple, str] = {}
    ignored = Checker()  # the plan's own problems are check_file's to report
    years = plan_years(doc)
    for indicator, _objective, _measure in iter_indicators(doc):
        if isinstance(indicator, dict):
            for value in indicator.get("values") or []:
                if isinstance(value, dict):
                    _check_value(ignored, value, "", IndicatorRules.of(indicator, years), seen,
                                 indicator.get("code"), Path(plan_path).name)
    return read_values_csv(values_path, indicator_rules(doc), seen)


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
    """Every problem of a data file, known by its name or else by its shape.

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
    validate_named_file = _named_validators().get(path.name)
    if validate_named_file is not None:
        return sorted(validate_named_file(doc, entity_acronyms, path))
    if isinstance(doc, dict) and "axes" in doc:
        return validate_plan(doc, entity_acronyms)
    if isinstance(doc, list) and doc and isinstance(doc[0], dict) and "acronym" in doc[0]:
        return validate_entities(doc)
    if isinstance(doc, list) and doc and isinstance(doc[0], dict) and "series" in doc[0]:
        return sorted(_statistics(doc, entity_acronyms, path))
    if isinstance(doc, list) and doc and isinstance(doc[0], dict) and "code" in doc[0]:
        return validate_regions(doc)
    return [Problem(1, "not a plan, entities, regions or published statistics file, nor "
                       f"one of {', '.join(sorted(_named_validators()))}")]


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
    from dashboard.national import statistics  # it imports this module

    published = _reference_doc(path, statistics.REFERENCE_FILE.name) if _is_demo_layer(path) else None
    return statistics.validate(doc, acronyms, published)


def _named_validators() -> dict[str, Callable[[Any, set[str], Path], list[Problem]]]:
    """The files known by name (those ``load-data`` reads), whatever their content looks
    like; each domain module validates its own."""
    from dashboard.national import activities, funding, organisations, regions  # they import this module

    region_codes = set(DISAGGREGATIONS["region"])

    def programme_codes(path: Path) -> set[str]:
        programmes = _reference_doc(path, "programmes.yaml") or []
        return {p["code"] for p in programmes if isinstance(p, dict) and "code" in p}

    def taken_codes(path: Path) -> set[str]:
        if not _is_demo_layer(path):
            return set()
        reference = _reference_doc(path, "organisations.yaml") or []
        return {o["code"] for o in reference if isinstance(o, dict) and isinstance(o.get("code"), str)}

    return {
        "activities.yaml": lambda doc, acronyms, _path: activities.validate(doc, acronyms, region_codes),
        "programmes.yaml": lambda doc, acronyms, _path: funding.validate_programmes(doc, acronyms),
        "exchange_rates.yaml": lambda doc, _acronyms, _path: funding.validate_rates(doc),
        "programme_measures.yaml": lambda doc, _acronyms, path: funding.validate_measure_links(
            doc, programme_codes(path)),
        "organisations.yaml": lambda doc, acronyms, path: organisations.validate_organisations(
            doc, acronyms, taken_codes(path)),
        "rollout.yaml": lambda doc, _acronyms, path: regions.validate_rollout(doc, region_codes,
                                                                             demo=_is_demo_layer(path)),
        "published_statistics.yaml": _statistics,
        "statistics.yaml": _statistics,
        "entities.yaml": lambda doc, _acronyms, _path: validate_entities(doc),
        "regions.yaml": lambda doc, _acronyms, _path: validate_regions(doc),
        "plan.yaml": lambda doc, acronyms, _path: validate_plan(doc, acronyms),
    }
