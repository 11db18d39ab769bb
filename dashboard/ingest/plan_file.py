"""The rules of the plan file, of the reference lists it refers to (entities, regions) and of the
indicator-values CSV: ``schemas`` runs them for ``check-data`` and ``load-data`` alike."""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboard.ingest.documents import (
    EntitiesFile,
    IndicatorValueRow,
    PlanFile,
    RegionsFile,
)
from dashboard.ingest.reader import (
    Checker,
    DataFileError,
    LineDict,
    Problem,
    is_number,
    is_year,
    mappings,
    node_line,
    parse_period,
    read_text,
    read_yaml,
)
from dashboard.ingest.sources import check_sources
from dashboard.ingest.validation import checked, schema_problems
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
            check_sources(check, item, where, required=False)
    return checked(EntitiesFile, doc, check.problems)


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
    return checked(RegionsFile, doc, check.problems)


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
    return checked(PlanFile, doc, check.problems)


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
    # A value's source is read on the pages: in the three languages, or none (a CSV cell holds
    # one text, so a CSV leaves it empty and the indicator's own source stands).
    source = row.get("source")
    if source is None or isinstance(source, dict):
        check.translations(row, "source", where, required=False)
    elif str(source).strip():
        check.add(row, f"{where}: the source {str(source).strip()[:60]!r} is in one language: give it as "
                       "{ar, fr, en} in the plan file, or leave a CSV's 'source' cell empty")
    if period is not None:
        key = (code, period[1], breakdown_key(cells))
        if key in seen:
            check.add(row, f"{where}: the value for {period[1]}{' ' + key[2] if key[2] else ''} is given "
                           f"twice (first on {seen[key]})")
        else:
            seen[key] = f"{file + ' ' if file else ''}line {node_line(row)}"


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
            with contextlib.suppress(ValueError):  # the schema names a value that is not a number
                row["value"] = float(row["value"])
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
    # The schema gate of the rows the rules accepted (``documents.IndicatorValueRow``).
    problems = check.problems or [problem for row in rows for problem in schema_problems(IndicatorValueRow, row)]
    if problems:
        raise DataFileError(path, problems)
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
