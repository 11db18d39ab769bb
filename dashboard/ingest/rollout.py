"""The regional rollout files ``reference/rollout.yaml`` and, with ``demo``, ``demo/rollout.yaml``
(both shaped alike: ``rollouts`` and ``bodies``): their rules and their loading."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dashboard.config import LANGUAGES
from dashboard.ingest.documents import RolloutFile
from dashboard.ingest.reader import Checker, DataFileError, Problem, mappings, read_yaml
from dashboard.ingest.sources import check_sources, publisher_names, sources
from dashboard.ingest.upsert import LoadReport, as_date, assign, isolated, upsert
from dashboard.ingest.validation import checked
from dashboard.models import (
    REGIONAL_BODY_KINDS,
    ROLLOUT_STAGES,
    Region,
    RegionalBody,
    RegionRollout,
    RolloutEvent,
)

ROLLOUT_FILE = "rollout.yaml"


def load(session: Session, data_dir: Path, demo: bool, report: LoadReport) -> None:
    """The reference layer, then (with ``demo``) the demonstration layer under it."""
    data_dir = Path(data_dir)
    regions = {r.code: r for r in session.scalars(select(Region))}
    load_file(session, data_dir / "reference" / ROLLOUT_FILE, regions, False, report)
    if demo:
        load_file(session, data_dir / "demo" / ROLLOUT_FILE, regions, True, report)


def data_files(data_dir: Path, demo: bool) -> list[Path]:
    """The files ``load`` reads, for ``loader.check_data`` to check first."""
    layers = ["reference", "demo"] if demo else ["reference"]
    return [Path(data_dir) / layer / ROLLOUT_FILE for layer in layers]


def validate_rollout(doc: Any, region_codes: set[str], demo: bool) -> list[Problem]:
    """Problems of a rollout file, each with its line; reference records need a ``source``."""
    check = Checker()
    if not isinstance(doc, dict):
        return [Problem(1, "a rollout file is a mapping with 'rollouts' and 'bodies'")]
    for key in set(doc) - {"kind", "rollouts", "bodies"}:
        check.add(doc, f"unknown key {key!r} (expected 'rollouts' and 'bodies')")
    seen_regions: dict[str, int] = {}
    for item in mappings(check, doc, "rollouts", "rollout"):
        region = item.get("region")
        where = f"rollout of {region}"
        _known_region(check, item, region_codes, where)
        if isinstance(region, str) and region in seen_regions:
            check.add(item, f"{where}: the region is listed twice (first on line {seen_regions[region]})")
        elif isinstance(region, str):
            seen_regions[region] = item.line
        events = mappings(check, item, "events", "event")
        if not events:
            check.add(item, f"{where}: 'events' must list at least one dated stage")
        previous: dt.date | None = None
        for event in events:
            check.choice(event, "stage", ROLLOUT_STAGES, where)
            started_on = check.date(event, "started_on", where)
            check.translations(event, "note", where)
            _source(check, event, where, demo)
            if started_on and previous and started_on <= previous:
                check.add(event, f"{where}: stages must be listed in date order")
            previous = started_on or previous
    seen_bodies: dict[str, int] = {}
    for body in mappings(check, doc, "bodies", "body"):
        code = body.get("code")
        where = f"body {code}"
        check.unique(seen_bodies, code, body, "body")
        _known_region(check, body, region_codes, where)
        check.choice(body, "kind", REGIONAL_BODY_KINDS, where)
        check.translations(body, "name", where)
        if body.get("established_on") is not None:
            check.date(body, "established_on", where)
        _source(check, body, where, demo)
    return checked(RolloutFile, doc, check.problems)


def _known_region(check, node: dict, region_codes: set[str], where: str) -> None:
    if node.get("region") not in region_codes:
        check.add(node, f"{where}: unknown region {node.get('region')!r} (expected MA-01 to MA-12)")


def _source(check, node: dict, where: str, demo: bool) -> None:
    """Reference data needs its source; demonstration data may leave it out (it is invented)."""
    check_sources(check, node, where, required=not demo)


def load_file(session: Session, path: Path, regions: dict[str, Region], demo: bool, report: LoadReport) -> None:
    """One layer; a missing file is an empty layer."""

    if not path.exists():
        return
    doc = read_yaml(path)
    problems = validate_rollout(doc, set(regions), demo)
    if problems:
        raise DataFileError(path, problems)
    rollouts = {r.region_id: r for r in session.scalars(select(RegionRollout))}
    publishers = publisher_names(session)
    for item in doc.get("rollouts") or []:
        region = regions[item["region"]]
        rollout = rollouts.get(region.id)
        if demo and rollout is not None and not rollout.is_demo:
            continue  # the stage is real: the demonstration layer stays under it
        _load_rollout(session, region, rollout, item["events"], demo, publishers, report)
    bodies = {b.code: b for b in session.scalars(select(RegionalBody))}
    for body in doc.get("bodies") or []:
        existing = bodies.get(body["code"])
        if demo and existing is not None and not existing.is_demo:
            continue
        upsert(session, RegionalBody, {"code": body["code"]}, {
            "region_id": regions[body["region"]].id,
            "kind": body["kind"],
            "established_on": as_date(body["established_on"]) if body.get("established_on") else None,
            **sources(body, publishers),
            "is_demo": demo,
            **_texts(body, "name"),
        }, report, "regional bodies")
    session.flush()


def _texts(node: dict, key: str) -> dict[str, str]:
    return {f"{key}_{lang}": isolated(node[key][lang], lang) for lang in LANGUAGES}


def _load_rollout(session: Session, region: Region, rollout: RegionRollout | None,
                  events: list[dict], demo: bool, publishers: dict, report: LoadReport) -> None:

    latest = events[-1]  # validated: in date order
    since = as_date(latest["started_on"])
    state = {"stage": latest["stage"], "stage_since": since, "is_demo": demo}
    created = rollout is None
    changed = False
    if created:
        rollout = RegionRollout(region_id=region.id, **state)
        session.add(rollout)
        session.flush()
    elif not demo and rollout.is_demo:
        # Real data replaces a demonstration history, which must not read as real.
        session.execute(delete(RolloutEvent).where(RolloutEvent.rollout_id == rollout.id,
                                                   RolloutEvent.is_demo.is_(True)))
        session.expire(rollout, ["events"])
        changed = assign(rollout, state)
    elif rollout.stage_since is None or since >= rollout.stage_since:
        changed = assign(rollout, state)
    report.count("rollouts", created, changed)
    for event in events:
        upsert(session, RolloutEvent,
                {"rollout_id": rollout.id, "stage": event["stage"],
                 "started_on": as_date(event["started_on"])},
                {**_texts(event, "note"), **sources(event, publishers),
                 "is_demo": demo},
                report, "rollout events")
