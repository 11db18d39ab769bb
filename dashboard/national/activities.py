"""The commission's activities: trainings, campaigns, workshops, roundtables, study visits, meetings.

``data/reference/activities.yaml`` holds them (real events, each with its source). The
functions below return plain data for the ``/activities`` page and for output
indicators: the number of activities and of people trained. A number of participants
is only ever what a source states; an activity without one counts as unknown, never as
zero, so every total says how many activities it covers.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from babel import Locale
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from dashboard.i18n import BABEL_LOCALES
from dashboard.models import (
    ACTIVITY_KINDS,
    Activity,
    Entity,
    activity_organiser,
    activity_partner,
)
from dashboard.national.geo import region_names

REFERENCE_FILE = Path("reference") / "activities.yaml"
HOME_COUNTRY = "MA"
# Filter and count key of the activities held outside Morocco.
ABROAD = "abroad"
# Count key of the activities in Morocco that no single region hosted.
NATIONAL = "national"
DATE_PRECISIONS = ("day", "month", "year")
# Who took part, when a source breaks the participants down by profession.
PROFESSIONS = (
    "judges",
    "prosecutors",
    "police",
    "gendarmerie",
    "labour_inspectors",
    "social_workers",
    "health_staff",
    "civil_society",
    "other",
)


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityFilter:
    kind: str | None = None
    year: int | None = None  # the year the activity started
    region: str | None = None  # a region code, or ABROAD
    country: str | None = None  # ISO 3166-1 alpha-2
    entity: str | None = None  # an organiser or a partner, by acronym
    text: str | None = None  # searched in the title, summary and place, in ``lang``


def with_links(query):
    """``query`` loading the bodies and measures of its activities in one query each."""
    return query.options(selectinload(Activity.organisers), selectinload(Activity.partners),
                         selectinload(Activity.measures))


def activity_rows(session: Session, lang: str, filters: ActivityFilter = ActivityFilter()) -> list[ActivityRow]:
    """The activities that match ``filters``, latest first, as plain dicts."""
    query = with_links(select(Activity)).order_by(Activity.start_date.desc(), Activity.code)
    if filters.kind:
        query = query.where(Activity.kind == filters.kind)
    if filters.year:
        query = query.where(Activity.start_date >= dt.date(filters.year, 1, 1),
                            Activity.start_date < dt.date(filters.year + 1, 1, 1))
    if filters.region == ABROAD:
        query = query.where(Activity.country != HOME_COUNTRY)
    elif filters.region:
        query = query.where(Activity.region_code == filters.region)
    if filters.country:
        query = query.where(Activity.country == filters.country)
    if filters.entity:
        query = query.where(or_(Activity.organisers.any(Entity.acronym == filters.entity),
                                Activity.partners.any(Entity.acronym == filters.entity)))
    text = (filters.text or "").strip()
    if text:
        columns = [getattr(Activity, f"{field}_{lang}") for field in ("title", "summary", "place")]
        query = query.where(or_(*(c.icontains(text, autoescape=True) for c in columns),
                                Activity.code.icontains(text, autoescape=True)))
    regions = region_names(session, lang)
    return [_row(a, lang, regions) for a in session.scalars(query)]


def activity_by_code(session: Session, code: str, lang: str) -> ActivityRow | None:
    activity = session.scalars(with_links(select(Activity).where(Activity.code == code))).first()
    return None if activity is None else _row(activity, lang, region_names(session, lang))


class Named(TypedDict):
    acronym: str
    name: str


class ActivityRow(TypedDict):
    """An activity as the pages show it, in one language."""

    code: str
    kind: str
    title: str
    summary: str
    start: dt.date
    end: dt.date
    precision: str  # day, month or year: how much of the dates is known
    place: str
    country: str
    country_name: str
    abroad: bool
    region: str | None
    region_name: str
    organisers: list[Named]
    partners: list[Named]
    participants: dict[str, Any]  # total, male, female, by_profession
    measures: list[dict[str, Any]]  # code, name, is_demo
    documents: list[dict[str, str]]  # title, url
    source: str
    is_demo: bool


def _row(activity: Activity, lang: str, regions: dict[str, str]) -> ActivityRow:
    documents = [{"title": d["title"].get(lang) if isinstance(d["title"], dict) else d["title"],
                  "url": d["url"]} for d in activity.documents or []]
    return {
        "code": activity.code,
        "kind": activity.kind,
        "title": activity.title(lang),
        "summary": activity.summary(lang),
        "start": activity.start_date,
        "end": activity.end_date,
        "precision": activity.date_precision,
        "place": activity.place(lang),
        "country": activity.country,
        "country_name": country_name(activity.country, lang),
        "abroad": activity.country != HOME_COUNTRY,
        "region": activity.region_code,
        "region_name": regions.get(activity.region_code or "", ""),
        "organisers": [{"acronym": e.acronym, "name": e.name(lang)} for e in activity.organisers],
        "partners": [{"acronym": e.acronym, "name": e.name(lang)} for e in activity.partners],
        "participants": {
            "total": activity.participants_total,
            "male": activity.participants_male,
            "female": activity.participants_female,
            "by_profession": dict(activity.participants_by_profession or {}),
        },
        "measures": [{"code": m.code, "name": m.name(lang), "is_demo": m.is_demo}
                     for m in activity.measures],
        "documents": documents,
        "source": activity.source(lang),
        "is_demo": activity.is_demo,
    }


def country_name(code: str, lang: str) -> str:
    """The country's name in the page language (Babel's territory names)."""
    return Locale.parse(BABEL_LOCALES[lang]).territories.get(code, code)


def facets(session: Session, lang: str) -> dict[str, list]:
    """What the filters offer: the years, countries and bodies that activities have."""
    dates_and_countries = session.execute(select(Activity.start_date, Activity.country)).all()
    involved = select(activity_organiser.c.entity_id).union(select(activity_partner.c.entity_id))
    entities = session.scalars(select(Entity).where(Entity.id.in_(involved)).order_by(Entity.acronym))
    countries = {country for _start, country in dates_and_countries}
    return {
        "years": sorted({start.year for start, _country in dates_and_countries if start}, reverse=True),
        "countries": sorted(((c, country_name(c, lang)) for c in countries), key=lambda c: c[1]),
        "entities": [(e.acronym, e.name(lang)) for e in entities],
    }


# --- counting -----------------------------------------------------------------------------


def counts_by_kind(rows: list[ActivityRow]) -> dict[str, int]:
    """Activities per kind, in the vocabulary's order, kinds without any left out."""
    counts = Counter(r["kind"] for r in rows)
    return {kind: counts[kind] for kind in ACTIVITY_KINDS if counts[kind]}


def counts_by_year(rows: list[ActivityRow]) -> dict[int, int]:
    """Activities per starting year, years without any between the first and last included."""
    counts = Counter(r["start"].year for r in rows if r["start"])
    if not counts:
        return {}
    return {year: counts[year] for year in range(min(counts), max(counts) + 1)}


def counts_by_region(rows: list[ActivityRow], region_codes: list[str]) -> dict[str, int]:
    """Activities per region (every code of ``region_codes``, zeros included), then those
    in Morocco without a single region (``NATIONAL``) and those abroad (``ABROAD``)."""
    counts = Counter(ABROAD if r["abroad"] else (r["region"] or NATIONAL) for r in rows)
    result = {code: counts[code] for code in region_codes}
    for key in (NATIONAL, ABROAD):
        if counts[key]:
            result[key] = counts[key]
    return result


def participant_totals(rows: list[ActivityRow]) -> dict[str, Any]:
    """Participants where the sources state them.

    ``total`` sums the activities with a stated total (``with_total`` of ``activities``);
    ``male`` and ``female`` those that state both (``with_sex``). A sum is None when no
    activity states it: unknown, not zero. ``by_profession`` adds what sources break down.
    """
    with_total = [r["participants"] for r in rows if r["participants"]["total"] is not None]
    with_sex = [r["participants"] for r in rows
                if r["participants"]["male"] is not None and r["participants"]["female"] is not None]
    professions: Counter = Counter()
    for r in rows:
        professions.update(r["participants"]["by_profession"])
    return {
        "activities": len(rows),
        "with_total": len(with_total),
        "total": sum(p["total"] for p in with_total) if with_total else None,
        "with_sex": len(with_sex),
        "male": sum(p["male"] for p in with_sex) if with_sex else None,
        "female": sum(p["female"] for p in with_sex) if with_sex else None,
        "by_profession": {p: professions[p] for p in PROFESSIONS if professions[p]},
    }


def output_counts(session: Session, year: int | None = None) -> dict[str, Any]:
    """The feed of output indicators such as "activities held" and "professionals trained".

    For all years or the activities that started in ``year``: ``activities`` and
    ``by_kind`` count them; ``trainings`` counts the activities of kind training and
    ``trained`` (with ``trained_male``, ``trained_female``) sums their participants where
    a source states them: ``trainings_with_participants`` says how many trainings that
    covers. ``trained`` is None, not 0, when no training states its participants, so an
    indicator fed from here must show it as unknown.
    """
    rows = activity_rows(session, "en", ActivityFilter(year=year))
    trainings = [r for r in rows if r["kind"] == "training"]
    trained = participant_totals(trainings)
    return {
        "year": year,
        "activities": len(rows),
        "by_kind": counts_by_kind(rows),
        "trainings": len(trainings),
        "trainings_with_participants": trained["with_total"],
        "trained": trained["total"],
        "trained_male": trained["male"],
        "trained_female": trained["female"],
    }
