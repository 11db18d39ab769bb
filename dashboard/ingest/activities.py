"""The activities file ``reference/activities.yaml``: its rules (``validate``) and its loading."""
from __future__ import annotations

import calendar
import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.config import LANGUAGES
from dashboard.ingest.documents import ActivitiesFile
from dashboard.ingest.reader import Checker, DataFileError, Problem, mappings, read_yaml
from dashboard.ingest.sources import check_sources, publisher_names, sources
from dashboard.ingest.upsert import LoadReport, assign, isolated
from dashboard.ingest.validation import checked
from dashboard.models import ACTIVITY_KINDS, Activity, Entity, Measure, Region
from dashboard.national.activities import (
    DATE_PRECISIONS,
    HOME_COUNTRY,
    PROFESSIONS,
    with_links,
)

REFERENCE_FILE = Path("reference") / "activities.yaml"


def load(session: Session, data_dir: Path, demo: bool, report: LoadReport) -> None:
    """Load ``data/reference/activities.yaml`` (real events, ``is_demo`` False).

    Measures are linked only when they are loaded: the shipped plan is illustrative and
    loaded with ``demo`` only, so without it the activities simply serve no measure yet.
    """

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
    existing = {a.code: a for a in session.scalars(with_links(select(Activity)))}
    publishers = publisher_names(session)
    for item in doc:
        activity = existing.get(item["code"])
        created = activity is None
        if created:
            activity = Activity(code=item["code"])
            session.add(activity)
        changed = assign(activity, {**_columns(item, publishers), "is_demo": False})
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


def _columns(item: dict, publishers: dict[str, dict[str, str]]) -> dict[str, Any]:
    start, end, precision = _period(item)
    participants = item.get("participants") or {}
    male, female = participants.get("male"), participants.get("female")
    total = participants.get("total")
    if total is None and male is not None and female is not None:
        total = male + female
    texts = {}
    for field in ("title", "summary", "place"):
        given = item.get(field) or {}
        texts.update({f"{field}_{lang}": isolated(given.get(lang) or "", lang) for lang in LANGUAGES})
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
        **sources(item, publishers),
    }


def _document_title(title: dict) -> dict[str, str]:
    """The title in each language; a proper name (``{proper: ...}``) is the same in all."""
    return {lang: " ".join(str(title.get("proper") or title[lang]).split()) for lang in LANGUAGES}


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
            check.translations(document, "title", f"{where} document", proper=True)
        check_sources(check, item, where)
    return checked(ActivitiesFile, doc, check.problems)


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
