"""The civil-society directory: associations and services that serve victims, by region.

It is the "national map of associations" the commission planned. Contact details are for
logged-in users: for anyone else ``directory`` does not even read them from the database.
"""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from dashboard.i18n import gettext as _
from dashboard.models import (
    DISAGGREGATIONS,
    Entity,
    Organisation,
    Region,
)
from dashboard.permissions import Actor, allowed


def service_names() -> dict[str, str]:
    """Each service's name in the reader's language (pages and exports)."""
    return {
        "shelter": _("Shelter"),
        "legal_aid": _("Legal aid"),
        "psychosocial": _("Psychosocial support"),
        "health": _("Health care"),
        "reintegration": _("Reintegration"),
    }


def kind_names() -> dict[str, str]:
    return {"association": _("Association"), "public_service": _("Public service")}

REGION_CODES = DISAGGREGATIONS["region"]
CONTACT_FIELDS = ("phone", "email", "address", "website")
# The free national hotline: a public number, shown to everyone.
NATIONAL_HOTLINE = "0800 00 47 47"
TEXT_LIMIT = 100  # longest search text taken from the page


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
        _in_lang(Organisation, "source", lang).label("source"),
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
