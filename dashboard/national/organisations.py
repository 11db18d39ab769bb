"""The civil-society directory: associations and services that serve victims, by region.

It is the "national map of associations" the commission planned. Contact details are for
logged-in users: for anyone else ``directory`` does not even read them from the database.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from dashboard.ingest import datafiles
from dashboard.ingest.datafiles import DataFileError, Problem
from dashboard.models import DISAGGREGATIONS, ORGANISATION_SERVICES, Entity, Organisation, Region
from dashboard.permissions import Actor, allowed

ORGANISATION_KINDS = ("association", "public_service")
REGION_CODES = DISAGGREGATIONS["region"]
CONTACT_FIELDS = ("phone", "email", "address", "website")
# The free national hotline: a public number, shown to everyone.
NATIONAL_HOTLINE = "0800 00 47 47"
TEXT_LIMIT = 100  # longest search text taken from the page


# --- loading ----------------------------------------------------------------------------


def validate_organisations(doc: Any, entity_acronyms: set[str], taken: set[str] = frozenset()) -> list[Problem]:
    """Problems of an organisations file; ``taken`` are codes another file already uses."""
    check = datafiles.Checker()
    if not isinstance(doc, list):
        return [Problem(1, "the organisations file must be a list")]
    seen: dict[str, int] = {}
    for item in datafiles.mappings(check, {"organisations": doc}, "organisations", "organisation"):
        code = item.get("code")
        where = f"organisation {code}"
        check.unique(seen, code, item, "organisation")
        if code in taken:
            check.add(item, f"{where}: the code is already used by the reference file")
        check.translations(item, "name", where)
        check.translations(item, "city", where, required=False)
        check.choice(item, "kind", ORGANISATION_KINDS, where)
        check.choice(item, "region", REGION_CODES, where)
        services = item.get("services")
        if not isinstance(services, list) or not services:
            check.add(item, f"{where}: 'services' must list at least one of {', '.join(ORGANISATION_SERVICES)}")
        else:
            for service in services:
                if service not in ORGANISATION_SERVICES:
                    check.add(item, f"{where}: unknown service {service!r}")
        entity = item.get("entity")
        if entity is not None and entity not in entity_acronyms:
            check.add(item, f"{where}: unknown entity {entity!r}")
        contacts = item.get("contacts") or {}
        if not isinstance(contacts, dict) or set(contacts) - set(CONTACT_FIELDS):
            check.add(item, f"{where}: 'contacts' may only give {', '.join(CONTACT_FIELDS)}")
        else:
            if contacts.get("email") and "@" not in str(contacts["email"]):
                check.add(item, f"{where}: {contacts['email']!r} is not an e-mail address")
            if contacts.get("website") and not str(contacts["website"]).startswith(("https://", "http://")):
                check.add(item, f"{where}: 'website' must start with https:// or http://")
        source = item.get("source")
        if not isinstance(source, str) or not source.strip():
            check.add(item, f"{where}: 'source' is missing")
    return sorted(check.problems)


def data_files(data_dir: Path, demo: bool) -> list[Path]:
    """The files ``load`` reads, for ``loader.check_data`` to check first."""
    layers = ["reference", "demo"] if demo else ["reference"]
    return [Path(data_dir) / layer / "organisations.yaml" for layer in layers]


def load(session: Session, data_dir: Path, demo: bool, report) -> None:
    """Load this domain's data files (reference always, demonstration data with ``demo``)."""
    from dashboard.ingest.loader import _names, _upsert  # the loader imports this module

    entities = dict(session.execute(select(Entity.acronym, Entity.id)).all())
    files = [(Path(data_dir) / "reference" / "organisations.yaml", False)]
    if demo:
        files.append((Path(data_dir) / "demo" / "organisations.yaml", True))
    taken: set[str] = set()
    for path, is_demo in files:
        if not path.exists():  # a data folder may leave the directory out
            continue
        doc = datafiles.read_yaml(path)
        problems = validate_organisations(doc, set(entities), taken)
        if problems:
            raise DataFileError(path, problems)
        for item in doc:
            contacts = item.get("contacts") or {}
            _upsert(session, Organisation, {"code": item["code"]}, {
                "kind": item["kind"],
                "region_code": item["region"],
                "services": [s for s in ORGANISATION_SERVICES if s in item["services"]],
                "entity_id": entities.get(item.get("entity")),
                **{key: str(contacts.get(key) or "").strip() for key in CONTACT_FIELDS},
                "source": item["source"].strip(),
                "is_demo": is_demo,
                **_names(item),
                **_names(item, "city"),
            }, report, "organisations")
        taken |= {item["code"] for item in doc}
    session.flush()


# --- the directory ----------------------------------------------------------------------


def _in_lang(model, column: str, lang: str):
    """``<column>_<lang>``, else the French, else the English text, in SQL."""
    return func.coalesce(
        func.nullif(getattr(model, f"{column}_{lang}"), ""),
        func.nullif(getattr(model, f"{column}_fr"), ""),
        getattr(model, f"{column}_en"),
    )


def directory(session: Session, actor: Actor, lang: str, region: str | None = None,
              service: str | None = None, text: str | None = None) -> list[dict]:
    """The organisations matching the filters, in ``lang``, by region then name.

    Rows carry ``contacts`` only for users allowed to read them ("read_contacts"); for the
    public the key is absent and the contact columns are not even selected.
    """
    contacts = allowed(actor, "read_contacts")
    columns = [
        Organisation.code,
        _in_lang(Organisation, "name", lang).label("name"),
        Organisation.kind,
        Organisation.region_code,
        getattr(Region, f"name_{lang}").label("region"),
        _in_lang(Organisation, "city", lang).label("city"),
        Organisation.services,
        Organisation.source,
        Organisation.is_demo,
        Entity.acronym.label("entity"),
    ]
    if contacts:
        columns += [getattr(Organisation, key) for key in CONTACT_FIELDS]
    query = (
        select(*columns)
        .outerjoin(Region, Region.code == Organisation.region_code)
        .outerjoin(Entity, Entity.id == Organisation.entity_id)
        .order_by(Organisation.region_code, "name")
    )
    if region:
        query = query.where(Organisation.region_code == region)
    text = (text or "").strip()[:TEXT_LIMIT]
    if text:
        searched = [getattr(Organisation, f"{column}_{code}") for column in ("name", "city")
                    for code in ("ar", "fr", "en")]
        query = query.where(or_(*(c.icontains(text, autoescape=True) for c in searched)))
    rows = []
    for row in session.execute(query).mappings():
        if service and service not in row["services"]:  # a JSON list: filtered here, portably
            continue
        item = {key: row[key] for key in row if key not in CONTACT_FIELDS}
        if contacts:
            item["contacts"] = {key: row[key] for key in CONTACT_FIELDS if row[key]}
        rows.append(item)
    return rows


def counts(rows: list[dict]) -> dict[str, Counter]:
    """How many organisations per region and per service (one may offer several)."""
    return {
        "by_region": Counter(r["region_code"] for r in rows),
        "by_service": Counter(s for r in rows for s in r["services"]),
    }
