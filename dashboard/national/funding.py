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
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dashboard.ingest import datafiles
from dashboard.ingest.datafiles import DataFileError, Problem
from dashboard.models import CURRENCIES, Entity, ExchangeRate, Measure, Objective, Programme

SCOPES = ("morocco", "regional", "global")
# Buckets of the funding-by-axis view besides the axes themselves.
SEVERAL_AXES = "several"
NO_AXIS = "none"
CENT = Decimal("0.01")


# --- loading ----------------------------------------------------------------------------


def _records(doc: Any, what: str) -> tuple[datafiles.Checker, list[dict]]:
    """A problem collector and the mappings of a file that must be a list of ``what``s."""
    check = datafiles.Checker()
    if not isinstance(doc, list):
        check.problems.append(Problem(1, f"the file must be a list of {what}s"))
        return check, []
    return check, datafiles.mappings(check, {"items": doc}, "items", what)


def validate_rates(doc: Any) -> list[Problem]:
    check, items = _records(doc, "rate")
    seen: dict[str, int] = {}
    for item in items:
        currency = item.get("currency")
        where = f"rate {currency}"
        if currency == "MAD" or currency not in CURRENCIES:
            check.add(item, f"{where}: 'currency' must be one of {', '.join(CURRENCIES[1:])}")
        elif currency in seen:
            check.add(item, f"duplicate rate for {currency} (first on line {seen[currency]})")
        else:
            seen[currency] = item.line
        rate = item.get("mad_per_unit")
        if not datafiles.is_number(rate) or rate <= 0:
            check.add(item, f"{where}: 'mad_per_unit' must be a positive number")
        check.date(item, "as_of", where)
        _require_text(check, item, "source", where)
    return sorted(check.problems)


def validate_programmes(doc: Any, entity_acronyms: set[str]) -> list[Problem]:
    check, items = _records(doc, "programme")
    seen: dict[str, int] = {}
    for item in items:
        code = item.get("code")
        where = f"programme {code}"
        check.unique(seen, code, item, "programme")
        check.translations(item, "name", where)
        check.translations(item, "summary", where)
        check.choice(item, "scope", SCOPES, where)
        _require_text(check, item, "source", where)
        partners = item.get("partners")
        if not isinstance(partners, list) or not partners:
            check.add(item, f"{where}: 'partners' must list at least one entity acronym")
        else:
            for partner in partners:
                if partner not in entity_acronyms:
                    check.add(item, f"{where}: unknown partner entity {partner!r}")
        years = [item.get("start_year"), item.get("end_year")]
        if any(y is not None and (isinstance(y, bool) or not isinstance(y, int)) for y in years):
            check.add(item, f"{where}: 'start_year' and 'end_year' must be years or null")
        elif None not in years and years[0] > years[1]:
            check.add(item, f"{where}: 'end_year' is before 'start_year'")
        amounts = [item.get("amount_committed"), item.get("amount_disbursed")]
        for key, amount in zip(("amount_committed", "amount_disbursed"), amounts):
            if amount is not None and (not datafiles.is_number(amount) or amount < 0):
                check.add(item, f"{where}: '{key}' must be a published amount or null")
        currency = item.get("currency")
        if currency is not None and currency not in CURRENCIES:
            check.add(item, f"{where}: 'currency' must be one of {', '.join(CURRENCIES)} or null")
        if currency is None and any(a is not None for a in amounts):
            check.add(item, f"{where}: an amount needs its 'currency'")
    return sorted(check.problems)


def validate_measure_links(doc: Any, programme_codes: set[str]) -> list[Problem]:
    check, items = _records(doc, "link")
    seen: dict[str, int] = {}
    for item in items:
        code = item.get("programme")
        if code not in programme_codes:
            check.add(item, f"unknown programme {code!r}")
        elif code in seen:
            check.add(item, f"programme {code} is listed twice (first on line {seen[code]})")
        else:
            seen[code] = item.line
        measures = item.get("measures")
        if not isinstance(measures, list) or not all(isinstance(m, str) for m in measures):
            check.add(item, f"programme {code}: 'measures' must be a list of measure codes")
    return sorted(check.problems)


def _require_text(check, item: dict, key: str, where: str) -> None:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        check.add(item, f"{where}: '{key}' is missing")


def _read(path: Path, validate, *args) -> list:
    """A validated data file; a missing one is empty (a data folder may leave it out)."""
    if not path.exists():
        return []
    doc = datafiles.read_yaml(path)
    problems = validate(doc, *args)
    if problems:
        raise DataFileError(path, problems)
    return doc


def data_files(data_dir: Path, demo: bool) -> list[Path]:
    """The files ``load`` reads, for ``loader.check_data`` to check first."""
    reference = Path(data_dir) / "reference"
    return [reference / "exchange_rates.yaml", reference / "programmes.yaml"] + (
        [Path(data_dir) / "demo" / "programme_measures.yaml"] if demo else [])


def load(session: Session, data_dir: Path, demo: bool, report) -> None:
    """Load this domain's data files (reference always, demonstration data with ``demo``)."""
    from dashboard.ingest.loader import (  # the loader imports us
        _as_date,
        _assign,
        _money,
        _names,
        _upsert,
    )

    reference = Path(data_dir) / "reference"
    for item in _read(reference / "exchange_rates.yaml", validate_rates):
        _upsert(session, ExchangeRate, {"currency": item["currency"]}, {
            "mad_per_unit": Decimal(str(item["mad_per_unit"])).quantize(Decimal("0.0001")),
            "as_of": _as_date(item["as_of"]),
            "source": item["source"].strip(),
        }, report, "exchange rates")

    entities = {e.acronym: e for e in session.scalars(select(Entity))}
    docs = _read(reference / "programmes.yaml", validate_programmes, set(entities))
    existing = {p.code: p for p in session.scalars(
        select(Programme).options(selectinload(Programme.partners), selectinload(Programme.measures)))}
    links = (_measure_links(session, Path(data_dir) / "demo" / "programme_measures.yaml",
                            {item["code"] for item in docs}) if demo else {})
    for item in docs:
        values = {
            "acronym": (item.get("acronym") or "").strip(),
            "start_year": item.get("start_year"),
            "end_year": item.get("end_year"),
            "currency": item.get("currency"),
            "amount_committed": _money(item.get("amount_committed")),
            "amount_disbursed": _money(item.get("amount_disbursed")),
            "scope": item["scope"],
            "source": item["source"].strip(),
            **_names(item),
            **_names(item, "summary"),
        }
        if item["code"] in links:
            values["measures_are_demo"] = True
        programme = existing.get(item["code"])
        created = programme is None
        if created:
            programme = Programme(code=item["code"], **values)
            session.add(programme)
            changed = True
        else:
            changed = _assign(programme, values)
        partners = sorted((entities[a] for a in set(item["partners"])), key=lambda e: e.acronym)
        if [p.id for p in programme.partners] != [p.id for p in partners]:
            programme.partners = partners
            changed = True
        measures = links.get(item["code"])
        if measures is not None and [m.id for m in programme.measures] != [m.id for m in measures]:
            programme.measures = measures
            changed = True
        report.count("programmes", created, changed)
    session.flush()


def _measure_links(session: Session, path: Path, programme_codes: set[str]) -> dict[str, list[Measure]]:
    """Illustrative links to the illustrative plan's measures, by programme code. A code the
    loaded plan lacks is skipped: an official plan need not have the demonstration codes."""
    docs = _read(path, validate_measure_links, programme_codes)
    wanted = {code for item in docs for code in item["measures"]}
    measures = {m.code: m for m in session.scalars(select(Measure).where(Measure.code.in_(wanted)))}
    return {
        item["programme"]: sorted((measures[c] for c in set(item["measures"]) if c in measures),
                                  key=lambda m: m.code)
        for item in docs
    }


# --- amounts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """How many dirhams one unit of ``currency`` counts for on this dashboard."""

    currency: str
    mad_per_unit: Decimal
    as_of: dt.date
    source: str


def rates(session: Session) -> dict[str, Rate]:
    return {
        r.currency: Rate(r.currency, r.mad_per_unit, r.as_of, r.source)
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


def programmes(session: Session, lang: str) -> list[dict]:
    """Every programme with its partners, amounts in its currency and in dirhams, and the
    measures it is linked to; those with a known start come first, by start year."""
    stated = rates(session)
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
    rows = []
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
            "source": p.source,
            "measures_are_demo": p.measures_are_demo,
            "measures": [
                {"code": m.code, "name": m.name(lang), "axis": m.objective.axis.code,
                 "status": m.status, "progress": m.progress, "is_demo": m.is_demo}
                for m in p.measures
            ],
        })
    return rows


def of_partner(rows: list[dict], partner: str | None) -> list[dict]:
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


def totals(rows: list[dict], amount: str = "committed") -> dict[str, Totals]:
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


def used_rates(rows: list[dict]) -> list[Rate]:
    """The rates behind the dirham equivalents of these programmes, by currency."""
    found = {r["rate"].currency: r["rate"] for r in rows if r["rate"] and r["committed"] is not None}
    return [found[c] for c in sorted(found)]


def by_partner(rows: list[dict]) -> list[dict]:
    """Programmes grouped by their set of partners. A programme with several partners goes to
    a joint bucket as a whole: no split between partners is published."""
    buckets: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for row in rows:
        buckets[tuple(p["acronym"] for p in row["partners"])].append(row)
    return [
        {"partners": list(key), "joint": len(key) > 1, "programmes": group, "totals": totals(group)}
        for key, group in sorted(buckets.items(), key=lambda item: (len(item[0]) > 1, item[0]))
    ]


def by_axis(rows: list[dict], axis_order: list[str]) -> list[dict]:
    """Programmes by the axis of the measures they support. Amounts are never split across
    axes: a programme supporting several axes goes whole to the ``SEVERAL_AXES`` bucket, one
    linked to no measure to ``NO_AXIS``. Buckets follow ``axis_order`` (the plan's)."""
    buckets: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        axes = {m["axis"] for m in row["measures"]}
        key = axes.pop() if len(axes) == 1 else (SEVERAL_AXES if axes else NO_AXIS)
        buckets[key].append(row)
    order = [*axis_order, SEVERAL_AXES, NO_AXIS]
    return [
        {"axis": key, "programmes": buckets[key], "totals": totals(buckets[key]),
         "measures": [dict(m, programme=r["acronym"] or r["code"])
                      for r in buckets[key] for m in r["measures"]]}
        for key in order if buckets.get(key)
    ]


def supported_measures(rows: list[dict]) -> list[dict]:
    """Per partner, the measures its programmes are linked to, with their progress."""
    partners: dict[str, dict] = {}
    for row in rows:
        for partner in row["partners"]:
            entry = partners.setdefault(partner["acronym"], {**partner, "measures": {}, "is_demo": False})
            for measure in row["measures"]:
                linked = entry["measures"].setdefault(measure["code"], {**measure, "programmes": []})
                linked["programmes"].append(row["acronym"] or row["code"])
                entry["is_demo"] = entry["is_demo"] or row["measures_are_demo"]
    return [
        {**entry, "measures": [entry["measures"][code] for code in sorted(entry["measures"])]}
        for _key, entry in sorted(partners.items()) if entry["measures"]
    ]
