"""The consistency rules of a table of national figures, without a database: true counts of
a population never break them (no figure is refused wrongly), and each kind of
contradiction is found and named."""
from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.models import STATISTIC_BREAKDOWNS
from dashboard.national.statistic_consistency import (
    CANDIDATE,
    PUBLISHED,
    Entry,
    findings,
    introduced,
)
from dashboard.national.statistics import EXHAUSTIVE

DIMENSIONS = {"sex": ("male", "female"), "age_group": ("adult", "child"),
              "nationality": ("moroccan", "foreign"), "region": ("MA-01", "MA-02", "MA-03")}
FORMS = STATISTIC_BREAKDOWNS["exploitation_form"]


person = st.fixed_dictionaries({
    **{dim: st.sampled_from(categories) for dim, categories in DIMENSIONS.items()},
    # One victim may suffer several forms of exploitation, or none that is listed.
    "exploitation_form": st.sets(st.sampled_from(FORMS), max_size=3),
})


def counts(people: list[dict], keys: list[str]) -> dict[str, Entry]:
    """The true count of every cell in ``keys`` (a partial table, as publishers give)."""
    def inside(who: dict, key: str) -> bool:
        for part in filter(None, key.split(";")):
            dim, category = part.split("=")
            value = who[dim]
            if not (category in value if isinstance(value, set) else category == value):
                return False
        return True

    return {key: Entry(float(sum(inside(who, key) for who in people))) for key in keys}


def all_keys() -> list[str]:
    cells = [[f"{dim}={c}" for c in cats] for dim, cats in {**DIMENSIONS, "exploitation_form": FORMS}.items()]
    one = [key for line in cells for key in line]
    two = [";".join(sorted((a, b))) for first, second in itertools.combinations(cells, 2)
           for a in first for b in second]
    return ["", *one, *two]


@settings(max_examples=150, deadline=None)
@given(people=st.lists(person, max_size=40), keys=st.lists(st.sampled_from(all_keys()), max_size=25, unique=True))
def test_true_counts_never_contradict(people, keys):
    assert findings(counts(people, keys), EXHAUSTIVE) == []


def test_a_cell_above_its_total_is_found_with_its_figures():
    [found] = findings({"": Entry(310), "nationality=foreign": Entry(500)}, EXHAUSTIVE)
    assert found.kind == "above" and (found.parent.key, found.parent.value) == ("", 310)
    assert [(t.key, t.value) for t in found.terms] == [("nationality=foreign", 500)]


def test_exclusive_categories_past_the_total_are_found_but_overlapping_forms_are_not():
    [found] = findings({"": Entry(310), "sex=male": Entry(200), "sex=female": Entry(150)}, EXHAUSTIVE)
    assert found.kind == "sum" and found.total == 350 and found.excess == 40
    assert findings({"": Entry(310), "exploitation_form=sexual": Entry(200),
                     "exploitation_form=begging": Entry(150)}, EXHAUSTIVE) == []


def test_a_crossed_cell_is_named_against_the_nearest_figure_it_exceeds():
    [found] = findings({"": Entry(45), "sex=female": Entry(40), "age_group=child;sex=female": Entry(50)},
                       EXHAUSTIVE)
    assert (found.parent.key, found.terms[0].key) == ("sex=female", "age_group=child;sex=female")


def test_an_unpublished_margin_counts_at_least_its_known_cells():
    [found] = findings({"": Entry(85), "sex=male": Entry(70), "age_group=adult;sex=female": Entry(20)},
                       EXHAUSTIVE)
    assert found.total == 90 and {t.key for t in found.terms} == {"sex=male", "age_group=adult;sex=female"}


def test_only_contradictions_brought_or_widened_by_a_change_count():
    wrong = {"": Entry(310), "nationality=foreign": Entry(500), "nationality=moroccan": Entry(200)}
    better = {**wrong, "nationality=foreign": Entry(300, CANDIDATE)}
    worse = {**wrong, "nationality=foreign": Entry(600, CANDIDATE)}
    assert introduced(wrong, better, EXHAUSTIVE) == []
    assert {f.kind for f in introduced(wrong, worse, EXHAUSTIVE)} == {"above", "sum"}
    assert introduced({}, {"": Entry(3, PUBLISHED)}, EXHAUSTIVE) == []


def test_the_shipped_published_tables_agree_with_themselves():
    """Every published table (publisher, series, period) keeps the rules, the 2023 and 2024
    details included: complaints by outcome, decisions by court of appeal, convictions by sex."""
    from collections import defaultdict

    from dashboard.ingest import statistics as statistics_files
    from helpers import DATA_DIR

    entities = {"CNCLTEH", "PMP", "CSPJ", "CNDH", "USDOS", "DGSN", "GR"}
    tables: dict[tuple, dict[str, Entry]] = defaultdict(dict)
    for path in (statistics_files.REFERENCE_FILE, statistics_files.DEMO_FILE):
        for record in statistics_files.read_file(DATA_DIR / path, entities):
            if record["unit"] == "count":
                tables[(record["entity"], record["series"], record["period"])][record["breakdown"]] = \
                    Entry(record["value"])
    exclusive = {*EXHAUSTIVE, "court_of_appeal", "outcome"}
    assert {key: findings(table, exclusive) for key, table in tables.items() if findings(table, exclusive)} == {}
    assert tables[("PMP", "complaints", "2023")]["outcome=requalified"].value == 39
