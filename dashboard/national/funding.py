"""Partners, their programmes and funding, with amounts in dirhams at stated rates.

Only published amounts are stored; an unpublished one stays ``None`` and is counted as
such, never as zero. Amounts of different currencies are only added once converted to
dirhams at the stated rate (``exchange_rate``). A regional or global programme's amount
is the whole programme's, not Morocco's share, so every total is kept per scope.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dashboard.i18n import gettext as _
from dashboard.models import (
    PROGRAMME_SCOPES,
    ExchangeRate,
    Measure,
    Objective,
    Programme,
)

SCOPES = PROGRAMME_SCOPES
# Buckets of the funding-by-axis view besides the axes themselves.
SEVERAL_AXES = "several"
NO_AXIS = "none"
CENT = Decimal("0.01")


def scope_names() -> dict[str, str]:
    """What a programme's amount covers, in the reader's language (pages and exports)."""
    return {
        "morocco": _("Morocco"),
        "regional": _("Regional programme"),
        "global": _("Global programme"),
    }


# --- amounts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """How many dirhams one unit of ``currency`` counts for on this dashboard."""

    currency: str
    mad_per_unit: Decimal
    as_of: dt.date
    source: str


def rates(session: Session, lang: str = "en") -> dict[str, Rate]:
    return {
        r.currency: Rate(r.currency, r.mad_per_unit, r.as_of, r.source(lang))
        for r in session.scalars(select(ExchangeRate).order_by(ExchangeRate.currency))
    }


def to_mad(amount: Decimal | None, currency: str | None, stated: dict[str, Rate]) -> Decimal | None:
    """``amount`` in dirhams at the stated rate; None when unknown or without a rate."""
    if amount is None or currency is None:
        return None
    if currency == "MAD":
        return amount
    rate = stated.get(currency)
    return None if rate is None else (amount * rate.mad_per_unit).quantize(CENT)


class Partner(TypedDict):
    acronym: str
    name: str


class ProgrammeRow(TypedDict):
    """A partner's programme in one language; amounts in its currency and in dirhams."""

    code: str
    acronym: str
    name: str
    summary: str
    partners: list[Partner]
    start_year: int | None
    end_year: int | None
    currency: str
    committed: Decimal | None
    disbursed: Decimal | None
    committed_mad: Decimal | None
    disbursed_mad: Decimal | None
    rate: Rate | None
    scope: str  # morocco | regional | global: amounts are summed per scope only
    source: str
    measures_are_demo: bool
    measures: list[dict[str, Any]]  # code, name, axis, status, progress, is_demo


def programmes(session: Session, lang: str) -> list[ProgrammeRow]:
    """Every programme with its partners, amounts in its currency and in dirhams, and the
    measures it is linked to; those with a known start come first, by start year."""
    stated = rates(session, lang)
    query = (
        select(Programme)
        .options(
            selectinload(Programme.partners),
            selectinload(Programme.measures)
            .joinedload(Measure.objective)
            .joinedload(Objective.axis),
        )
        .order_by(Programme.start_year.is_(None), Programme.start_year, Programme.code)
    )
    rows: list[ProgrammeRow] = []
    for p in session.scalars(query):
        rows.append({
            "code": p.code,
            "acronym": p.acronym,
            "name": p.name(lang),
            "summary": p.summary(lang),
            "partners": [{"acronym": e.acronym, "name": e.name(lang)} for e in p.partners],
            "start_year": p.start_year,
            "end_year": p.end_year,
            "currency": p.currency,
            "committed": p.amount_committed,
            "disbursed": p.amount_disbursed,
            "committed_mad": to_mad(p.amount_committed, p.currency, stated),
            "disbursed_mad": to_mad(p.amount_disbursed, p.currency, stated),
            "rate": stated.get(p.currency),
            "scope": p.scope,
            "source": p.source(lang),
            "measures_are_demo": p.measures_are_demo,
            "measures": [
                {"code": m.code, "name": m.name(lang), "axis": m.objective.axis.code,
                 "status": m.status, "progress": m.progress, "is_demo": m.is_demo}
                for m in p.measures
            ],
        })
    return rows


def of_partner(rows: list[ProgrammeRow], partner: str | None) -> list[ProgrammeRow]:
    """The programmes ``partner`` (an entity acronym) takes part in; all without one."""
    if not partner:
        return rows
    return [r for r in rows if any(p["acronym"] == partner for p in r["partners"])]


@dataclass
class Totals:
    """Known amounts of a set of programmes: per currency, and in dirhams where a rate is stated."""

    programmes: int = 0
    without_amount: int = 0  # no published amount: counted, never taken as zero
    without_rate: int = 0  # a published amount in a currency without a stated rate
    by_currency: dict[str, Decimal] = field(default_factory=dict)
    mad: Decimal = Decimal(0)

    @property
    def with_amount(self) -> int:
        return self.programmes - self.without_amount


def totals(rows: list[ProgrammeRow], amount: str = "committed") -> dict[str, Totals]:
    """Totals per scope (``SCOPES``); ``amount`` is "committed" or "disbursed".

    Scopes are never added together: a global programme's budget is for all its countries.
    """
    result = {scope: Totals() for scope in SCOPES}
    for row in rows:
        total = result[row["scope"]]
        total.programmes += 1
        value, mad = row[amount], row[f"{amount}_mad"]
        if value is None:
            total.without_amount += 1
            continue
        total.by_currency[row["currency"]] = total.by_currency.get(row["currency"], Decimal(0)) + value
        if mad is None:
            total.without_rate += 1
        else:
            total.mad += mad
    return result


def used_rates(rows: list[ProgrammeRow]) -> list[Rate]:
    """The rates behind the dirham equivalents of these programmes, by currency."""
    found = {r["rate"].currency: r["rate"] for r in rows if r["rate"] and r["committed"] is not None}
    return [found[c] for c in sorted(found)]


def by_partner(rows: list[ProgrammeRow]) -> list[dict]:
    """Programmes grouped by their set of partners. A programme with several partners goes to
    a joint bucket as a whole: no split between partners is published."""
    buckets: dict[tuple[str, ...], list[ProgrammeRow]] = defaultdict(list)
    for row in rows:
        buckets[tuple(p["acronym"] for p in row["partners"])].append(row)
    return [
        {"partners": list(key), "joint": len(key) > 1, "programmes": group, "totals": totals(group)}
        for key, group in sorted(buckets.items(), key=lambda item: (len(item[0]) > 1, item[0]))
    ]


def by_axis(rows: list[ProgrammeRow], axis_order: list[str]) -> list[dict]:
    """Programmes by the axis of the measures they support. Amounts are never split across
    axes: a programme supporting several axes goes whole to the ``SEVERAL_AXES`` bucket, one
    linked to no measure to ``NO_AXIS``. Buckets follow ``axis_order`` (the plan's)."""
    buckets: dict[str, list[ProgrammeRow]] = defaultdict(list)
    for row in rows:
        axes = {m["axis"] for m in row["measures"]}
        key = axes.pop() if len(axes) == 1 else (SEVERAL_AXES if axes else NO_AXIS)
        buckets[key].append(row)
    order = [*axis_order, SEVERAL_AXES, NO_AXIS]
    return [
        {"axis": key, "programmes": buckets[key], "totals": totals(buckets[key]),
         "measures": [dict(m, programme=r["acronym"] or r["name"])
                      for r in buckets[key] for m in r["measures"]]}
        for key in order if buckets.get(key)
    ]


def supported_measures(rows: list[ProgrammeRow]) -> list[dict]:
    """Per partner, the measures its programmes are linked to, with their progress."""
    partners: dict[str, dict] = {}
    for row in rows:
        for partner in row["partners"]:
            entry = partners.setdefault(partner["acronym"], {**partner, "measures": {}, "is_demo": False})
            for measure in row["measures"]:
                linked = entry["measures"].setdefault(measure["code"], {**measure, "programmes": []})
                linked["programmes"].append(row["acronym"] or row["name"])
                entry["is_demo"] = entry["is_demo"] or row["measures_are_demo"]
    return [
        {**entry, "measures": [entry["measures"][code] for code in sorted(entry["measures"])]}
        for _key, entry in sorted(partners.items()) if entry["measures"]
    ]
