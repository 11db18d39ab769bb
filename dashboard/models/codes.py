"""The code lists, each defined once: roles and states, the plan's vocabularies, the
breakdowns of indicator values and statistics, the national response's kinds.

Stored as plain strings so the official plan can add values without a schema migration; the
data-file schemas (``dashboard.ingest``) enforce them.
"""
from __future__ import annotations

# Account roles. "public" is the anonymous visitor: no account has it.
ROLES = ("public", "focal_point", "committee", "secretariat", "admin")
ACCOUNT_ROLES = ROLES[1:]
# A submission (a measure update or an indicator value) moves submitted -> approved, or
# submitted -> returned -> submitted again.
SUBMISSION_STATES = ("submitted", "returned", "approved")

# Vocabularies. Stored as plain strings so the official plan can add values without a
# schema migration; the data-file validator enforces them.
MEASURE_STATUSES = ("not_started", "in_progress", "completed", "delayed", "suspended", "cancelled")
PRIORITIES = ("high", "medium", "low")
FUNDING_SOURCES = ("state_budget", "partner", "mixed", "to_be_determined")
INDICATOR_TYPES = ("output", "outcome", "impact")
DIRECTIONS = ("increase", "decrease")
FREQUENCIES = ("annual", "semiannual", "quarterly")
UNITS = ("number", "percent", "days", "MAD")
ENTITY_KINDS = (
    "head_of_government",
    "ministry",
    "judicial",
    "security",
    "national_institution",
    "commission",
    "civil_society",
    "international",
)
DISAGGREGATIONS: dict[str, tuple[str, ...]] = {
    "sex": ("male", "female"),
    "age_group": ("adult", "child"),
    "nationality": ("moroccan", "foreign"),
    "exploitation_form": (
        "sexual",
        "forced_labour",
        "begging",
        "slavery_like",
        "forced_criminality",
        "other",
    ),
    "region": tuple(f"MA-{n:02d}" for n in range(1, 13)),
}


DISAGGREGATION_COLUMNS = {
    "sex": "sex",
    "age_group": "age_group",
    "nationality": "nationality",
    "exploitation_form": "exploitation_form",
    "region": "region_code",
}


def breakdown_key(cells: dict[str, str]) -> str:
    """The canonical text key of a disaggregation cell; empty for the total."""
    return ";".join(f"{k}={cells[k]}" for k in sorted(cells))


STATISTIC_SERIES = (
    "victims_identified",
    "cases_registered",
    "cases_prosecuted",
    "persons_prosecuted",
    "persons_convicted",
    "acquitted",
    "investigations",
    "suspects",
    "complaints",
    # Added with the 2023 and 2024 reports: each is its own table, never joined to another.
    "victims_potential",  # potential victims screened, before confirmation (US TIP report)
    "victims_assisted",  # victims who received a service (breakdown ``service``, which overlap)
    "victims_repatriated",
    "decisions",  # court decisions in trafficking cases (CSPJ)
    "hotline_calls",
    "specialised_prosecutors",
)
STATISTIC_UNITS = ("count", "percent")
# Breakdowns a statistic may carry: the indicator disaggregations, plus where the victim was
# exploited and whether a case crossed borders.
STATISTIC_BREAKDOWNS: dict[str, tuple[str, ...]] = {
    **{key: cells for key, cells in DISAGGREGATIONS.items() if key != "exploitation_form"},
    # The indicators' forms, and those a publisher names apart (CSPJ: servitude, deception
    # and displacement, "clandestine migration"), kept as published and mapped to IC-TIP on
    # the page (``national/standards.py``), never merged into another form.
    "exploitation_form": (*DISAGGREGATIONS["exploitation_form"][:-1], "servitude", "deception", "smuggling"),
    "place": ("morocco", "abroad"),
    "scope": ("domestic", "transnational"),
}
STATISTIC_COLUMNS = {**DISAGGREGATION_COLUMNS, "place": "place", "scope": "scope"}
# Breakdowns only published reports give, not entered by focal points. They have no column
# of their own: the figure's breakdown key holds them.
PUBLISHED_BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "service": ("shelter", "medical", "psychological", "legal_aid_criminal", "legal_aid_civil"),
    "court_of_appeal": ("rabat", "tangier", "marrakech", "casablanca", "fes", "meknes", "nador"),
    "outcome": ("conviction", "acquittal", "requalified", "prosecuted", "closed"),
    "custody": ("detained", "at_liberty"),
    "network": ("criminal_network", "no_network"),
}
# Bodies whose focal points enter yearly figures (entity acronyms).
STATISTICS_PRODUCERS = ("PMP", "CSPJ", "DGSN", "GR", "CNCLTEH")
ROLLOUT_STAGES = ("not_started", "preparing", "pilot", "operational")
# Bodies whose focal points report a region's rollout stage.
ROLLOUT_REPORTERS = ("CNCLTEH", "MJ")
ACTIVITY_KINDS = (
    "training",
    "awareness_campaign",
    "workshop",
    "roundtable",
    "study_visit",
    "international_meeting",
)
ORGANISATION_SERVICES = ("shelter", "legal_aid", "psychosocial", "health", "reintegration")
ORGANISATION_KINDS = ("association", "public_service")
# Where a partner's programme runs: its amount is the whole programme's, so totals stay per scope.
PROGRAMME_SCOPES = ("morocco", "regional", "global")
# A regional coordination committee, a referral cell (at a court or a hospital), a support unit.
REGIONAL_BODY_KINDS = ("committee", "cell", "unit")
CURRENCIES = ("MAD", "EUR", "USD", "CHF")
