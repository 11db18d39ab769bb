"""The territorial rollout of the national referral mechanism across the 12 regions.

Two layers of data files, both shaped alike (``rollouts`` and ``bodies``):

- ``data/reference/rollout.yaml``: stages that public sources state, each with its source;
- ``data/demo/rollout.yaml``: demonstration stages and coordination bodies for every region,
  loaded with ``demo`` only. It never overwrites a region whose stage is real (from the
  reference file or from an approved report): such a rollout has ``is_demo`` False.

A rollout's current stage is the latest step of its history. A file's latest step replaces
the stored stage only when it is at least as recent, so reloading never rolls back a stage
approved in the app since.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import TypedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dashboard.config import LANGUAGES
from dashboard.models import (
    REGIONAL_BODY_KINDS,
    ROLLOUT_STAGES,
    Activity,
    Organisation,
    Region,
    RegionalBody,
    RegionRollout,
    RolloutEvent,
)
from dashboard.national import statistics
from dashboard.national.disclosure import configured_threshold
from dashboard.permissions import Actor

BODY_KINDS = REGIONAL_BODY_KINDS


# --- the validation flow's side ---------------------------------------------------------


def _code(text: str | None) -> str:
    """A region code as typed in a URL or a form: "ma-03 " is MA-03."""
    return (text or "").strip().upper()


def current_rollout(session: Session, code: str) -> RegionRollout | None:
    """The rollout of a region, which an approved report updates (``version`` guards it);
    None for an unknown code or a region nothing has been reported on yet."""
    return session.scalar(
        select(RegionRollout).join(Region, RegionRollout.region_id == Region.id)
        .where(Region.code == _code(code))
    )


def apply_stage(session: Session, rollout: RegionRollout, stage: str, started_on: dt.date,
                note: str, update_id: int | None) -> RolloutEvent:
    """Move the region to ``stage`` from ``started_on`` and add the step to its history.

    The stage is real from now on (``is_demo`` False), so the demonstration layer no longer
    touches the region. A step already recorded for the same stage and day takes the new
    note instead of being added twice. The caller checks the version and commits.
    """
    if stage not in ROLLOUT_STAGES:
        raise ValueError(f"unknown rollout stage {stage!r}")
    session.add(rollout)
    rollout.stage, rollout.stage_since, rollout.is_demo = stage, started_on, False
    # One note in the language its author wrote it in, shown as written in all three.
    values = {"is_demo": False, "update_id": update_id, **{f"note_{lang}": note for lang in LANGUAGES}}
    event = next((e for e in rollout.events if e.stage == stage and e.started_on == started_on), None)
    if event is None:
        event = RolloutEvent(stage=stage, started_on=started_on, **values)
        rollout.events.append(event)
    else:
        for key, value in values.items():
            setattr(event, key, value)
    return event


# --- pages ------------------------------------------------------------------------------


def _name(model, lang: str):
    return getattr(model, f"name_{lang}")


class RegionRow(TypedDict):
    """A region on the regions page: its rollout stage and what it has."""

    code: str
    name: str
    stage: str | None  # None: nothing reported yet
    stage_since: dt.date | None
    stage_is_demo: bool
    bodies: int
    organisations: int
    shelters: int
    services: Counter[str]
    activities: int
    is_demo: bool


def overview(session: Session, lang: str) -> list[RegionRow]:
    """One row per region, in code order: its stage and what the region has (counts)."""
    regions = session.execute(
        select(Region.id, Region.code, _name(Region, lang).label("name"),
               RegionRollout.stage, RegionRollout.stage_since, RegionRollout.is_demo)
        .outerjoin(RegionRollout, RegionRollout.region_id == Region.id)
        .order_by(Region.code)
    ).all()
    bodies = dict(session.execute(
        select(RegionalBody.region_id, func.count()).group_by(RegionalBody.region_id)).all())
    demo_bodies = set(session.scalars(
        select(RegionalBody.region_id).where(RegionalBody.is_demo.is_(True)).distinct()))
    organisations: dict[str, list] = defaultdict(list)
    for code, services, is_demo in session.execute(
            select(Organisation.region_code, Organisation.services, Organisation.is_demo)):
        organisations[code].append((services or [], is_demo))
    activities = dict(session.execute(
        select(Activity.region_code, func.count()).where(Activity.region_code.is_not(None))
        .group_by(Activity.region_code)).all())
    demo_activities = set(session.scalars(
        select(Activity.region_code).where(Activity.is_demo.is_(True)).distinct()))
    rows: list[RegionRow] = []
    for region in regions:
        services = Counter(s for offered, _demo in organisations[region.code] for s in set(offered))
        rows.append({
            "code": region.code,
            "name": region.name,
            "stage": region.stage,  # None: nothing reported yet
            "stage_since": region.stage_since,
            "stage_is_demo": bool(region.is_demo),
            "bodies": bodies.get(region.id, 0),
            "organisations": len(organisations[region.code]),
            "shelters": services.get("shelter", 0),
            "services": services,
            "activities": activities.get(region.code, 0),
            "is_demo": bool(region.is_demo) or region.id in demo_bodies or region.code in demo_activities
            or any(demo for _s, demo in organisations[region.code]),
        })
    return rows


def stage_counts(rows: list[RegionRow]) -> dict[str | None, int]:
    """Regions per stage, every stage listed; None counts the regions without a report."""
    counts = Counter(row["stage"] for row in rows)
    return {stage: counts.get(stage, 0) for stage in (*ROLLOUT_STAGES, None)}


def region_detail(session: Session, actor: Actor, code: str, lang: str,
                  threshold: int | None = None) -> dict | None:
    """Everything a region's page shows, or None for an unknown code. Organisations come
    without their contact details; figures with small counts suppressed for the public."""
    region = session.scalar(select(Region).where(Region.code == _code(code)))
    if region is None:
        return None
    rollout = session.scalar(select(RegionRollout).where(RegionRollout.region_id == region.id)
                             .options(selectinload(RegionRollout.events)))
    history = [] if rollout is None else [
        {"stage": e.stage, "started_on": e.started_on, "note": e.note(lang), "source": e.source(lang),
         "is_demo": e.is_demo, "validated": e.update_id is not None}
        for e in rollout.events  # in date order
    ]
    bodies = [
        {"code": b.code, "name": b.name(lang), "kind": b.kind, "established_on": b.established_on,
         "source": b.source(lang), "is_demo": b.is_demo}
        for b in session.scalars(select(RegionalBody).where(RegionalBody.region_id == region.id)
                                 .order_by(RegionalBody.kind, RegionalBody.code))
    ]
    organisations = [
        {"name": o.name(lang), "kind": o.kind, "city": o.city(lang), "services": list(o.services or []),
         "is_demo": o.is_demo}
        for o in session.scalars(select(Organisation).where(Organisation.region_code == region.code)
                                 .order_by(Organisation.code))
    ]
    activities = [
        {"code": a.code, "title": a.title(lang), "kind": a.kind, "start_date": a.start_date,
         "end_date": a.end_date, "date_precision": a.date_precision, "is_demo": a.is_demo}
        for a in session.scalars(select(Activity).where(Activity.region_code == region.code)
                                 .order_by(Activity.start_date.desc(), Activity.code))
    ]
    return {
        "code": region.code,
        "name": region.name(lang),
        "stage": rollout.stage if rollout else None,
        "stage_since": rollout.stage_since if rollout else None,
        "stage_is_demo": bool(rollout and rollout.is_demo),
        "history": history,
        "bodies": bodies,
        "organisations": organisations,
        "activities": activities,
        "figures": regional_figures(session, actor, region.code, lang, threshold),
    }


def regional_figures(session: Session, actor: Actor, code: str, lang: str,
                     threshold: int | None = None) -> list[dict]:
    """This region's cells of the statistics broken down by region, as released by
    ``statistics.released_figures`` (the one disclosure rule: "<5" for the public)."""
    threshold = threshold or configured_threshold()
    figures = [f for f in statistics.released_figures(session, actor, lang, threshold)
               if f.cells.get("region") == code]
    rows = [{
        "series": f.series, "publisher": f.publisher, "period": f.period, "year": f.year or 0,
        "unit": f.unit, "value": f.value, "small": f.status == statistics.SMALL,
        "cells": {k: v for k, v in f.cells.items() if k != "region"},
        "source": f.citation, "url": f.url, "is_demo": f.is_demo,
    } for f in figures]
    rows.sort(key=lambda f: (f["series"], f["publisher"], -f["year"], sorted(f["cells"].items())))
    return rows
