"""Small-cell suppression of victim counts (dashboard.disclosure)."""
from __future__ import annotations

import itertools
import math

import pytest
from flask import Flask
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dashboard.national.disclosure import (
    DEFAULT_THRESHOLD,
    HIDDEN,
    SMALL,
    TableRelease,
    configured_threshold,
    release,
    release_periods,
    suppress,
)
from dashboard.web import settings as web_settings


def test_large_cells_and_zeros_are_shown():
    release = suppress({"male": 40, "female": 0, "child": 12}, 52)
    assert release.cells == {"male": 40, "female": 0, "child": 12}
    assert release.total == 52 and not release.withheld


def test_small_cell_and_its_complement_are_hidden():
    release = suppress({"moroccan": 138, "foreign": 2}, 140)
    assert release.cells == {"moroccan": None, "foreign": None}
    assert release.small == {"foreign"}
    assert release.total == 140


def test_secondary_suppression_takes_the_smallest_nonzero_cell():
    release = suppress({"a": 3, "b": 9, "c": 0, "d": 60}, 72)
    assert release.cells == {"a": None, "b": None, "c": 0, "d": 60}


def test_secondary_cell_pinned_by_the_next_shown_cell_hides_more():
    # b would be hidden as "at least 5 and at most c = 5": exactly 5.
    release = suppress({"a": 2, "b": 5, "c": 5, "d": 30}, 42)
    assert release.cells == {"a": None, "b": None, "c": None, "d": 30}


def test_two_small_cells_are_enough_when_they_stay_uncertain():
    release = suppress({"a": 1, "b": 2, "c": 100}, 103)
    assert release.cells == {"a": None, "b": None, "c": 100}


def test_breakdown_is_withheld_when_nothing_can_protect_it():
    # 1 + 5 = 6 with "<5" and ">=5" pins both cells; there is no other cell to hide.
    assert suppress({"a": 1, "b": 5}, 6).withheld
    # Two cells of "<5" summing to 8 are both 4.
    release = suppress({"a": 4, "b": 4, "c": 0}, 8)
    assert release.withheld and set(release.cells.values()) == {None}


def test_small_total_is_hidden():
    assert suppress({}, 3).total is None
    assert suppress({}, 0).total == 0
    assert suppress({}, DEFAULT_THRESHOLD).total == DEFAULT_THRESHOLD
    assert suppress({}, None).total is None


def test_cells_that_do_not_add_up_to_the_total():
    # An unclassified remainder of 8: the single small cell is still not left alone.
    release = suppress({"a": 2, "b": 50}, 60)
    assert release.cells == {"a": None, "b": None}
    # Overlapping categories (sum above the total) are protected the same way.
    release = suppress({"sexual": 3, "forced_labour": 30, "begging": 12}, 40)
    assert release.cells == {"sexual": None, "forced_labour": 30, "begging": None}


def test_threshold_is_a_parameter():
    assert suppress({"a": 7, "b": 40}, 47, threshold=10).cells == {"a": None, "b": None}
    assert suppress({"a": 7, "b": 40}, 47).cells == {"a": 7, "b": 40}


def test_threshold_comes_from_the_app_config():
    assert configured_threshold() == DEFAULT_THRESHOLD
    web_settings.install()  # as create_app does
    app = Flask(__name__)
    with app.app_context():
        assert configured_threshold() == web_settings.small_cell_threshold() == DEFAULT_THRESHOLD
    app.config["SMALL_CELL_THRESHOLD"] = 10
    with app.app_context():
        assert configured_threshold() == web_settings.small_cell_threshold() == 10
    assert configured_threshold() == DEFAULT_THRESHOLD  # no application: the default


# --- properties -------------------------------------------------------------------------

counts = st.one_of(st.integers(0, 6), st.integers(0, 15))
breakdowns = st.dictionaries(st.sampled_from("abcde"), counts, min_size=1, max_size=4)
thresholds = st.sampled_from([3, 5])


def _feasible(release, values: dict[str, int], threshold: int) -> dict[str, set[int]]:
    """Every value each hidden cell could take for a reader who knows the rule, the
    labels ("<threshold" for small cells) and the sum of the hidden cells."""
    hidden = [k for k, v in release.cells.items() if v is None]
    shown_nonzero = [v for v in release.cells.values() if v]
    hidden_sum = sum(values[k] for k in hidden)
    cap = int(min(shown_nonzero)) if shown_nonzero else hidden_sum
    ranges = [range(1, threshold) if k in release.small else range(threshold, cap + 1)
              for k in hidden]
    possible: dict[str, set[int]] = {k: set() for k in hidden}
    for combo in itertools.product(*ranges):
        if sum(combo) == hidden_sum:
            for key, value in zip(hidden, combo):
                possible[key].add(value)
    return possible


@settings(max_examples=300, deadline=None)
@given(breakdowns, thresholds, st.integers(0, 8))
def test_no_small_cell_is_shown(values, threshold, unclassified):
    total = sum(values.values()) + unclassified  # cells need not add up to the total
    release = suppress(values, total, threshold)
    for key, shown in release.cells.items():
        assert shown is None or shown == values[key]
        assert shown is None or not 0 < shown < threshold
    assert release.total is None or not 0 < release.total < threshold
    assert release.total in (None, total)


@settings(max_examples=300, deadline=None)
@given(breakdowns, thresholds)
def test_no_hidden_cell_is_total_minus_shown_cells(values, threshold):
    total = sum(values.values())
    release = suppress(values, total, threshold)
    hidden = [k for k, v in release.cells.items() if v is None]
    if release.total is None or not hidden:
        return
    remainder = release.total - sum(v for v in release.cells.values() if v is not None)
    if not release.withheld:
        assert len(hidden) >= 2
    for key in hidden:
        if values[key]:
            assert remainder != values[key]


@settings(max_examples=200, deadline=None)
@given(breakdowns, thresholds)
def test_no_hidden_cell_is_pinned_down(values, threshold):
    release = suppress(values, sum(values.values()), threshold)
    if release.withheld:
        assert all(v is None for v in release.cells.values())
        return
    for key, possible in _feasible(release, values, threshold).items():
        assert values[key] in possible
        assert len(possible) >= 2, (key, possible)


# --- tables: crossed breakdowns, several dimensions, shares (dashboard.disclosure.release) ---

SEX = ("male", "female")
AGE = ("adult", "child")
EXHAUSTIVE = {"sex": SEX, "age_group": AGE, "nationality": ("moroccan", "foreign")}


def _key(**cells: str) -> str:
    return ";".join(f"{k}={cells[k]}" for k in sorted(cells))


def test_exact_readers_see_every_figure():
    counts = {"": 6, _key(sex="male"): 2, _key(sex="female"): 4}
    table = release(counts, {_key(age_group="child"): 50.0}, exact=True)
    assert table.cells == counts and table.shares == {"age_group=child": 50.0}
    assert not table.small and not table.withheld


def test_published_small_counts_of_the_tip_reports():
    # TIP 2022 (2021 data): 2 foreign victims of 169; 2023 (2022 data): 4 victims of begging.
    nationality = release({"": 169, "nationality=moroccan": 167, "nationality=foreign": 2,
                           "sex=female": 115, "sex=male": 54}, exhaustive=EXHAUSTIVE)
    assert nationality.status("nationality=foreign") == SMALL
    assert nationality.status("nationality=moroccan") == HIDDEN
    assert nationality.cells["sex=female"] == 115 and nationality.cells[""] == 169
    forms = release({"": 166, "exploitation_form=sexual": 101, "exploitation_form=forced_labour": 27,
                     "exploitation_form=begging": 4, "exploitation_form=slavery_like": 45,
                     "exploitation_form=forced_criminality": 8}, exhaustive=EXHAUSTIVE)
    assert forms.status("exploitation_form=begging") == SMALL
    assert forms.status("exploitation_form=forced_criminality") == HIDDEN
    assert forms.cells["exploitation_form=sexual"] == 101


def test_crossed_table_hides_a_cell_in_the_row_and_the_column():
    counts = {"": 60, _key(sex="male", age_group="adult"): 20, _key(sex="male", age_group="child"): 2,
              _key(sex="female", age_group="adult"): 30, _key(sex="female", age_group="child"): 8,
              "sex=male": 22, "sex=female": 38, "age_group=adult": 50, "age_group=child": 10}
    table = release(counts, exhaustive=EXHAUSTIVE)
    hidden = {key for key, value in table.cells.items() if value is None}
    assert table.small == {"age_group=child;sex=male"}
    # The small cell's row and column each lose another cell, and so does the fourth.
    assert {"age_group=adult;sex=male", "age_group=child;sex=female"} <= hidden
    assert table.cells[""] == 60 and not table.withheld


def test_an_unpublished_small_category_is_protected():
    # 97 of 100 are women: the men (never published) would be 3.
    table = release({"": 100, "sex=female": 97}, exhaustive=EXHAUSTIVE)
    assert table.status("sex=female") == HIDDEN and table.cells[""] == 100
    # A category outside the exhaustive ones (a form of exploitation) is not completed.
    assert release({"": 100, "exploitation_form=sexual": 97}).cells["exploitation_form=sexual"] == 97


def test_a_share_of_the_total_is_protected_like_its_count():
    table = release({"": 200, "sex=male": 150, "sex=female": 50},
                    {"age_group=child": 1.0, "nationality=foreign": 30.0}, exhaustive=EXHAUSTIVE)
    assert table.shares == {"age_group=child": None, "nationality=foreign": 30.0}
    # A share whose count is hidden goes with it.
    table = release({"": 100, "nationality=foreign": 2, "nationality=moroccan": 98},
                    {"nationality=foreign": 2.0}, exhaustive=EXHAUSTIVE)
    assert table.shares["nationality=foreign"] is None


def test_a_small_total_withholds_its_breakdowns():
    table = release({"": 3, "sex=male": 3, "sex=female": 0}, exhaustive=EXHAUSTIVE)
    assert table.withheld and table.small == {""}
    assert set(table.cells.values()) == {None}


def test_crossed_breakdowns_need_two_dimensions_at_most():
    with pytest.raises(ValueError):
        release({"a=1;b=1;c=1": 3, "": 3})


# An attacker of its own (not the module's code): interval propagation over every equation
# between the published figures, knowing the labels ("<t": 1..t-1, hidden: >= t; a
# withheld breakdown: >= 0).

def _attack(equations: list[tuple[str, list[str]]], table, threshold: int,
            unknown: set[str] = frozenset()) -> dict[str, tuple[float, float]]:
    bounds: dict[str, list[float]] = {}
    for key, value in table.cells.items():
        if value is not None:
            bounds[key] = [value, value]
        elif key in table.small:
            bounds[key] = [1, threshold - 1]
        else:
            bounds[key] = [0 if table.withheld else threshold, math.inf]
    for key in unknown:
        bounds[key] = [0, math.inf]
    return {key: tuple(b) for key, b in _propagate(equations, bounds).items()}


def _check_release(counts: dict[str, int], table, threshold: int, equations, unknown=frozenset()):
    for key, shown in table.cells.items():
        assert shown is None or shown == counts[key]
        assert shown is None or not 0 < shown < threshold, (key, shown)
    bounds = _attack(equations, table, threshold, set(unknown))
    for key, value in counts.items():
        if 0 < value < threshold and table.cells[key] is None:
            low, high = bounds[key]
            assert low <= value <= high
            assert high - low >= 1, (key, value, bounds[key], table)


grid_values = st.one_of(st.integers(0, 6), st.integers(0, 40))


@st.composite
def crossed_tables(draw):
    rows, cols = draw(st.integers(2, 4)), draw(st.integers(2, 3))
    values = [[draw(grid_values) for _ in range(cols)] for _ in range(rows)]
    return values


def _grid(values) -> tuple[dict[str, int], list[tuple[str, list[str]]], dict]:
    rows, cols = len(values), len(values[0])
    cell = {(i, j): _key(r=str(i), c=str(j)) for i in range(rows) for j in range(cols)}
    counts = {key: values[i][j] for (i, j), key in cell.items()}
    counts.update({f"r={i}": sum(values[i]) for i in range(rows)})
    counts.update({f"c={j}": sum(values[i][j] for i in range(rows)) for j in range(cols)})
    counts[""] = sum(map(sum, values))
    equations = [(f"r={i}", [cell[i, j] for j in range(cols)]) for i in range(rows)]
    equations += [(f"c={j}", [cell[i, j] for i in range(rows)]) for j in range(cols)]
    equations += [("", [f"r={i}" for i in range(rows)]), ("", [f"c={j}" for j in range(cols)]),
                  ("", list(cell.values()))]
    exhaustive = {"r": [str(i) for i in range(rows)], "c": [str(j) for j in range(cols)]}
    return counts, equations, exhaustive


@settings(max_examples=300, deadline=None)
@given(crossed_tables(), thresholds)
def test_no_small_cell_of_a_crossed_table_can_be_worked_out(values, threshold):
    counts, equations, exhaustive = _grid(values)
    table = release(counts, threshold=threshold, exhaustive=exhaustive)
    _check_release(counts, table, threshold, equations)


@settings(max_examples=200, deadline=None)
@given(crossed_tables(), thresholds)
def test_crossed_table_without_its_margins(values, threshold):
    counts, equations, exhaustive = _grid(values)
    margins = {key for key in counts if key.startswith(("r=", "c="))}
    published = {k: v for k, v in counts.items() if k not in margins}
    table = release(published, threshold=threshold, exhaustive=exhaustive)
    # The reader works with the margins as unknowns; small margins must stay unknown too.
    full = TableRelease({**table.cells, **{m: None for m in margins}}, table.small, table.withheld)
    bounds = _attack(equations, full, threshold, margins)
    _check_release(published, table, threshold, [])
    for key, value in counts.items():
        if 0 < value < threshold and full.cells[key] is None:
            assert bounds[key][1] - bounds[key][0] >= 1, (key, bounds[key])


people = st.lists(st.tuples(st.sampled_from(SEX), st.sampled_from(AGE),
                            st.sampled_from(("moroccan", "foreign"))), min_size=0, max_size=40)


@settings(max_examples=300, deadline=None)
@given(people, thresholds, st.booleans())
def test_one_total_split_along_several_dimensions(persons, threshold, crossed):
    """The same total by sex, by age group and by nationality (and sex x age group): no
    small cell can be worked out from one split with the help of another."""
    counts = {"": len(persons)}
    equations = []
    for position, dimension in enumerate(("sex", "age_group", "nationality")):
        categories = EXHAUSTIVE[dimension]
        keys = [f"{dimension}={c}" for c in categories]
        for category, key in zip(categories, keys):
            counts[key] = sum(1 for p in persons if p[position] == category)
        equations.append(("", keys))
    if crossed:
        for sex in SEX:
            members = []
            for age in AGE:
                key = _key(sex=sex, age_group=age)
                counts[key] = sum(1 for p in persons if p[:2] == (sex, age))
                members.append(key)
            equations.append((f"sex={sex}", members))
        for age in AGE:
            equations.append((f"age_group={age}", [_key(sex=s, age_group=age) for s in SEX]))
    table = release(counts, threshold=threshold, exhaustive=EXHAUSTIVE)
    if 0 < len(persons) < threshold:
        assert table.withheld and table.cells[""] is None
        return
    _check_release(counts, table, threshold, equations)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 5), st.integers(0, 30)), min_size=2, max_size=12), thresholds)
def test_categories_left_out_because_they_are_zero(values, threshold):
    """Regions with no victim are often left out: a reader who takes them for zero must
    not find a small count by subtraction either."""
    regions = [f"MA-{n:02d}" for n in range(1, 13)][:len(values)]
    counts = {"": sum(values), **{f"region={r}": v for r, v in zip(regions, values) if v}}
    table = release(counts, threshold=threshold, exhaustive={"region": regions})
    if 0 < counts[""] < threshold:
        assert table.withheld
        return
    _check_release(counts, table, threshold, [("", [k for k in counts if k])])


def test_a_region_left_out_does_not_give_the_other_away():
    # Of 60, 58 in Casablanca-Settat and 2 in Fes-Meknes; the other regions are not listed.
    table = release({"": 60, "region=MA-03": 2, "region=MA-06": 58},
                    exhaustive={"region": [f"MA-{n:02d}" for n in range(1, 13)]})
    assert table.status("region=MA-03") == SMALL and table.status("region=MA-06") == HIDDEN


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(0, 6), min_size=2, max_size=3), min_size=2, max_size=2),
       st.sampled_from([3, 4]))
def test_small_crossed_tables_against_an_exhaustive_reader(values, threshold):
    """Every whole-number table consistent with what is shown, tried one by one: a
    stronger reader than interval propagation, on tables small enough to enumerate."""
    cols = min(len(row) for row in values)
    values = [row[:cols] for row in values]
    counts, _equations, exhaustive = _grid(values)
    table = release(counts, threshold=threshold, exhaustive=exhaustive)
    hidden = [k for k, v in table.cells.items() if v is None and k.count("=") == 2]
    if table.withheld or not hidden:
        return
    grand = counts[""] if table.cells[""] is not None else threshold - 1
    ranges = [range(1, threshold) if k in table.small else range(threshold, grand + 1) for k in hidden]
    assume(math.prod(len(r) for r in ranges) <= 20_000)
    possible: dict[str, set[int]] = {k: set() for k in hidden}
    for combo in itertools.product(*ranges):
        guess = {**{k: v for k, v in table.cells.items() if v is not None}, **dict(zip(hidden, combo))}
        derived = dict(guess)
        for i in range(2):
            derived[f"r={i}"] = sum(guess[_key(r=str(i), c=str(j))] for j in range(cols))
        for j in range(cols):
            derived[f"c={j}"] = sum(guess[_key(r=str(i), c=str(j))] for i in range(2))
        derived[""] = sum(derived[f"r={i}"] for i in range(2))
        shown_ok = all(derived[k] == v for k, v in table.cells.items() if v is not None)
        margins_ok = all(
            (k in table.small and 0 < derived[k] < threshold)
            or (k not in table.small and derived[k] >= threshold)
            for k, v in table.cells.items() if v is None and k.count("=") < 2 and k)
        if shown_ok and margins_ok:
            for key, value in zip(hidden, combo):
                possible[key].add(value)
    for key in hidden:
        if key in table.small:
            assert counts[key] in possible[key]
            assert len(possible[key]) >= 2, (key, possible[key], values)


# --- periods: half-years, quarters and multi-year periods (dashboard.disclosure.release_periods) ---
# The attacker below knows every equation between every period of the model (a year and its
# half-years, its quarters, a half-year and its quarters, a multi-year period and its years)
# for the total and every cell, with all unpublished figures as unknowns: it is written from
# the periods' meaning, not from the module's pieces.


HALF_QUARTERS = {"S1": (1, 2), "S2": (3, 4)}


def _quarters_of(label: str) -> frozenset[tuple[int, int]]:
    """(year, quarter) pairs a period label covers."""
    if len(label) == 4:
        return frozenset((int(label), q) for q in range(1, 5))
    first, second = label.split("-")
    if second.isdigit():
        return frozenset((y, q) for y in range(int(first), int(second) + 1) for q in range(1, 5))
    quarters = HALF_QUARTERS[second] if second.startswith("S") else (int(second[1]),)
    return frozenset((int(first), q) for q in quarters)


def _cell_keys(dims: tuple[str, ...]) -> list[str]:
    keys = [""]
    if "sex" in dims:
        keys += [f"sex={s}" for s in SEX]
    if "age_group" in dims:
        keys += [f"age_group={a}" for a in AGE]
    if "crossed" in dims:
        keys += [_key(sex=s, age_group=a) for s in SEX for a in AGE]
    return keys


def _matches(key: str, sex: str, age: str) -> bool:
    cells = dict(part.split("=") for part in key.split(";") if part)
    return cells.get("sex", sex) == sex and cells.get("age_group", age) == age


@st.composite
def period_tables(draw):
    """Random published figures of one series: years, their half-years or quarters (some
    missing), maybe a multi-year period, each with or without breakdowns."""
    years = list(range(2024, 2024 + draw(st.integers(1, 3))))
    atoms = {(y, q, s, a): draw(st.one_of(st.integers(0, 4), st.integers(0, 25)))
             for y in years for q in range(1, 5) for s in SEX for a in AGE}
    dims = draw(st.sampled_from([(), ("sex",), ("sex", "age_group"), ("sex", "age_group", "crossed")]))
    every = [f"{years[0]}-{years[-1]}"] if len(years) > 1 else []
    published = [every[0]] if every and draw(st.booleans()) else []
    for year in years:
        every += [str(year), f"{year}-S1", f"{year}-S2"] + [f"{year}-Q{q}" for q in range(1, 5)]
        if draw(st.integers(0, 3)):
            published.append(str(year))
        kind = draw(st.sampled_from(["none", "halves", "quarters", "both"]))
        subs = ([f"{year}-S1", f"{year}-S2"] if kind in ("halves", "both") else []) + (
            [f"{year}-Q{q}" for q in range(1, 5)] if kind in ("quarters", "both") else [])
        published += [label for label in subs if draw(st.integers(0, 3))]
    truth = {(label, key): sum(v for (y, q, s, a), v in atoms.items()
                               if (y, q) in _quarters_of(label) and _matches(key, s, a))
             for label in every for key in _cell_keys(("sex", "age_group", "crossed"))}
    tables = {}
    for label in published:
        keys = _cell_keys(dims) if dims and draw(st.booleans()) else [""]
        tables[label] = {key: truth[(label, key)] for key in keys}
    return every, truth, tables


def _period_equations(labels: list[str]) -> list[tuple[tuple, list[tuple]]]:
    keys = _cell_keys(("sex", "age_group", "crossed"))
    equations = []
    for label in labels:
        def f(key: str, label: str = label) -> tuple[str, str]:
            return (label, key)
        equations += [(f(""), [f(f"sex={s}") for s in SEX]), (f(""), [f(f"age_group={a}") for a in AGE]),
                      (f(""), [f(_key(sex=s, age_group=a)) for s in SEX for a in AGE])]
        equations += [(f(f"sex={s}"), [f(_key(sex=s, age_group=a)) for a in AGE]) for s in SEX]
        equations += [(f(f"age_group={a}"), [f(_key(sex=s, age_group=a)) for s in SEX]) for a in AGE]
    for parent in labels:
        for children in _splits(parent, labels):
            equations += [((parent, key), [(child, key) for child in children]) for key in keys]
    return equations


def _splits(parent: str, labels: list[str]) -> list[list[str]]:
    """The ways a period is the sum of smaller periods of the model."""
    if len(parent) == 4:
        return [[f"{parent}-S1", f"{parent}-S2"], [f"{parent}-Q{q}" for q in range(1, 5)]]
    first, second = parent.split("-")
    if second.isdigit():
        return [[str(y) for y in range(int(first), int(second) + 1)]]
    if second.startswith("S"):
        return [[f"{first}-Q{q}" for q in HALF_QUARTERS[second]]]
    return []


def _period_bounds(every, truth, tables, released, threshold) -> dict:
    # Figures the published data (before suppression) says are zero: a reader who takes a
    # missing category or period for zero is right.
    exact = {f: ([v, v] if f[0] in tables and f[1] in tables[f[0]] else [0, math.inf])
             for f, v in truth.items()}
    zero = {f for f, b in _propagate(_period_equations(every), exact).items() if b == [0, 0]}
    bounds = {}
    for label, key in truth:
        table = released.get(label)
        if table is not None and key in table.cells:
            value = table.cells[key]
            if value is not None:
                bounds[(label, key)] = [value, value]
            elif key in table.small:
                bounds[(label, key)] = [1, threshold - 1]
            else:
                bounds[(label, key)] = [0 if table.withheld else threshold, math.inf]
        elif (label, key) in zero:
            bounds[(label, key)] = [0, 0]
        else:
            bounds[(label, key)] = [0, math.inf]
    return bounds


def _propagate(equations, bounds) -> dict:
    bounds = {k: list(v) for k, v in bounds.items()}
    for _ in range(500):
        changed = False
        for parent, members in equations:
            for target in [parent, *members]:
                if target == parent:
                    low = sum(bounds[m][0] for m in members)
                    high = sum(bounds[m][1] for m in members)
                else:
                    others = [m for m in members if m != target]
                    low = bounds[parent][0] - sum(bounds[m][1] for m in others)
                    high = bounds[parent][1] - sum(bounds[m][0] for m in others)
                low = max(bounds[target][0], math.ceil(low) if low > -math.inf else low)
                high = min(bounds[target][1], math.floor(high) if high < math.inf else high)
                if [low, high] != bounds[target]:
                    bounds[target], changed = [low, high], True
        if not changed:
            break
    return bounds


@settings(max_examples=300, deadline=None)
@given(period_tables(), thresholds)
def test_no_small_cell_can_be_worked_out_across_periods(generated, threshold):
    every, truth, tables = generated
    released = release_periods(tables, threshold=threshold, exhaustive=EXHAUSTIVE)
    assert set(released) == set(tables)
    for label, table in released.items():
        for key, shown in table.cells.items():
            assert shown is None or shown == tables[label][key]
            assert shown is None or not 0 < shown < threshold, (label, key, shown)
    bounds = _propagate(_period_equations(every), _period_bounds(every, truth, tables, released, threshold))
    for (label, key), value in truth.items():
        published = label in tables and key in tables[label]
        if not 0 < value < threshold or (published and released[label].cells[key] is not None):
            continue
        low, high = bounds[(label, key)]
        assert low <= value <= high, (label, key, value, bounds[(label, key)])
        assert high - low >= 1, (label, key, value, bounds[(label, key)], tables)


def test_a_half_year_is_not_its_year_minus_the_other_half():
    # The case: 2026-S1 = 40, 2026-S2 = 3, 2026 = 43 were shown as 43, 40 and "<5".
    released = release_periods({"2026": {"": 43}, "2026-S1": {"": 40}, "2026-S2": {"": 3}}, threshold=5)
    assert released["2026"].cells[""] == 43
    assert released["2026-S2"].status("") == SMALL
    assert released["2026-S1"].cells[""] is None


def test_a_missing_quarter_is_protected_like_a_category_left_out():
    # 43 - 10 - 10 - 20: the unreported third quarter would be 3.
    released = release_periods({"2026": {"": 43}, "2026-Q1": {"": 10}, "2026-Q2": {"": 10},
                                "2026-Q4": {"": 20}}, threshold=5)
    shown = [released[p].cells[""] for p in ("2026-Q1", "2026-Q2", "2026-Q4")]
    assert shown.count(None) >= 1 and released["2026"].cells[""] == 43


def test_a_multi_year_period_and_its_years_are_one_table():
    released = release_periods({"2017-2019": {"": 719}, "2017": {"": 3}, "2018": {"": 300},
                                "2019": {"": 416}}, threshold=5)
    assert released["2017-2019"].cells[""] == 719 and released["2017"].status("") == SMALL
    assert [released[y].cells[""] for y in ("2018", "2019")].count(None) == 1


def test_a_half_year_breakdown_is_a_cell_crossed_with_the_period():
    # The year's and the first half's breakdowns give the second half's: 23 - 20 women.
    tables = {"2026": {"": 43, "sex=male": 20, "sex=female": 23},
              "2026-S1": {"": 40, "sex=male": 20, "sex=female": 20},
              "2026-S2": {"": 3}}
    released = release_periods(tables, threshold=5, exhaustive=EXHAUSTIVE)
    year, first = released["2026"], released["2026-S1"]
    assert None in (year.cells["sex=female"], first.cells["sex=female"])
    assert released["2026-S2"].status("") == SMALL


def test_separate_years_are_separate_tables():
    released = release_periods({"2024": {"": 3}, "2025": {"": 40}}, threshold=5)
    assert released["2025"].cells[""] == 40 and released["2024"].status("") == SMALL


def test_exact_readers_see_every_period():
    tables = {"2026": {"": 43}, "2026-S1": {"": 40}, "2026-S2": {"": 3}}
    released = release_periods(tables, exact=True)
    assert {p: r.cells for p, r in released.items()} == tables


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["halves", "quarters", "span", "halves_by_sex"]),
       st.lists(st.integers(0, 7), min_size=6, max_size=6), st.sampled_from([3, 4, 5]),
       st.lists(st.booleans(), min_size=6, max_size=6))
def test_small_period_tables_against_an_exhaustive_reader(shape, values, threshold, keep):
    """Every whole-number assignment of the smallest pieces (quarters, half-years, years,
    by sex) consistent with what is shown, tried one by one."""
    if shape == "halves":
        pieces = {("2026-S1", ""): values[0], ("2026-S2", ""): values[1]}
        sums = {("2026", ""): list(pieces)}
    elif shape == "quarters":
        pieces = {(f"2026-Q{q}", ""): values[q - 1] for q in range(1, 5)}
        sums = {("2026", ""): list(pieces)}
    elif shape == "span":
        pieces = {(str(y), ""): values[y - 2017] for y in (2017, 2018, 2019)}
        sums = {("2017-2019", ""): list(pieces)}
    else:
        pieces = {(h, f"sex={s}"): values[i] for i, (h, s) in
                  enumerate(itertools.product(("2026-S1", "2026-S2"), SEX))}
        sums = {(h, ""): [(h, f"sex={s}") for s in SEX] for h in ("2026-S1", "2026-S2")}
        sums.update({("2026", f"sex={s}"): [(h, f"sex={s}") for h in ("2026-S1", "2026-S2")] for s in SEX})
        sums[("2026", "")] = list(pieces)
    truth = {**pieces, **{f: sum(pieces[p] for p in members) for f, members in sums.items()}}
    # The widest total is always published; pieces and other sums only when kept.
    widest = max(sums, key=lambda f: len(sums[f]))
    published = [f for i, f in enumerate(sorted(truth)) if f == widest or keep[i % len(keep)]]
    tables: dict[str, dict[str, int]] = {}
    for label, key in published:
        tables.setdefault(label, {})[key] = truth[(label, key)]
    released = release_periods(tables, threshold=threshold, exhaustive=EXHAUSTIVE)
    order = sorted(pieces)
    cap = truth[widest] if released[widest[0]].cells[widest[1]] is not None else threshold * 6
    possible: dict[tuple, set[int]] = {f: set() for f in published}
    for combo in itertools.product(range(cap + 1), repeat=len(order)):
        guess = dict(zip(order, combo))
        guess.update({f: sum(guess[p] for p in members) for f, members in sums.items()})
        consistent = True
        for label, key in published:
            table, value = released[label], guess[(label, key)]
            shown = table.cells[key]
            if shown is not None:
                ok = value == shown
            elif key in table.small:
                ok = 0 < value < threshold
            else:
                ok = table.withheld or value >= threshold
            if not ok:
                consistent = False
                break
        if consistent:
            for f in published:
                possible[f].add(guess[f])
    for label, key in published:
        value = truth[(label, key)]
        if 0 < value < threshold and released[label].cells[key] is None:
            assert value in possible[(label, key)]
            assert len(possible[(label, key)]) >= 2, (label, key, possible[(label, key)], tables)


def test_two_small_parts_do_not_pin_a_small_multi_year_total():
    """2024-S1 and 2026 both "<3" make 2024-2026 at least 2; shown "<3" too, it would be
    exactly 2. The unpublished 2024 ties 2024-S1 to 2024-2026 (found by hypothesis)."""
    released = release_periods({"2024-2026": {"": 2}, "2024-S1": {"": 1}, "2026": {"": 1}}, threshold=3)
    assert released["2024-2026"].status("") == SMALL
    assert [released[p].status("") for p in ("2024-S1", "2026")] == [HIDDEN, HIDDEN]


def test_a_quarter_left_out_is_protected_when_its_half_year_is_too():
    """2026 = 7, 2026-S2 = 3, 2026-Q2 = 3: the first quarter would be 7 - 3 - 3 = 1."""
    released = release_periods({"2026": {"": 7}, "2026-S2": {"": 3}, "2026-Q2": {"": 3}}, threshold=3)
    assert released["2026"].cells[""] == 7
    assert None in (released["2026-S2"].cells[""], released["2026-Q2"].cells[""])


def test_a_reader_knows_what_the_full_table_says_is_zero():
    """Male counts of 2024-2026 add up from 2024 and 2026-S2 alone: 2025 and 2026-S1 have
    no men, and a reader taking them for zero is right (found by hypothesis)."""
    tables = {"2024-2026": {"": 3, "sex=male": 2, "sex=female": 1},
              "2024": {"": 1, "sex=male": 1, "sex=female": 0},
              "2026-S2": {"": 1, "sex=male": 1, "sex=female": 0}}
    released = release_periods(tables, threshold=3)
    # "<3" men in 2024-2026 beside "<3" in 2024 and in 2026-S2 would make them exactly 2:
    # the breakdowns are withheld, only the totals show.
    assert all(released[p].withheld for p in tables)
    assert released["2024-2026"].cells[""] == 3
    assert [released[p].status("") for p in ("2024", "2026-S2")] == [SMALL, SMALL]


@pytest.mark.xfail(strict=True, reason="known gap: the model leaves out a period's unpublished crossed cells "
                   "(sex x age) that its margins say are zero, which a reader can take for zero")
def test_zero_crossed_cells_a_period_does_not_publish():
    tables = {"2024-2026": {"": 4, "sex=male": 0, "sex=female": 4, "age_group=adult": 1, "age_group=child": 3},
              "2025-S2": {"": 3, "sex=male": 0, "sex=female": 3, "age_group=adult": 0, "age_group=child": 3}}
    released = release_periods(tables, threshold=3, exhaustive=EXHAUSTIVE)
    # 2024-2026 adults = 4 - 3 + adults of 2025-S2, and those are (women, adult) + (men, adult) = 0 + 0.
    assert released["2024-2026"].withheld is False or released["2025-S2"].cells[""] is None
