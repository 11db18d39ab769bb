"""The commission's activities: trainings, campaigns, workshops, roundtables, study visits, meetings.

``data/reference/activities.yaml`` holds them (real events, each with its source). The
functions below return plain data for the ``/activities`` page and for output
indicators: the number of activities and of people trained. A number of participants
is only ever what a source states; an activity without one counts as unknown, never as
zero, so every total says how many activities it covers.
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from dashboard.config import LANGUAGES
from dashboard.ingest.datafiles import DataFileError, Problem, Checker, mappings, read_yaml
from dashboard.i18n import BABEL_LOCALES
from dashboard.models import (
    ACTIVITY_KINDS,
    Activity,
    Entity,
    Measure,
    Region,
    activity_organiser,
    activity_partner,
)
from dashboard.plan.queries import region_names

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


# --- loading ------------------------------------------------------------------------------


def load(session: Session, data_dir: Path, demo: bool, report) -> None:
    """Load ``data/reference/activities.yaml`` (real events, ``is_demo`` False).

    Measures are linked only when they are loaded: the shipped plan is illustrative and
    loaded with ``demo`` only, so without it the activities simply serve no measure yet.
    """
    # loader imports this module: import its helpers here.
    from dashboard.ingest.loader import _assign

    path = Path(data_dir) / REFERENCE_FILE
    if not path.exists():
        return
    doc = read_yaml(path)
    entities = {e.acronym: e for e in session.scalars(select(Entity))}
    regions = set(session.scalars(select(Region.code)))
    problems = validate(doc, set(entities), regions)
    if problems:
        raise DataFileError(path, problems)
    wanted_measures = {code for item in doc for code in item.get("measures") or []}
    measures = {m.code: m for m in session.scalars(select(Measure).where(Measure.code.in_(wanted_measures)))}
    existing = {a.code: a for a in session.scalars(_with_links(select(Activity)))}
    for item in doc:
        activity = existing.get(item["code"])
        created = activity is None
        if created:
            activity = Activity(code=item["code"])
            session.add(activity)
        changed = _assign(activity, {**_columns(item), "is_demo": False})
        links = {
            "organisers": [entities[a] for a in item.get("organisers") or []],
            "partners": [entities[a] for a in item.get("partners") or []],
            "measures": [measures[c] for c in item.get("measures") or [] if c in measures],
        }
        for attribute, wanted in links.items():
            # Compared as sets: the database's collation may order acronyms differently.
            if {x.id for x in getattr(activity, attribute)} != {x.id for x in wanted}:
                setattr(activity, attribute, wanted)
                changed = True
        report.count("activities", created, changed)
    session.flush()


def data_files(data_dir: Path, demo: bool) -> list[Path]:
    """The files ``load`` reads, for ``loader.check_data`` to check first."""
    return [Path(data_dir) / REFERENCE_FILE]


def _columns(item: dict) -> dict[str, Any]:
    start, end, precision = _period(item)
    participants = item.get("participants") or {}
    male, female = participants.get("male"), participants.get("female")
    total = participants.get("total")
    if total is None and male is not None and female is not None:
        total = male + female
    texts = {}
    for field in ("title", "summary", "place"):
        given = item.get(field) or {}
        texts.update({f"{field}_{lang}": " ".join(str(given.get(lang) or "").split())
                      for lang in LANGUAGES})
    return {
        "kind": item["kind"],
        **texts,
        "start_date": start,
        "end_date": end,
        "date_precision": precision,
        "region_code": item.get("region"),
        "country": item.get("country", HOME_COUNTRY),
        "participants_male": male,
        "participants_female": female,
        "participants_total": total,
        "participants_by_profession": {str(k): int(v) for k, v in
                                       (participants.get("by_profession") or {}).items()},
        "documents": [{"title": _document_title(d["title"]), "url": str(d["url"]).strip()}
                      for d in item.get("documents") or []],
        "source": " ".join(str(item["source"]).split()),
    }


def _document_title(title) -> dict[str, str] | str:
    if isinstance(title, dict):
        return {lang: " ".join(str(title[lang]).split()) for lang in LANGUAGES}
    return " ".join(str(title).split())


def _when(value) -> tuple[dt.date, dt.date, str] | None:
    """First day, last day and precision of a day, a "YYYY-MM" month or a year."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value, value, "day"
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100:
        return dt.date(value, 1, 1), dt.date(value, 12, 31), "year"
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 4 and text.isdigit():
            return _when(int(text))
        try:
            if len(text) == 7:
                first = dt.date.fromisoformat(text + "-01")
                last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
                return first, last, "month"
            day = dt.date.fromisoformat(text)
            return day, day, "day"
        except ValueError:
            return None
    return None


def _period(item: dict) -> tuple[dt.date, dt.date, str]:
    """Start and end dates and their precision: the coarser of the two given."""
    start = _when(item["start"])
    end = _when(item["end"]) if item.get("end") is not None else start
    precision = max(start[2], end[2], key=DATE_PRECISIONS.index)
    return start[0], end[1], precision


def validate(doc: Any, entity_acronyms: set[str], region_codes: set[str]) -> list[Problem]:
    """Every problem of an activities file, each with its line."""
    check = Checker()
    if not isinstance(doc, list):
        return [Problem(1, "the activities file must be a list")]
    seen: dict[str, int] = {}
    countries = _country_codes()
    for item in mappings(check, {"activities": doc}, "activities", "activity"):
        code = item.get("code")
        where = f"activity {code}"
        check.unique(seen, code, item, "activity")
        if isinstance(code, str) and len(code) > 40:
            check.add(item, f"{where}: 'code' is longer than 40 characters")
        check.choice(item, "kind", ACTIVITY_KINDS, where)
        check.translations(item, "title", where)
        check.translations(item, "summary", where, required=False)
        check.translations(item, "place", where, required=False)
        _check_dates(check, item, where)
        country = item.get("country", HOME_COUNTRY)
        region = item.get("region")
        if country not in countries:
            check.add(item, f"{where}: 'country' {country!r} is not an ISO 3166-1 alpha-2 code")
        if region is not None:
            if country != HOME_COUNTRY:
                check.add(item, f"{where}: 'region' is only for activities in Morocco (country MA)")
            elif region not in region_codes:
                check.add(item, f"{where}: unknown region {region!r} (expected MA-01 to MA-12)")
        for role in ("organisers", "partners"):
            for acronym in _list(check, item, role, where):
                if acronym not in entity_acronyms:
                    check.add(item, f"{where}: unknown {role[:-1]} entity {acronym!r}")
        both = set(_list(check, item, "organisers", where, report=False)) & set(
            _list(check, item, "partners", where, report=False))
        for acronym in sorted(both):
            check.add(item, f"{where}: {acronym} is both an organiser and a partner")
        for measure in _list(check, item, "measures", where):
            if not isinstance(measure, str):
                check.add(item, f"{where}: measure codes must be text, not {measure!r}")
        _check_participants(check, item, where)
        for document in mappings(check, item, "documents", "document"):
            url = document.get("url")
            if not (isinstance(url, str) and url.startswith(("https://", "http://"))):
                check.add(document, f"{where}: a document needs a 'url' starting with https://")
            title = document.get("title")
            if isinstance(title, dict):
                check.translations(document, "title", f"{where} document")
            elif not (isinstance(title, str) and title.strip()):
                check.add(document, f"{where}: a document needs a 'title'")
        if not (isinstance(item.get("source"), str) and item["source"].strip()):
            check.add(item, f"{where}: 'source' is missing")
    return sorted(check.problems)


def _list(check: Checker, item: dict, key: str, where: str, report: bool = True) -> list:
    values = item.get(key) or []
    if isinstance(values, list):
        return values
    if report:
        check.add(item, f"{where}: '{key}' must be a list")
    return []


def _check_dates(check: Checker, item: dict, where: str) -> None:
    hint = "must be a day (2024-05-13), a month (\"2024-05\") or a year (2024)"
    start = _when(item.get("start"))
    if start is None:
        check.add(item, f"{where}: 'start' {hint}, not {item.get('start')!r}")
    end = start
    if item.get("end") is not None:
        end = _when(item["end"])
        if end is None:
            check.add(item, f"{where}: 'end' {hint}, not {item.get('end')!r}")
    if start and end and end[1] < start[0]:
        check.add(item, f"{where}: 'end' ({end[1]}) is before 'start' ({start[0]})")


def _check_participants(check: Checker, item: dict, where: str) -> None:
    participants = item.get("participants")
    if participants is None:
        return
    if not isinstance(participants, dict):
        check.add(item, f"{where}: 'participants' must be a mapping")
        return
    counts = {}
    for key in ("total", "male", "female"):
        value = participants.get(key)
        if value is not None and not _is_count(value):
            check.add(participants, f"{where}: participants '{key}' must be a whole number, not {value!r}")
        elif value is not None:
            counts[key] = value
    if {"total", "male", "female"} <= set(counts) and counts["male"] + counts["female"] > counts["total"]:
        check.add(participants, f"{where}: more men and women than participants in total")
    professions = participants.get("by_profession") or {}
    if not isinstance(professions, dict):
        check.add(participants, f"{where}: 'by_profession' must map professions to numbers")
        professions = {}
    for profession, value in professions.items():
        if profession not in PROFESSIONS:
            check.add(participants, f"{where}: unknown profession {profession!r}, expected one of "
                                    + ", ".join(PROFESSIONS))
        if not _is_count(value):
            check.add(participants, f"{where}: participants {profession} must be a whole number")


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@cache
def _country_codes() -> frozenset[str]:
    return frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha())


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityFilter:
    kind: str | None = None
    year: int | None = None  # the year the activity started
    region: str | None = None  # a region code, or ABROAD
    country: str | None = None  # ISO 3166-1 alpha-2
    entity: str | None = None  # an organiser or a partner, by acronym
    text: str | None = None  # searched in the title, summary and place, in ``lang``


def _with_links(query):
    """``query`` loading the bodies and measures of its activities in one query each."""
    return query.options(selectinload(Activity.organisers), selectinload(Activity.partners),
                         selectinload(Activity.measures))


def activity_rows(session: Session, lang: str, filters: ActivityFilter = ActivityFilter()) -> list[dict]:
    """The activities that match ``filters``, latest first, as plain dicts."""
    query = _with_links(select(Activity)).order_by(Activity.start_date.desc(), Activity.code)
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


def activity_by_code(session: Session, code: str, lang: str) -> dict | None:
    activity = session.scalars(_with_links(select(Activity).where(Activity.code == code))).first()
    return None if activity is None else _row(activity, lang, region_names(session, lang))


def _row(activity: Activity, lang: str, regions: dict[str, str]) -> dict:
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
        "source": activity.source,
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


def counts_by_kind(rows: list[dict]) -> dict[str, int]:
    """Activities per kind, in the vocabulary's order, kinds without any left out."""
    counts = Counter(r["kind"] for r in rows)
    return {kind: counts[kind] for kind in ACTIVITY_KINDS if counts[kind]}


def counts_by_year(rows: list[dict]) -> dict[int, int]:
    """Activities per starting year, years without any between the first and last included."""
    counts = Counter(r["start"].year for r in rows if r["start"])
    if not counts:
        return {}
    return {year: counts[year] for year in range(min(counts), max(counts) + 1)}


def counts_by_region(rows: list[dict], region_codes: list[str]) -> dict[str, int]:
    """Activities per region (every code of ``region_codes``, zeros included), then those
    in Morocco without a single region (``NATIONAL``) and those abroad (``ABROAD``)."""
    counts = Counter(ABROAD if r["abroad"] else (r["region"] or NATIONAL) for r in rows)
    result = {code: counts[code] for code in region_codes}
    for key in (NATIONAL, ABROAD):
        if counts[key]:
            result[key] = counts[key]
    return result


def participant_totals(rows: list[dict]) -> dict[str, Any]:
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
