"""Small-cell suppression of victim counts (dashboard.disclosure)."""
from __future__ import annotations

import itertools

from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.disclosure import DEFAULT_THRESHOLD, configured_threshold, suppress


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
    app = Flask(__name__)
    with app.app_context():
        assert configured_threshold() == DEFAULT_THRESHOLD
    app.config["SMALL_CELL_THRESHOLD"] = 10
    with app.app_context():
        assert configured_threshold() == 10


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
