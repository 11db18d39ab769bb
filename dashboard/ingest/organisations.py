"""The civil-society directory files ``reference/organisations.yaml`` and, with ``demo``,
``demo/organisations.yaml``: their rules and their loading."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.ingest.documents import OrganisationsFile
from dashboard.ingest.reader import Checker, DataFileError, Problem, mappings, read_yaml
from dashboard.ingest.sources import check_sources, publisher_names, sources
from dashboard.ingest.upsert import LoadReport, names, upsert
from dashboard.ingest.validation import checked
from dashboard.models import (
    ORGANISATION_KINDS,
    ORGANISATION_SERVICES,
    Entity,
    Organisation,
)
from dashboard.national.organisations import (
    CONTACT_FIELDS,
    REGION_CODES,
)


def validate_organisations(doc: Any, entity_acronyms: set[str], taken: set[str] = frozenset()) -> list[Problem]:
    """Problems of an organisations file; ``taken`` are codes another file already uses."""
    check = Checker()
    if not isinstance(doc, list):
        return [Problem(1, "the organisations file must be a list")]
    seen: dict[str, int] = {}
    for item in mappings(check, {"organisations": doc}, "organisations", "organisation"):
        code = item.get("code")
        where = f"organisation {code}"
        check.unique(seen, code, item, "organisation")
        if code in taken:
            check.add(item, f"{where}: the code is already used by the reference file")
        check.translations(item, "name", where, proper=True)
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
        check_sources(check, item, where)
    return checked(OrganisationsFile, doc, check.problems)


def data_files(data_dir: Path, demo: bool) -> list[Path]:
    """The files ``load`` reads, for ``loader.check_data`` to check first."""
    layers = ["reference", "demo"] if demo else ["reference"]
    return [Path(data_dir) / layer / "organisations.yaml" for layer in layers]


def load(session: Session, data_dir: Path, demo: bool, report: LoadReport) -> None:
    """Load this domain's data files (reference always, demonstration data with ``demo``)."""

    entities = dict(session.execute(select(Entity.acronym, Entity.id)).all())
    publishers = publisher_names(session)
    files = [(Path(data_dir) / "reference" / "organisations.yaml", False)]
    if demo:
        files.append((Path(data_dir) / "demo" / "organisations.yaml", True))
    taken: set[str] = set()
    for path, is_demo in files:
        if not path.exists():  # a data folder may leave the directory out
            continue
        doc = read_yaml(path)
        problems = validate_organisations(doc, set(entities), taken)
        if problems:
            raise DataFileError(path, problems)
        for item in doc:
            contacts = item.get("contacts") or {}
            upsert(session, Organisation, {"code": item["code"]}, {
                "kind": item["kind"],
                "region_code": item["region"],
                "services": [s for s in ORGANISATION_SERVICES if s in item["services"]],
                "entity_id": entities.get(item.get("entity")),
                **{key: str(contacts.get(key) or "").strip() for key in CONTACT_FIELDS},
                **sources(item, publishers),
                "is_demo": is_demo,
                **names(item),
                **names(item, "city"),
            }, report, "organisations")
        taken |= {item["code"] for item in doc}
    session.flush()
