"""``check-data`` validation (dashboard/ingest/datafiles.py): each problem with its exact line.

Broken plans are copies of tests/fixtures/plan_small.yaml with one edit, written to
tmp_path; expected line numbers are looked up in the edited text, so every assertion
names the exact line and message the user would read.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from dashboard.devtools.testing import DashClient
from dashboard.ingest import datafiles
from dashboard.ingest.datafiles import DataFileError, Problem, check_file, read_values_csv
from helpers import DATA_DIR, PLAN_SMALL

ENTITIES = DATA_DIR / "reference" / "entities.yaml"
REGIONS = DATA_DIR / "reference" / "regions.yaml"
SHIPPED_PLAN = DATA_DIR / "plan" / "plan.yaml"
SHIPPED_VALUES = DATA_DIR / "demo" / "indicator_values.csv"
FIXTURE_TEXT = PLAN_SMALL.read_text(encoding="utf-8")
ACRONYMS = {entity["acronym"] for entity in datafiles.read_yaml(ENTITIES)}
CSV_HEADER = ",".join(datafiles.VALUE_COLUMNS)


def line_of(text: str, needle: str, after: str | None = None, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th ``needle``, searching from ``after``."""
    position = text.index(needle, text.index(after) if after else 0)
    for _ in range(occurrence - 1):
        position = text.index(needle, position + 1)
    return text.count("\n", 0, position) + 1


def broken_plan(tmp_path: Path, old: str, new: str, after: str | None = None) -> tuple[Path, str]:
    """A copy of the fixture plan with the first ``old`` (after ``after``) replaced."""
    start = FIXTURE_TEXT.index(after) if after else 0
    at = FIXTURE_TEXT.index(old, start)
    text = FIXTURE_TEXT[:at] + new + FIXTURE_TEXT[at + len(old):]
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def problems_of(path: Path) -> list[str]:
    return [str(problem) for problem in check_file(path, ACRONYMS)]


# --- files that must validate -----------------------------------------------------------


def test_fixture_plan_is_valid():
    assert problems_of(PLAN_SMALL) == []


@pytest.mark.parametrize("path", [ENTITIES, REGIONS], ids=["entities.yaml", "regions.yaml"])
def test_shipped_reference_files_are_valid(path):
    assert problems_of(path) == []


def test_shipped_reference_files_are_complete():
    assert len(ACRONYMS) == len(datafiles.read_yaml(ENTITIES))
    assert {"CNCLTEH", "MJ", "PMP", "IOM"} <= ACRONYMS
    regions = {region["code"] for region in datafiles.read_yaml(REGIONS)}
    assert regions == {f"MA-{n:02d}" for n in range(1, 13)}


@pytest.mark.skipif(not SHIPPED_PLAN.exists(), reason="data/plan/plan.yaml is not shipped")
def test_shipped_plan_and_demo_values_are_valid():
    assert problems_of(SHIPPED_PLAN) == []
    if SHIPPED_VALUES.exists():
        doc = datafiles.read_yaml(SHIPPED_PLAN)
        supported = {i["code"]: i.get("disaggregations") or [] for i, _o, _m in datafiles.iter_indicators(doc)}
        rows = read_values_csv(SHIPPED_VALUES, supported)
        assert rows, "the demo values file is empty"


# --- duplicate codes --------------------------------------------------------------------


def test_duplicate_measure_code(tmp_path):
    path, text = broken_plan(tmp_path, "code: A1.O1.M2", "code: A1.O1.M1")
    first = line_of(text, "- code: A1.O1.M1")
    second = line_of(text, "- code: A1.O1.M1", occurrence=2)
    assert first < second
    assert problems_of(path) == [
        f"line {second}: duplicate measure code 'A1.O1.M1' (first used on line {first})"
    ]


def test_duplicate_indicator_code(tmp_path):
    path, text = broken_plan(tmp_path, "code: IND-02", "code: IND-01")
    first = line_of(text, "- code: IND-01")
    second = line_of(text, "- code: IND-01", occurrence=2)
    assert problems_of(path) == [
        f"line {second}: duplicate indicator code 'IND-01' (first used on line {first})"
    ]


def test_duplicate_axis_code(tmp_path):
    path, text = broken_plan(tmp_path, "- code: A2\n", "- code: A1\n")
    first = line_of(text, "- code: A1\n")
    second = line_of(text, "- code: A1\n", occurrence=2)
    assert problems_of(path) == [
        f"line {second}: duplicate axis code 'A1' (first used on line {first})"
    ]


def test_objective_code_reused_by_a_measure(tmp_path):
    path, text = broken_plan(tmp_path, "code: A2.O2.M1", "code: A2.O2")
    first = line_of(text, "- code: A2.O2\n")
    second = line_of(text, "- code: A2.O2\n", occurrence=2)
    assert problems_of(path) == [
        f"line {second}: duplicate measure code 'A2.O2' (first used on line {first})"
    ]


# --- translations -----------------------------------------------------------------------


def test_missing_french_name_of_a_measure(tmp_path):
    path, text = broken_plan(tmp_path, "fr: Campagne de sensibilisation, ", "")
    line = line_of(text, "en: Awareness campaign}")
    assert problems_of(path) == [f"line {line}: measure A1.O1.M1: 'name' has no fr translation"]


def test_blank_arabic_name_of_an_axis(tmp_path):
    path, text = broken_plan(tmp_path, "ar: الحماية", 'ar: "  "')
    line = line_of(text, "en: Protection}")
    assert problems_of(path) == [f"line {line}: axis A2: 'name' has no ar translation"]


def test_missing_name_of_an_indicator(tmp_path):
    path, text = broken_plan(
        tmp_path, "\n                name: {ar: عدد المستفيدين, fr: Personnes formées, en: People trained}", ""
    )
    line = line_of(text, "- code: IND-02")
    assert problems_of(path) == [
        f"line {line}: indicator IND-02: 'name' is missing (needs ar, fr and en)"
    ]


# --- years ------------------------------------------------------------------------------


def test_target_year_outside_the_plan(tmp_path):
    path, text = broken_plan(tmp_path, "2025: 400", "2031: 400", after="code: IND-02")
    line = line_of(text, "targets: {2024: 200, 2031: 400}")
    assert problems_of(path) == [f"line {line}: indicator IND-02: target year 2031 is outside the plan"]


def test_measure_year_outside_the_implementation_plan(tmp_path):
    path, text = broken_plan(tmp_path, "years: [2026]", "years: [2027]", after="code: A2.O2.M1")
    line = line_of(text, "- code: A2.O2.M1")
    assert problems_of(path) == [
        f"line {line}: measure A2.O2.M1: year 2027 is outside the implementation plan"
    ]


def test_measure_year_outside_its_dates(tmp_path):
    path, text = broken_plan(tmp_path, "years: [2024]", "years: [2024, 2025]", after="code: A1.O1.M1")
    line = line_of(text, "- code: A1.O1.M1")
    assert problems_of(path) == [
        f"line {line}: measure A1.O1.M1: year 2025 is outside its dates (2024-01-01 to 2024-12-31)"
    ]


def test_end_before_start(tmp_path):
    path, text = broken_plan(tmp_path, "end: 2024-12-31", "end: 2023-12-31", after="code: A1.O1.M1")
    line = line_of(text, "- code: A1.O1.M1")
    assert problems_of(path) == [
        f"line {line}: measure A1.O1.M1: 'end' (2023-12-31) is before 'start' (2024-01-01)",
        f"line {line}: measure A1.O1.M1: year 2024 is outside its dates (2024-01-01 to 2023-12-31)",
    ]


# --- measure fields, all reported on the measure's first line ---------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param("lead: MJ", "lead: NOPE", "unknown lead entity 'NOPE'", id="unknown-lead"),
        pytest.param("partners: [COE]", "partners: [COE, XYZ]", "unknown partner entity 'XYZ'",
                     id="unknown-partner"),
        pytest.param("partners: [COE]", "partners: [COE, MJ]",
                     "the lead entity MJ is also listed as a partner", id="lead-also-partner"),
        pytest.param("progress: 30", "progress: 120",
                     "'progress' must be a number from 0 to 100, not 120", id="progress-over-100"),
        pytest.param("progress: 30", "progress: -5",
                     "'progress' must be a number from 0 to 100, not -5", id="progress-negative"),
        pytest.param("progress: 30", "progress: half",
                     "'progress' must be a number from 0 to 100, not 'half'", id="progress-not-a-number"),
        pytest.param("status: in_progress", "status: finished",
                     "'status' is 'finished', expected one of not_started, in_progress, completed, "
                     "delayed, suspended, cancelled", id="unknown-status"),
        pytest.param("priority: medium", "priority: urgent",
                     "'priority' is 'urgent', expected one of high, medium, low", id="unknown-priority"),
        pytest.param("funding: partner", "funding: donors",
                     "'funding' is 'donors', expected one of state_budget, partner, mixed, to_be_determined",
                     id="unknown-funding"),
        pytest.param("weight: 1", "weight: -1", "'weight' must be a positive number", id="negative-weight"),
        pytest.param("budget_mad: null", "budget_mad: -10",
                     "'budget_mad' must be an amount in MAD or null", id="negative-budget"),
        pytest.param("start: 2025-01-01", 'start: "2025-13-01"',
                     "'start' must be a date like 2024-06-30, not '2025-13-01'", id="invalid-quoted-date"),
        pytest.param("start: 2025-01-01", "start: soon",
                     "'start' must be a date like 2024-06-30, not 'soon'", id="not-a-date"),
        pytest.param("years: [2025, 2026]", "years: []", "'years' is empty", id="no-years"),
    ],
)
def test_measure_field_problem(tmp_path, old, new, message):
    path, text = broken_plan(tmp_path, old, new, after="code: A1.O1.M2")
    line = line_of(text, "- code: A1.O1.M2")
    assert problems_of(path) == [f"line {line}: measure A1.O1.M2: {message}"]


def test_completed_measure_with_progress_below_100(tmp_path):
    path, text = broken_plan(tmp_path, "progress: 100", "progress: 90", after="code: A1.O1.M1")
    line = line_of(text, "- code: A1.O1.M1")
    assert problems_of(path) == [f"line {line}: measure A1.O1.M1: a completed measure must have progress 100"]


def test_history_after_last_update(tmp_path):
    path, text = broken_plan(tmp_path, "date: 2024-06-30", "date: 2025-06-30")
    line = line_of(text, "- {date: 2025-06-30")
    assert problems_of(path) == [f"line {line}: measure A1.O1.M1: history date 2025-06-30 is after last_updated"]


def test_several_problems_are_all_reported_in_line_order(tmp_path):
    path, text = broken_plan(tmp_path, "lead: MJ", "lead: NOPE", after="code: A1.O1.M2")
    text = text.replace("lead: PMP", "lead: GHOST")
    path.write_text(text, encoding="utf-8")
    assert problems_of(path) == [
        f"line {line_of(text, '- code: A1.O1.M2')}: measure A1.O1.M2: unknown lead entity 'NOPE'",
        f"line {line_of(text, '- code: A2.O2.M1')}: measure A2.O2.M1: unknown lead entity 'GHOST'",
    ]


# --- YAML syntax --------------------------------------------------------------------------


def test_invalid_yaml_reports_its_line(tmp_path):
    path, text = broken_plan(tmp_path, "priority: medium", "priority: medium: high", after="code: A1.O1.M2")
    line = line_of(text, "priority: medium: high")
    problems = check_file(path, ACRONYMS)
    assert len(problems) == 1
    assert problems[0].line == line
    # PyYAML's own parser says "... allowed here", libyaml's "... allowed in this context".
    assert problems[0].message.startswith("not valid YAML: mapping values are not allowed")


def test_unquoted_impossible_date_is_reported_with_its_line(tmp_path):
    path, text = broken_plan(tmp_path, "start: 2025-01-01", "start: 2025-13-01")
    problems = check_file(path, ACRONYMS)
    assert [p.line for p in problems] == [line_of(text, "start: 2025-13-01")]


def test_read_yaml_raises_with_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("- acronym: MJ\n  kind: ministry\n - acronym: MI\n", encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        datafiles.read_yaml(path)
    assert [p.line for p in raised.value.problems] == [3]
    assert str(raised.value).startswith(f"{path}: 1 problem(s)\n  line 3: not valid YAML")


# --- indicators and their values ----------------------------------------------------------


def test_unknown_disaggregation(tmp_path):
    path, text = broken_plan(tmp_path, "disaggregations: [sex]", "disaggregations: [sex, religion]",
                             after="code: IND-02")
    line = line_of(text, "- code: IND-02")
    assert problems_of(path) == [f"line {line}: indicator IND-02: unknown disaggregation 'religion'"]


def test_unknown_responsible_entity(tmp_path):
    path, text = broken_plan(tmp_path, "responsible: PMP", "responsible: NOBODY")
    line = line_of(text, "- code: IND-01")
    assert problems_of(path) == [f"line {line}: indicator IND-01: unknown responsible entity 'NOBODY'"]


def test_value_with_a_disaggregation_the_indicator_does_not_support(tmp_path):
    path, text = broken_plan(tmp_path, 'value: 120,', "value: 120, age_group: child,")
    line = line_of(text, "age_group: child")
    assert problems_of(path) == [
        f"line {line}: indicator IND-01: the indicator is not disaggregated by age_group"
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param("nationality: foreign", "nationality: martian",
                     "'martian' is not a valid nationality", id="invalid-cell"),
        pytest.param('period: "2024", value: 2,', 'period: "2024-H1", value: 2,',
                     "period '2024-H1' is not like 2024, 2024-S1 or 2024-Q3", id="invalid-period"),
        pytest.param("value: 2,", "value: two,", "value 'two' is not a number", id="value-not-a-number"),
    ],
)
def test_invalid_inline_value(tmp_path, old, new, message):
    path, text = broken_plan(tmp_path, old, new)
    line = line_of(text, new)
    assert problems_of(path) == [f"line {line}: indicator IND-01: {message}"]


def test_value_year_outside_the_accepted_years(tmp_path):
    path, text = broken_plan(tmp_path, 'period: "2023", value: 120', 'period: "1990", value: 120')
    assert [p.line for p in check_file(path, ACRONYMS)] == [line_of(text, 'period: "1990"')]


def test_measure_that_is_not_a_mapping(tmp_path):
    path, text = broken_plan(tmp_path, "          - code: A2.O2.M1",
                             "          - just a string\n          - code: A2.O2.M1")
    assert [p.line for p in check_file(path, ACRONYMS)] == [line_of(text, "- just a string")]


def write_csv(tmp_path: Path, *lines: str, header: str = CSV_HEADER) -> Path:
    path = tmp_path / "values.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


SUPPORTED = {"IND-01": ["sex", "nationality"], "IND-02": ["sex"]}


def test_values_csv_reports_each_bad_row_with_its_line(tmp_path):
    path = write_csv(
        tmp_path,
        "IND-01,2024,140,,,,,,2025-01-15,",
        "IND-99,2024,5,,,,,,,",
        "IND-01,2023,abc,,,,,,,",
        "IND-02,2024,3,,child,,,,,",
        "IND-01,2024-H1,3,,,,,,,",
        "IND-01,2025,3,,,,,,31/12/2024,",
        "IND-02,2024,3,other,,,,,,",
    )
    with pytest.raises(DataFileError) as raised:
        read_values_csv(path, SUPPORTED)
    assert raised.value.path == str(path)
    assert [str(p) for p in raised.value.problems] == [
        "line 3: unknown indicator 'IND-99'",
        "line 4: indicator IND-01: value 'abc' is not a number",
        "line 5: indicator IND-02: the indicator is not disaggregated by age_group",
        "line 6: indicator IND-01: period '2024-H1' is not like 2024, 2024-S1 or 2024-Q3",
        "line 7: indicator IND-01: 'reported_on' must be a date like 2024-06-30, not '31/12/2024'",
        "line 8: indicator IND-02: 'other' is not a valid sex",
    ]


def test_values_csv_with_missing_columns(tmp_path):
    path = write_csv(tmp_path, "IND-01,2024,140", header="indicator,period,value")
    with pytest.raises(DataFileError) as raised:
        read_values_csv(path, SUPPORTED)
    assert raised.value.problems == [
        Problem(1, "missing columns: age_group, exploitation_form, nationality, region, "
                   "reported_on, sex, source")
    ]


def test_valid_values_csv_is_parsed(tmp_path):
    path = write_csv(
        tmp_path,
        "IND-01,2024,140,,,,,,2025-01-15,",
        "IND-01,2024-S1, 60.5 ,female,,moroccan,,,,",
    )
    rows = read_values_csv(path, SUPPORTED)
    assert [(r["indicator"], r["period"], r["value"], r["sex"], r["nationality"]) for r in rows] == [
        ("IND-01", "2024", 140.0, None, None),
        ("IND-01", "2024-S1", 60.5, "female", "moroccan"),
    ]
    assert [str(r["reported_on"]) for r in rows] == ["2025-01-15", "None"]
    assert [r.line for r in rows] == [2, 3]


RULES = datafiles.indicator_rules(datafiles.read_yaml(PLAN_SMALL))


@pytest.mark.parametrize(("row", "message"), [
    ("IND-01,2025,nan,,,,,,,", "indicator IND-01: value nan is not a number"),
    ("IND-01,2025,NaN,,,,,,,", "indicator IND-01: value nan is not a number"),
    ("IND-01,2025,inf,,,,,,,", "indicator IND-01: value inf is not a number"),
    ("IND-01,2025,-infinity,,,,,,,", "indicator IND-01: value -inf is not a number"),
    ("IND-01,2025,-1,,,,,,,", "indicator IND-01: value -1.0 is negative"),
    ("IND-01,2025,2.5,,,,,,,", "indicator IND-01: value 2.5 is a count, so a whole number"),
    ("IND-01,2099,5,,,,,,,", ("indicator IND-01: period 2099 is outside the years the plan accepts "
                                   "(2013 to 2026)")),
    ("IND-01,2012,5,,,,,,,", ("indicator IND-01: period 2012 is outside the years the plan accepts "
                                   "(2013 to 2026)")),
    ("IND-01,2025-S1,5,,,,,,,", ("indicator IND-01: period 2025-S1 is finer than the indicator's "
                                      "frequency (annual)")),
    ("IND-01,2024,5,,,,,,,", "indicator IND-01: the value for 2024 is given twice (first on line 2)"),
    ("IND-01,2025,5,,,,,,,,extra", "11 fields where the header has 10 columns"),
    ("IND-01,2025,5", "3 fields where the header has 10 columns"),
])
def test_values_csv_rules(tmp_path, row, message):
    path = write_csv(tmp_path, "IND-01,2024,140,,,,,,2025-01-15,", row)
    with pytest.raises(DataFileError) as raised:
        read_values_csv(path, RULES)
    assert [str(p) for p in raised.value.problems] == [f"line 3: {message}"]


def test_the_rules_come_from_the_plan(tmp_path):
    assert RULES["IND-01"] == datafiles.IndicatorRules(
        ("sex", "nationality"), "number", "annual", frozenset(range(2013, 2027)))
    # A year after this one is refused even within the plan: no value exists for it yet.
    assert datafiles.accepted_years({2023, 2030}, dt.date(2026, 5, 1)) == frozenset(range(2013, 2027))


def test_a_percentage_cannot_pass_100(tmp_path):
    rules = {"IND-P": datafiles.IndicatorRules((), "percent", "quarterly", frozenset({2024}))}
    path = write_csv(tmp_path, "IND-P,2024-Q2,100,,,,,,,", "IND-P,2024-Q3,100.5,,,,,,,", "IND-P,2024-S1,5,,,,,,,")
    with pytest.raises(DataFileError) as raised:
        read_values_csv(path, rules)
    assert [str(p) for p in raised.value.problems] == [
        "line 3: indicator IND-P: value 100.5 is a percentage above 100",
        "line 4: indicator IND-P: period 2024-S1 is finer than the indicator's frequency (quarterly)",
    ]


def test_a_cell_given_twice_is_refused_but_other_cells_are_not(tmp_path):
    path = write_csv(tmp_path, "IND-01,2024,138,,,moroccan,,,,", "IND-01,2024,2,,,foreign,,,,",
                     "IND-01,2024,3,,,moroccan,,,,")
    with pytest.raises(DataFileError) as raised:
        read_values_csv(path, RULES)
    assert [str(p) for p in raised.value.problems] == [
        "line 4: indicator IND-01: the value for 2024 nationality=moroccan is given twice (first on line 2)"]


def test_values_csv_header_must_be_the_columns_exactly(tmp_path):
    path = write_csv(tmp_path, "IND-01,2024,140,,,,,,,Report,1", header=CSV_HEADER + ",value")
    with pytest.raises(DataFileError) as raised:
        read_values_csv(path, RULES)
    assert [p.line for p in raised.value.problems] == [1]
    assert raised.value.problems[0].message.startswith("the columns must be exactly indicator,period,value,")


def test_values_csv_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "values.csv"
    path.write_bytes(f"{CSV_HEADER}\nIND-01,2024,140,,,,,,,Report\nIND-01,2025,1,,,,,,,R\xe9sum\xe9\n".encode("latin-1"))
    with pytest.raises(DataFileError) as raised:
        read_values_csv(path, RULES)
    assert [str(p) for p in raised.value.problems] == [
        "line 3: byte 0xe9 is not UTF-8 text: save the file with the UTF-8 encoding"]


def test_values_csv_from_a_spreadsheet_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(f"{CSV_HEADER}\r\nIND-01,2025,150,,,,,,,\r\n", encoding="utf-8-sig")
    assert [(r["indicator"], r["value"], r.line) for r in read_values_csv(path, RULES)] == [("IND-01", 150.0, 2)]


def test_a_csv_value_that_the_plan_gives_already_is_refused(tmp_path):
    path = write_csv(tmp_path, "IND-01,2023,5,,,,,,,")
    with pytest.raises(DataFileError) as raised:
        datafiles.read_plan_values(PLAN_SMALL, path)
    line = line_of(FIXTURE_TEXT, 'period: "2023", value: 120')
    assert [str(p) for p in raised.value.problems] == [
        f"line 2: indicator IND-01: the value for 2023 is given twice (first on plan_small.yaml line {line})"]


@pytest.mark.parametrize(("old", "new", "message"), [
    pytest.param("value: 120,", "value: .nan,", "value nan is not a number", id="nan"),
    pytest.param("value: 120,", "value: -.inf,", "value -inf is not a number", id="minus-infinity"),
    pytest.param("value: 120,", "value: true,", "value True is not a number", id="boolean"),
    pytest.param("value: 120,", "value: -120,", "value -120 is negative", id="negative"),
    pytest.param("value: 120,", "value: 120.5,", "value 120.5 is a count, so a whole number", id="fraction"),
    pytest.param('period: "2023", value: 120', 'period: "2023-Q1", value: 120',
                 "period 2023-Q1 is finer than the indicator's frequency (annual)", id="frequency"),
    pytest.param('period: "2023", value: 120', 'period: "2024", value: 120',
                 "the value for 2024 is given twice (first on line {first})", id="given-twice"),
])
def test_inline_values_follow_the_csv_rules(tmp_path, old, new, message):
    path, text = broken_plan(tmp_path, old, new)
    line, first = line_of(text, new), None
    if "twice" in message:  # the edited line comes first: the one after it is the repeat
        line, first = line_of(text, 'period: "2024", value: 140'), line
    assert problems_of(path) == [f"line {line}: indicator IND-01: {message.format(first=first)}"]


@pytest.mark.parametrize(("old", "new", "message"), [
    pytest.param("progress: 40}", "progress: .nan}", "measure A1.O1.M1 history: 'progress' must be a number "
                                                     "from 0 to 100, not nan", id="history-nan"),
    pytest.param("weight: 2", "weight: .nan", "measure A1.O1.M1: 'weight' must be a positive number", id="weight-nan"),
    pytest.param("budget_mad: 500000", "budget_mad: .inf",
                 "measure A1.O1.M1: 'budget_mad' must be an amount in MAD or null", id="budget-inf"),
    pytest.param("baseline: {value: 100, year: 2022}", "baseline: {value: .nan, year: 2022}",
                 "indicator IND-01: 'baseline' must be null or {value: ..., year: ...}", id="baseline-nan"),
    pytest.param("baseline: {value: 100, year: 2022}", "baseline: {value: 100, year: soon}",
                 "indicator IND-01: 'baseline' must be null or {value: ..., year: ...}", id="baseline-year"),
    pytest.param("targets: {2024: 150, 2026: 200}", "targets: {2024: .inf, 2026: 200}",
                 "indicator IND-01: target for 2024 must be a number", id="target-inf"),
])
def test_numbers_of_a_plan_are_finite(tmp_path, old, new, message):
    path, text = broken_plan(tmp_path, old, new)
    line = line_of(text, new) if "history" in message or "target" in message else None
    problems = problems_of(path)
    assert len(problems) == 1 and problems[0].endswith(message), problems
    if line is not None:
        assert problems[0].startswith(f"line {line}:")


def test_a_key_given_twice_in_a_yaml_mapping_is_refused(tmp_path):
    path, text = broken_plan(tmp_path, "value: 140,", "value: 140, value: 5,")
    line = line_of(text, "value: 140, value: 5,")
    [problem] = check_file(path, ACRONYMS)
    assert problem.line == line
    assert problem.message.startswith("not valid YAML: the key 'value' is given twice (first on line")


def test_a_yaml_file_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_bytes(FIXTURE_TEXT.encode("utf-8").replace(b"fr: Plan national", b"fr: Plan national \xe9"))
    line = line_of(FIXTURE_TEXT, "fr: Plan national")
    assert problems_of(path) == [f"line {line}: byte 0xe9 is not UTF-8 text: save the file with the UTF-8 encoding"]


def test_a_character_yaml_forbids_names_the_line(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(FIXTURE_TEXT.replace("fr: Plan national", "fr: Plan\x00national"), encoding="utf-8")
    [problem] = check_file(path, ACRONYMS)
    assert problem.line == line_of(FIXTURE_TEXT, "fr: Plan national")
    assert problem.message.startswith("not valid YAML: unacceptable character #x0000")


# --- reference files and file kinds -------------------------------------------------------


def test_entities_file_problems(tmp_path):
    path = tmp_path / "entities.yaml"
    path.write_text(
        "- acronym: MJ\n"                                            # 1
        "  kind: ministry\n"
        "  name: {ar: وزارة العدل, fr: Justice, en: Justice}\n"
        "- acronym: MJ\n"                                            # 4
        "  kind: ministry\n"
        "  name: {ar: وزارة العدل, fr: Justice, en: Justice}\n"
        "- acronym: XX\n"                                            # 7
        "  kind: club\n"
        "  name: {ar: نادي, en: Club}\n",                            # 9
        encoding="utf-8",
    )
    assert problems_of(path) == [
        "line 4: duplicate entity code 'MJ' (first used on line 1)",
        ("line 7: entity XX: 'kind' is 'club', expected one of head_of_government, ministry, "
        "judicial, security, national_institution, commission, civil_society, international"),
        "line 9: entity XX: 'name' has no fr translation",
    ]


def test_regions_file_problems(tmp_path):
    path = tmp_path / "regions.yaml"
    path.write_text(
        "- code: MA-01\n  name: {ar: أ, fr: A, en: A}\n"
        "- code: MA-01\n  name: {ar: ب, fr: B, en: B}\n",
        encoding="utf-8",
    )
    assert problems_of(path) == ["line 3: duplicate region code 'MA-01' (first used on line 1)"]


def test_unknown_kind_of_file(tmp_path):
    path = tmp_path / "other.yaml"
    path.write_text("title: something else\n", encoding="utf-8")
    [problem] = problems_of(path)
    assert problem.startswith("line 1: not a plan, entities, regions or published statistics file, nor one of ")
    assert "activities.yaml" in problem and "rollout.yaml" in problem


@pytest.mark.parametrize("name", ["activities.yaml", "programmes.yaml", "exchange_rates.yaml",
                                  "organisations.yaml", "rollout.yaml"])
def test_national_system_files_are_known_by_name(tmp_path, name):
    path = tmp_path / "reference" / name
    path.parent.mkdir()
    path.write_text("- {code: broken}\n", encoding="utf-8")
    problems = problems_of(path)
    assert problems and all(p.startswith("line ") for p in problems)
    assert "not a plan" not in problems[0]


def test_csv_files_are_checked_with_their_plan(tmp_path):
    with pytest.raises(ValueError, match="checked together with their plan"):
        check_file(write_csv(tmp_path), ACRONYMS)


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2024", (2024, "2024")), ("2024-S2", (2024, "2024-S2")), ("2024-Q3", (2024, "2024-Q3")),
     (2024, (2024, "2024")), ("24", None), ("2024-H1", None), ("2024-Q5", None), (None, None)],
    ids=str,
)
def test_parse_period(period, expected):
    assert datafiles.parse_period(period) == expected


def test_shipped_published_statistics_validate():
    path = DATA_DIR / "reference" / "published_statistics.yaml"
    assert check_file(path, ACRONYMS) == []


def test_published_statistic_without_source_or_with_year_and_period(tmp_path):
    path = tmp_path / "statistics.yaml"
    path.write_text(
        "sources:\n"
        "  pmp: {publisher: PMP, title: {ar: تقرير, fr: Rapport, en: Report}}\n"
        "figures:\n"
        "  - {year: 2024, series: cases_registered, value: 155, unit: count, source: pmp}\n"
        '  - {year: 2024, period: "2023-2024", series: persons_prosecuted, value: 213, unit: count, source: pmp}\n'
        "  - {year: 2021, series: victims_identified, value: 169, unit: count}\n"
        "  - {year: 2021, series: victims_identified, value: 2, unit: count, breakdown: {nationality: martian}, "
        "source: pmp}\n",
        encoding="utf-8",
    )
    problems = check_file(path, ACRONYMS)
    assert [p.line for p in problems] == [5, 6, 7]
    assert "either 'year' or 'period'" in problems[0].message
    assert "'source' must name a valid document" in problems[1].message
    assert "unknown breakdown nationality='martian'" in problems[2].message


# --- every text a reader sees, in the three languages -------------------------------------

TRILINGUAL = "{ar: نص, fr: texte, en: text}"
GOOD_SOURCE = "{publisher: CNCLTEH, title: " + TRILINGUAL + ", date: 2024-05, via: example.invalid}"


def _programme(acronym: str = "", source: str = GOOD_SOURCE) -> str:
    return (f"- code: P\n{acronym}  name: {TRILINGUAL}\n  summary: {TRILINGUAL}\n"
            f"  partners: [EU]\n  scope: morocco\n  source: {source}\n")


def _organisation(name: str = TRILINGUAL, source: str = GOOD_SOURCE) -> str:
    return (f"- code: O\n  name: {name}\n  kind: association\n  region: MA-01\n"
            f"  services: [shelter]\n  source: {source}\n")


@pytest.mark.parametrize("file,text,line,message", [
    ("programmes.yaml", _programme(source='"Commission news item"'), 1,
     "programme P: 'source' must give its parts (publisher, title in ar, fr and en, date, via), not one sentence"),
    ("programmes.yaml", _programme(source="{title: {ar: نص, en: text}}"), 6, "the source's title needs fr"),
    ("programmes.yaml", _programme(source="[" + GOOD_SOURCE + ", {title: {en: text}}]"), 6,
     "the source's title needs ar, fr"),
    ("programmes.yaml", _programme(acronym='  acronym: "EU support"\n'), 1,
     "'acronym' must be a name the same in every language, marked {proper: ...}"),
    ("organisations.yaml", _organisation(name="{en: Only English}"), 2, "'name' has no ar translation"),
    ("organisations.yaml", _organisation(name='"Amal"'), 1,
     "'name' must be a mapping with ar, fr and en (or {proper: ...} for a proper name)"),
    ("organisations.yaml", _organisation(source='""'), 1, "'source' is missing"),
    ("exchange_rates.yaml", "- {currency: EUR, mad_per_unit: 10.8, as_of: 2026-11-20, source: Indicative}\n", 1,
     "rate EUR: 'source' must give its parts"),
    ("entities.yaml", "- {acronym: X, kind: ministry, name: " + TRILINGUAL + ", source: Decree 2.17.740}\n", 1,
     "entity X: 'source' must give its parts"),
    ("rollout.yaml", "rollouts:\n  - region: MA-01\n    events:\n      - {stage: pilot, started_on: 2024-08-02, "
                     "note: " + TRILINGUAL + ", source: 'https://example.invalid/a'}\n", 4,
     "'source' must give its parts"),
    ("activities.yaml", f"- code: A\n  kind: training\n  title: {TRILINGUAL}\n  start: 2024\n"
                        "  documents: [{title: Programme, url: 'https://example.invalid/p'}]\n"
                        f"  source: {GOOD_SOURCE}\n", 5, "'title' must be a mapping with ar, fr and en"),
])
def test_check_data_refuses_a_text_in_one_language(tmp_path, file, text, line, message):
    path = tmp_path / "reference" / file
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    problems = check_file(path, {"CNCLTEH", "EU"})
    assert any(p.line == line and message in p.message for p in problems), problems


@pytest.mark.parametrize("file,text", [
    ("organisations.yaml", _organisation(name='{proper: "Association Amal"}')),
    ("programmes.yaml", _programme(acronym='  acronym: {proper: "JTIP"}\n',
                                   source="[" + GOOD_SOURCE + ", {publisher: Yabiladi, title: " + TRILINGUAL + "}]")),
    ("activities.yaml", f"- code: A\n  kind: training\n  title: {TRILINGUAL}\n  start: 2024\n"
                        "  documents: [{title: {proper: GLO.ACT}, url: 'https://example.invalid/p'}]\n"
                        f"  source: {GOOD_SOURCE}\n"),
])
def test_check_data_accepts_a_proper_name_and_sources_as_parts(tmp_path, file, text):
    path = tmp_path / "reference" / file
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    assert check_file(path, {"CNCLTEH", "EU"}) == []


def test_shipped_files_cite_no_english_sentence():
    """Every source of the shipped files is given as parts: none is one sentence."""
    acronyms = {line.split(":", 1)[1].strip() for line in ENTITIES.read_text(encoding="utf-8").splitlines()
                if line.startswith("- acronym:")}
    for name in ("entities", "activities", "programmes", "exchange_rates", "organisations", "rollout"):
        assert check_file(DATA_DIR / "reference" / f"{name}.yaml", acronyms) == [], name
        text = (DATA_DIR / "reference" / f"{name}.yaml").read_text(encoding="utf-8")
        assert 'source: "' not in text and "seed document" not in text, name


# --- a French reader reads French citations ------------------------------------------------

FRENCH_CSV = {
    "/export/activities": "«\u00a0Visite d'étude en Belgique dans le cadre du programme d'appui technique",
    "/export/programmes": "«\u00a0L'Action mondiale contre la traite des personnes",
    "/export/organisations": "«\u00a0Convention-cadre pour un centre d'hébergement d'urgence",
    "/export/region-rollout?code=MA-03": "«\u00a0Convention-cadre pour un centre d'hébergement d'urgence",
}


@pytest.mark.parametrize("address,citation", FRENCH_CSV.items())
def test_a_french_csv_cites_its_sources_in_french(app, address, citation):
    client = app.test_client()
    client.get("/?lang=fr")
    path, _, query = address.partition("?")
    response = client.get(f"{path}.csv" + (f"?{query}" if query else ""))
    assert response.status_code == 200
    sources = [row["source"] for row in csv.DictReader(io.StringIO(response.data.decode("utf-8")[1:]))]
    assert any(citation in source for source in sources), sources
    assert not any(english in source for source in sources for english in ("“", "seed document", "news item"))


@pytest.mark.parametrize("path,citation", [
    ("/entities/CHG", "Décret n° 2.17.740 fixant la composition de la commission nationale"),
    ("/regions/MA-03", "Convention-cadre pour un centre d'hébergement d'urgence"),
    ("/activities/2024-study-visit-belgium", "Visite d'étude en Belgique dans le cadre du programme"),
    ("/organisations", "Convention-cadre pour un centre d'hébergement d'urgence"),
])
def test_a_french_page_cites_its_sources_in_french(app, path, citation):
    response = DashClient.in_language(app, "fr").page(path)
    assert response.status_code == 200
    text = DashClient.text_of(response.get_json()["response"]["_pages_content"]["children"])
    assert citation in text and "Decree" not in text and "Framework agreement" not in text
