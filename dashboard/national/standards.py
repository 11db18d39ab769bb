"""Published figures read against the UN standards: each publisher's categories mapped to the
International Classification Standard for Administrative Data on Trafficking in Persons
(IC-TIP) and to SDG indicator 16.2.2, what each publisher's series counts when two of them
give a figure for the same year, and the 16.2.2 rate (victims per 100,000 people).

Nothing here changes a figure: the mapping says which standard category a publisher's
category falls in, never merges two publishers' counts. Rates are computed from released
figures only, so a suppressed count gives no rate.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from dashboard import labels
from dashboard.citations import SourceParts, compose
from dashboard.i18n import gettext as _
from dashboard.national.disclosure import SHOWN
from dashboard.national.statistics import Figure

# The legal population at the 2024 general census (HCP, RGPH 2024): the denominator of the
# 16.2.2 rate, used for that year only (no population is estimated for other years).
POPULATION = {2024: 36_828_330}
PER = 100_000
RATE_SERIES = "victims_identified"


def population_source(lang: str) -> str:
    return compose(SourceParts(
        title={"ar": "الإحصاء العام للسكان والسكنى 2024", "fr": "Recensement général de la population et de "
               "l'habitat 2024", "en": "General Population and Housing Census 2024"},
        publisher={"ar": "المندوبية السامية للتخطيط", "fr": "Haut-Commissariat au Plan",
                   "en": "High Commission for Planning"},
        date="2024", via="RGPH 2024"), lang)


# A form of exploitation as the dashboard codes it (the publisher's own category) ->
# (IC-TIP category, SDG 16.2.2 category); None where the standard has no such form.
FORMS: dict[str, tuple[str | None, str | None]] = {
    "sexual": ("sexual", "sexual"),
    "forced_labour": ("forced_labour", "forced_labour"),
    "slavery_like": ("slavery", "other"),
    "servitude": ("slavery", "other"),
    "forced_criminality": ("criminal_activities", "other"),
    "begging": ("begging", "other"),
    # A means (deception) and another offence (migrant smuggling): not forms of exploitation.
    "deception": (None, None),
    "smuggling": (None, None),
}


def ictip_names() -> dict[str, str]:
    return {
        "sexual": _("Trafficking for sexual exploitation"),
        "forced_labour": _("Trafficking for forced labour or services"),
        "slavery": _("Trafficking for slavery, servitude or practices similar to slavery"),
        "criminal_activities": _("Trafficking for exploitation in criminal activities"),
        "begging": _("Trafficking for exploitation in begging"),
    }


def sdg_names() -> dict[str, str]:
    return {
        "sexual": _("Sexual exploitation"),
        "forced_labour": _("Forced labour"),
        "other": _("Other forms of exploitation"),
    }


def publisher_terms() -> dict[tuple[str, str], str]:
    """A publisher's own word for a category, where it differs from the dashboard's name."""
    return {
        ("CSPJ", "forced_criminality"): _("Forced criminal acts"),
        ("USDOS", "slavery_like"): _("Slavery-like practices"),
    }


@dataclass(frozen=True)
class Mapping:
    publisher: str
    category: str  # the dashboard's code
    published_as: str  # the publisher's category, in the reader's language
    ictip: str  # the IC-TIP category, or why there is none
    sdg: str  # the SDG 16.2.2 category, or why there is none


def form_mappings(figures: Iterable[Figure]) -> list[Mapping]:
    """Each publisher's forms of exploitation on the page, with their standard categories."""
    present = sorted({(f.publisher, f.cells["exploitation_form"]) for f in figures
                      if "exploitation_form" in f.cells})
    names, ictip, sdg, terms = labels.disaggregation_value(), ictip_names(), sdg_names(), publisher_terms()
    none = _("Not a form of exploitation in this standard")
    rows = []
    for publisher, form in present:
        standard_ictip, standard_sdg = FORMS.get(form, (None, None))
        rows.append(Mapping(publisher, form, terms.get((publisher, form), names.get(form, form)),
                            ictip[standard_ictip] if standard_ictip else none,
                            sdg[standard_sdg] if standard_sdg else none))
    return rows


# --- what each publisher counts ----------------------------------------------------------


def counting_notes() -> dict[tuple[str, str], str]:
    """What a publisher's series counts, for the series that two publishers give for one year."""
    return {
        ("PMP", "victims_identified"): _("victims in the trafficking cases the public prosecutors registered "
                                         "in the year"),
        ("CSPJ", "victims_identified"): _("victims in the trafficking cases the courts ruled on in the year"),
        ("USDOS", "victims_identified"): _("victims the government confirmed and reported to the US State "
                                           "Department, out of a larger number of potential victims"),
        ("CNCLTEH", "victims_identified"): _("victims in the cases the commission gathered from its members"),
        ("PMP", "persons_prosecuted"): _("persons the public prosecutors prosecuted for trafficking in the year"),
        ("USDOS", "persons_prosecuted"): _("persons prosecuted, as the government reported them to the US "
                                           "State Department"),
        ("CSPJ", "persons_convicted"): _("persons convicted in the trafficking cases the courts ruled on in "
                                         "the year, forms such as clandestine migration included"),
        ("USDOS", "persons_convicted"): _("persons convicted of trafficking, as the government reported them "
                                          "to the US State Department"),
        ("CNDH", "persons_convicted"): _("persons convicted in the trafficking cases judged in the year, as the "
                                         "CNDH reports them"),
        ("PMP", "cases_registered"): _("cases the public prosecutors registered in the year"),
        ("CNCLTEH", "cases_registered"): _("cases the commission gathered from its members"),
    }


@dataclass(frozen=True)
class Comparison:
    """Two publishers or more giving a total of one series for one year: shown side by side."""

    series: str
    year: int
    figures: tuple[Figure, ...]  # one per publisher, never added up


def comparisons(figures: Iterable[Figure]) -> list[Comparison]:
    """The yearly totals that several publishers give for the same series, latest year first."""
    groups: dict[tuple[str, int], list[Figure]] = defaultdict(list)
    for f in figures:
        if not f.breakdown and f.unit == "count" and f.year is not None:
            groups[(f.series, f.year)].append(f)
    found = [Comparison(series, year, tuple(sorted(rows, key=lambda f: f.publisher)))
             for (series, year), rows in groups.items() if len({f.publisher for f in rows}) > 1]
    return sorted(found, key=lambda c: (-c.year, c.series))


# --- SDG 16.2.2 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    figure: Figure  # the publisher's released total of victims for the year
    rate: float  # victims per 100,000 people
    population: int


def sdg_rates(figures: Iterable[Figure]) -> list[Rate]:
    """Victims per 100,000 people, one per publisher and census year, from released totals
    (a count shown as "<5" or hidden gives none)."""
    rates = [Rate(f, f.value / POPULATION[f.year] * PER, POPULATION[f.year]) for f in figures
             if f.series == RATE_SERIES and not f.breakdown and f.unit == "count" and f.year in POPULATION
             and f.status == SHOWN and f.value is not None]
    return sorted(rates, key=lambda r: (-r.figure.year, r.figure.is_demo, r.figure.publisher))
