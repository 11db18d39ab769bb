"""``check-data`` and ``load-data`` apply the same rules to the data files.

Each hostile edit of a copy of ``data/`` is tried both ways, through ``python -m dashboard``'s
``main``: ``check-data`` exits 1 with the problem on its line, and ``load-data`` refuses with
the same line and writes nothing (every table is compared, row by row, before and after).
The database is loaded once with the intact files; since every case is refused, it serves
them all, on SQLite and on PostgreSQL alike.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.db import make_engine, upgrade
from helpers import DATA_DIR, REPO_ROOT, SERVER_URL_ENV, snapshot

VALUES = Path("demo") / "indicator_values.csv"
PLAN = Path("plan") / "plan.yaml"
STATISTICS = Path("reference") / "published_statistics.yaml"
VALUES_LINES = len((DATA_DIR / VALUES).read_text(encoding="utf-8").splitlines())
STATISTICS_LINES = len((DATA_DIR / STATISTICS).read_text(encoding="utf-8").splitlines())
SOURCE = "pmp-2024"  # a document under the file's sources


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """The CLI reads its settings from the environment: start each test from none."""
    for name in list(os.environ):
        if name.startswith("DASHBOARD_") and name != SERVER_URL_ENV:
            monkeypatch.delenv(name)


@pytest.fixture(scope="module")
def loaded_url(databases) -> str:
    """A database loaded with the intact files (``load-data --demo``)."""
    url = databases.new()
    upgrade(url)
    before = dict(os.environ)
    os.environ.update({"DASHBOARD_DATABASE_URL": url, "DASHBOARD_DATA_DIR": str(DATA_DIR)})
    try:
        assert main(["load-data", "--demo"]) == 0
    finally:
        os.environ.clear()
        os.environ.update(before)
    return url


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A copy of data/ that the CLI reads (``DASHBOARD_DATA_DIR``)."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(copy))
    return copy


def append(path: Path, text: bytes) -> None:
    with open(path, "ab") as handle:
        handle.write(text)


def tables(url: str) -> dict:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return snapshot(conn)
    finally:
        engine.dispose()


def load_is_refused(url: str, monkeypatch, capsys, lines: list[str]) -> None:
    """``load-data --demo`` exits 1, names each problem with its line, and writes nothing."""
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", url)
    before = tables(url)
    capsys.readouterr()
    assert main(["load-data", "--demo"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    for line in lines:
        assert line in err, err
    assert "Traceback" not in err
    assert tables(url) == before


# --- the indicator-values CSV --------------------------------------------------------------

N = VALUES_LINES + 1  # the line of an appended row

CSV_CASES = {
    "not-utf8": (b"IND-04,2025,5,,,,,,2026-01-10,caf\xe9\n",
                 f"line {N}: byte 0xe9 is not UTF-8 text: save the file with the UTF-8 encoding"),
    "nan": (b"IND-04,2023-S1,nan,,,,,,2024-01-10,\n", f"line {N}: indicator IND-04: value nan is not a number"),
    "inf": (b"IND-04,2023-S1,+inf,,,,,,2024-01-10,\n", f"line {N}: indicator IND-04: value inf is not a number"),
    "negative": (b"IND-04,2023-S1,-5,,,,,,2024-01-10,\n", f"line {N}: indicator IND-04: value -5.0 is negative"),
    "fraction-of-a-count": (b"IND-04,2023-S1,12.5,,,,,,2024-01-10,\n",
                            f"line {N}: indicator IND-04: value 12.5 is a count, so a whole number"),
    "percent-above-100": (b"IND-01,2022,130,,,,,,2023-01-10,\n",
                          f"line {N}: indicator IND-01: value 130.0 is a percentage above 100"),
    "finer-than-its-frequency": (b"IND-02,2023-Q1,5,,,,,,2024-01-10,\n",
                                 (f"line {N}: indicator IND-02: period 2023-Q1 is finer than the indicator's "
                                 "frequency (annual)")),
    "year-2099": (b"IND-04,2099,5,,,,,,2026-01-10,\n",
                  f"line {N}: indicator IND-04: period 2099 is outside the years the plan accepts (2013 to 2026)"),
    "extra-columns": (b"IND-04,2023-S1,5,,,,,,2024-01-10,,extra,more\n",
                      f"line {N}: 12 fields where the header has 10 columns"),
    "missing-columns": (b"IND-04,2023-S1,5\n", f"line {N}: 3 fields where the header has 10 columns"),
    # A CSV cell holds one language: the source a reader sees must be in the three.
    "one-language-source": (b"IND-04,2023-S1,5,,,,,,2024-01-10,Ministry report\n",
                            f"line {N}: indicator IND-04: the source 'Ministry report' is in one language: give it "
                            "as {ar, fr, en} in the plan file, or leave a CSV's 'source' cell empty"),
    # IND-04 2024 is 8146 on line 64: a second row must not change it to 5.
    "duplicate-key": (b"IND-04,2024,5,,,,,,2025-09-08,\n",
                      f"line {N}: indicator IND-04: the value for 2024 is given twice (first on line 64)"),
    "duplicate-cell": (b"IND-04,2024,5,female,,,,,2025-09-08,\n",
                       f"line {N}: indicator IND-04: the value for 2024 sex=female is given twice (first on line 65)"),
}


def test_the_shipped_values_are_valid(data_copy, capsys):
    assert main(["check-data", str(data_copy / PLAN), "--values", str(data_copy / VALUES)]) == 0
    assert "Traceback" not in capsys.readouterr().err


# The unit, frequency and year rules (and a value the plan gives already) need the plan's
# indicators: ``check-data PLAN --values CSV`` applies them through datafiles.read_plan_values.
@pytest.mark.parametrize("case", CSV_CASES)
def test_check_data_refuses_a_bad_values_row_on_its_line(data_copy, capsys, case):
    row, line = CSV_CASES[case]
    append(data_copy / VALUES, row)
    assert main(["check-data", str(data_copy / PLAN), "--values", str(data_copy / VALUES)]) == 1
    out, err = capsys.readouterr()
    assert f"{data_copy / VALUES}: 1 problem(s)\n  {line}\n" == err
    assert f"{data_copy / VALUES}: OK" not in out


@pytest.mark.parametrize("case", CSV_CASES)
def test_load_data_refuses_a_bad_values_row_and_writes_nothing(loaded_url, data_copy, monkeypatch, capsys, case):
    row, line = CSV_CASES[case]
    append(data_copy / VALUES, row)
    load_is_refused(loaded_url, monkeypatch, capsys, [f"{data_copy / VALUES}: 1 problem(s)", line])


def test_a_csv_value_given_in_the_plan_already_is_refused(data_copy, capsys):
    """IND-11 carries published figures in the plan file: the CSV may not replace one."""
    append(data_copy / VALUES, b"IND-11,2020,5,,,,,,2021-01-10,\n")
    plan_text = (data_copy / PLAN).read_text(encoding="utf-8")
    plan_line = plan_text.count("\n", 0, plan_text.index('period: "2020"', plan_text.index("code: IND-11"))) + 1
    assert main(["check-data", str(data_copy / PLAN), "--values", str(data_copy / VALUES)]) == 1
    assert capsys.readouterr().err.endswith(
        f"line {N}: indicator IND-11: the value for 2020 is given twice (first on plan.yaml line {plan_line})\n")


# --- YAML files ----------------------------------------------------------------------------

S = STATISTICS_LINES + 1
_STATISTICS_TEXT = (DATA_DIR / STATISTICS).read_text(encoding="utf-8")
PROSECUTED_2024 = _STATISTICS_TEXT.count(
    "\n", 0, _STATISTICS_TEXT.index("{year: 2024, series: persons_prosecuted, value: 213, unit: count,")) + 1


def record(**fields: str) -> bytes:
    text = ", ".join(f"{key}: {value}" for key, value in fields.items())
    return f"  - {{{text}}}\n".encode()  # one more item of the figures, the file's last key


YAML_CASES: dict[str, tuple[Path, bytes, list[str]]] = {
    # Passed check-data (it checked the shape only) and failed on load.
    "unknown-series-no-publisher-other-form": (STATISTICS, record(
        year="2024", series="happiness", value="3", unit="count", breakdown="{exploitation_form: other}",
        source="nowhere"), [
        f"line {S}: happiness 2024: 'source' must name a valid document under 'sources', not 'nowhere'",
        f"line {S}: happiness 2024: unknown breakdown exploitation_form='other'",
        f"line {S}: happiness 2024: unknown series 'happiness'"]),
    "nan-figure": (STATISTICS, record(year="2024", series="suspects", value=".nan", unit="count", source=SOURCE),
                   [f"line {S}: suspects 2024: 'value' must be a published number, not nan"]),
    "infinite-figure": (STATISTICS, record(year="2024", series="suspects", value="+.inf", unit="count",
                                           source=SOURCE),
                        [f"line {S}: suspects 2024: 'value' must be a published number, not inf"]),
    "negative-figure": (STATISTICS, record(year="2024", series="suspects", value="-4", unit="count", source=SOURCE),
                        [f"line {S}: suspects 2024: 'value' must be a published number, not -4"]),
    "year-2099": (STATISTICS, record(year="2099", series="suspects", value="4", unit="count", source=SOURCE),
                  [f"line {S}: suspects 2099: 'year' must be a year from 2000 to "]),
    "key-given-twice": (STATISTICS, record(year="2024", series="suspects", value="4", unit="count",
                                           source=SOURCE).replace(b"value: 4", b"value: 4, value: 5"),
                        [f"line {S}: not valid YAML: the key 'value' is given twice (first on line {S})"]),
    # PMP's 2024 total of persons prosecuted is 213: a second record may not replace it.
    "figure-given-twice": (STATISTICS, record(year="2024", series="persons_prosecuted", value="5", unit="count",
                                              source=SOURCE),
                           [(f"line {S}: persons_prosecuted 2024: the same figure is given twice (first on line "
                            f"{PROSECUTED_2024})")]),
    "not-utf8": (STATISTICS, b"# caf\xe9\n", [f"line {S}: byte 0xe9 is not UTF-8 text"]),
}


@pytest.mark.parametrize("case", YAML_CASES)
def test_check_data_refuses_a_bad_record_on_its_line(data_copy, capsys, case):
    relative, text, lines = YAML_CASES[case]
    append(data_copy / relative, text)
    assert main(["check-data", str(data_copy / relative)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"{data_copy / relative}: {len(lines)} problem(s)\n")
    for line in lines:
        assert f"\n  {line}" in err, err


@pytest.mark.parametrize("case", YAML_CASES)
def test_load_data_refuses_a_bad_record_and_writes_nothing(loaded_url, data_copy, monkeypatch, capsys, case):
    relative, text, lines = YAML_CASES[case]
    append(data_copy / relative, text)
    load_is_refused(loaded_url, monkeypatch, capsys, lines)


EDITS: dict[str, tuple[Path, Callable[[str], str], str]] = {
    # A demonstration figure may not repeat a published one: check-data now knows it too.
    "demo-figure-over-a-published-one": (
        Path("demo") / "statistics.yaml",
        lambda text: text.replace("sources:\n", "sources:\n  demo-pmp: {publisher: PMP, title: {ar: تجريبي, "
                                  "fr: Démonstration, en: Demonstration}}\n", 1)
        + "  - {year: 2024, series: persons_prosecuted, value: 9, unit: count, source: demo-pmp}\n",
        "persons_prosecuted 2024 of PMP: a published figure has the same series, period and breakdown"),
    # A demonstration organisation may not take a reference one's code.
    "demo-organisation-with-a-reference-code": (
        Path("demo") / "organisations.yaml",
        lambda text: text.replace("- code: DEMO-ASSOC-MA-01", "- code: " + _first_reference_organisation(), 1),
        "the code is already used by the reference file"),
    "plan-progress-nan": (PLAN, lambda text: text.replace("progress: 40", "progress: .nan", 1),
                          "'progress' must be a number from 0 to 100, not nan"),
    "plan-budget-infinite": (PLAN, lambda text: text.replace("budget_mad: ", "budget_mad: .inf #", 1),
                             "'budget_mad' must be an amount in MAD or null"),
    "rate-nan": (Path("reference") / "exchange_rates.yaml",
                 lambda text: text.replace("mad_per_unit: ", "mad_per_unit: .nan #", 1),
                 "'mad_per_unit' must be a positive number"),
    "programme-amount-infinite": (Path("reference") / "programmes.yaml",
                                  lambda text: text.replace("amount_committed: ", "amount_committed: .inf #", 1),
                                  "'amount_committed' must be a published amount or null"),
}


def _first_reference_organisation() -> str:
    for line in (DATA_DIR / "reference" / "organisations.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("- code: "):
            return line.removeprefix("- code: ").strip()
    raise AssertionError("no organisation in the reference file")


def edit(data_copy: Path, case: str) -> tuple[Path, str]:
    relative, change, message = EDITS[case]
    path = data_copy / relative
    before = path.read_text(encoding="utf-8")
    after = change(before)
    assert after != before, f"the edit {case} found nothing to change"
    path.write_text(after, encoding="utf-8")
    return path, message


@pytest.mark.parametrize("case", EDITS)
def test_check_data_and_load_data_agree(loaded_url, data_copy, monkeypatch, capsys, case):
    path, message = edit(data_copy, case)
    assert main(["check-data", str(path)]) == 1
    checked = capsys.readouterr().err
    assert message in checked and checked.startswith(f"{path}: ")
    problem_lines = [line for line in checked.splitlines()[1:] if message in line]
    load_is_refused(loaded_url, monkeypatch, capsys, problem_lines)


def test_load_data_lists_the_problems_of_every_file(loaded_url, data_copy, monkeypatch, capsys):
    append(data_copy / VALUES, CSV_CASES["nan"][0])
    append(data_copy / STATISTICS, YAML_CASES["nan-figure"][1])
    load_is_refused(loaded_url, monkeypatch, capsys, [
        f"{data_copy / STATISTICS}: 1 problem(s)", YAML_CASES["nan-figure"][2][0],
        f"{data_copy / VALUES}: 1 problem(s)", CSV_CASES["nan"][1]])


def test_a_missing_file_is_named(loaded_url, data_copy, monkeypatch, capsys):
    (data_copy / VALUES).unlink()
    load_is_refused(loaded_url, monkeypatch, capsys, [f"{data_copy / VALUES}: 1 problem(s)\n  line 0: no such file"])


def test_a_non_utf8_byte_is_no_traceback_in_a_subprocess(data_copy):
    append(data_copy / VALUES, CSV_CASES["not-utf8"][0])
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASHBOARD_")}
    env["DASHBOARD_DATA_DIR"] = str(data_copy)
    result = subprocess.run([sys.executable, "-m", "dashboard", "check-data", str(data_copy / PLAN),
                             "--values", str(data_copy / VALUES)],
                            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert CSV_CASES["not-utf8"][1] in result.stderr and "Traceback" not in result.stderr
