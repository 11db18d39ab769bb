"""The funding files: ``reference/exchange_rates.yaml``, ``reference/programmes.yaml`` and, with
``demo``, ``demo/programme_measures.yaml``; their rules and their loading."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dashboard.ingest.documents import (
    ExchangeRatesFile,
    ProgrammeMeasuresFile,
    ProgrammesFile,
)
from dashboard.ingest.reader import (
    Checker,
    DataFileError,
    Problem,
    is_number,
    is_proper,
    mappings,
    read_yaml,
)
from dashboard.ingest.sources import check_sources, publisher_names, sources
from dashboard.ingest.upsert import LoadReport, as_date, assign, money, names, upsert
from dashboard.ingest.validation import checked
from dashboard.models import (
    CURRENCIES,
    PROGRAMME_SCOPES,
    Entity,
    ExchangeRate,
    Measure,
    Programme,
)


def _records(doc: Any, what: str) -> tuple[Checker, list[dict]]:
    """A problem collector and the mappings of a file that must be a list of ``what``s."""
    check = Checker()
    if not isinstance(doc, list):
        check.problems.append(Problem(1, f"the file must be a list of {what}s"))
        return check, []
    return check, mappings(check, {"items": doc}, "items", what)


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
        if not is_number(rate) or rate <= 0:
            check.add(item, f"{where}: 'mad_per_unit' must be a positive number")
        check.date(item, "as_of", where)
        check_sources(check, item, where)
    return checked(ExchangeRatesFile, doc, check.problems)


def validate_programmes(doc: Any, entity_acronyms: set[str]) -> list[Problem]:
    check, items = _records(doc, "programme")
    seen: dict[str, int] = {}
    for item in items:
        code = item.get("code")
        where = f"programme {code}"
        check.unique(seen, code, item, "programme")
        check.translations(item, "name", where)
        check.translations(item, "summary", where)
        check.choice(item, "scope", PROGRAMME_SCOPES, where)
        check_sources(check, item, where)
        # One short name for every language: a descriptive one ("EU support") would be
        # English on the French and Arabic pages, so only a true acronym is kept.
        if item.get("acronym") is not None and not is_proper(item["acronym"]):
            check.add(item, f"{where}: 'acronym' must be a name the same in every language, "
                            "marked {proper: ...} (or left out: the name is shown)")
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
            if amount is not None and (not is_number(amount) or amount < 0):
                check.add(item, f"{where}: '{key}' must be a published amount or null")
        currency = item.get("currency")
        if currency is not None and currency not in CURRENCIES:
            check.add(item, f"{where}: 'currency' must be one of {', '.join(CURRENCIES)} or null")
        if currency is None and any(a is not None for a in amounts):
            check.add(item, f"{where}: an amount needs its 'currency'")
    return checked(ProgrammesFile, doc, check.problems)


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
    return checked(ProgrammeMeasuresFile, doc, check.problems)


def _read(path: Path, validate, *args) -> list:
    """A validated data file; a missing one is empty (a data folder may leave it out)."""
    if not path.exists():
        return []
    doc = read_yaml(path)
    problems = validate(doc, *args)
    if problems:
        raise DataFileError(path, problems)
    return doc


def data_files(data_dir: Path, demo: bool) -> list[Path]:
    """The files ``load`` reads, for ``loader.check_data`` to check first."""
    reference = Path(data_dir) / "reference"
    return [reference / "exchange_rates.yaml", reference / "programmes.yaml"] + (
        [Path(data_dir) / "demo" / "programme_measures.yaml"] if demo else [])


def load(session: Session, data_dir: Path, demo: bool, report: LoadReport) -> None:
    """Load this domain's data files (reference always, demonstration data with ``demo``)."""

    reference = Path(data_dir) / "reference"
    publishers = publisher_names(session)
    for item in _read(reference / "exchange_rates.yaml", validate_rates):
        upsert(session, ExchangeRate, {"currency": item["currency"]}, {
            "mad_per_unit": Decimal(str(item["mad_per_unit"])).quantize(Decimal("0.0001")),
            "as_of": as_date(item["as_of"]),
            **sources(item, publishers),
        }, report, "exchange rates")

    entities = {e.acronym: e for e in session.scalars(select(Entity))}
    docs = _read(reference / "programmes.yaml", validate_programmes, set(entities))
    existing = {p.code: p for p in session.scalars(
        select(Programme).options(selectinload(Programme.partners), selectinload(Programme.measures)))}
    links = (_measure_links(session, Path(data_dir) / "demo" / "programme_measures.yaml",
                            {item["code"] for item in docs}) if demo else {})
    for item in docs:
        values = {
            "acronym": (item.get("acronym") or {}).get("proper", "").strip(),
            "start_year": item.get("start_year"),
            "end_year": item.get("end_year"),
            "currency": item.get("currency"),
            "amount_committed": money(item.get("amount_committed")),
            "amount_disbursed": money(item.get("amount_disbursed")),
            "scope": item["scope"],
            **sources(item, publishers),
            **names(item),
            **names(item, "summary"),
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
            changed = assign(programme, values)
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
