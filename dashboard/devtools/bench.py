"""``python -m dashboard bench``: time every page and callback on a large synthetic dataset,
beside the time of the SQL each one ran.

The dataset is the shipped plan scaled up (at least 1,000 measures and 100,000
indicator values) in a temporary database, with the national response around it at the
same scale: the reference and demonstration data files loaded by their own loaders, then
copies of the activities, programmes, organisations and regional bodies (``scale`` times
the shipped ones, linked to the copies of the plan's measures), a longer rollout history per
region, and synthetic statistics tables (several publishers and years, broken down by sex,
age, nationality, form of exploitation and region, with many counts under 5) of about
``scale`` times the shipped number of figures; pending statistic entries and rollout
reports fill the review queue.

Each page is rendered through Dash's router and every server callback whose inputs that
page holds is called with the page's own values, through Flask's test client, the way the
browser calls them, first as an anonymous visitor, then the pages of the validation flow as
a committee member, focal points and the secretariat. For each page and callback it prints
p50 and p95, the SQL time of the same requests (p50; the time spent in the database driver,
from SQLAlchemy's cursor events on the app's engine, and on SQLite the fetching of the rows
too: ``SqlMeter``), the statements run, the response size and the ratio of the
p50 to its SQL time, and flags any p95 over the target of the scale (``TARGETS_P95_MS``;
``DASHBOARD_BENCH_TARGET_MS`` or ``run(target_ms=...)`` overrides it).
"""
from __future__ import annotations

import datetime as dt
import gc
import math
import os
import random
import sqlite3
import statistics
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, event, func, insert, select

from dashboard.app import create_app
from dashboard.citations import same_in_every_language
from dashboard.config import Config
from dashboard.db import make_engine, session_scope, upgrade
from dashboard.devtools.testing import DashClient
from dashboard.errors import UserError
from dashboard.ingest import datafiles
from dashboard.ingest.demo import SHARES
from dashboard.ingest.loader import DOMAINS, LoadReport, load_entities, load_regions
from dashboard.models import (
    STATISTIC_BREAKDOWNS,
    STATISTIC_SERIES,
    STATISTICS_PRODUCERS,
    Activity,
    Entity,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    MeasureProgressEvent,
    MeasureYear,
    Objective,
    Organisation,
    Plan,
    Programme,
    Region,
    RegionalBody,
    RegionRollout,
    RolloutEvent,
    RolloutUpdate,
    Statistic,
    StatisticSource,
    StatisticSubmission,
    StrategicAxis,
    User,
    activity_measure,
    activity_organiser,
    activity_partner,
    breakdown_key,
    measure_partner,
    programme_measure,
    programme_partner,
)
from dashboard.national.activities import PROFESSIONS
from dashboard.national.statistics import statistic_columns
from dashboard.permissions import Actor
from dashboard.plan.rollups import refresh_indicator_latest
from dashboard.web.auth import SessionUser
from dashboard.workflow import accounts, rollout_updates, statistic_entries, submissions

# The p95 target of a page or callback: up to 10 times the shipped plan, 100 ms; beyond, 250 ms.
TARGETS_P95_MS = ((10, 100.0), (100, 250.0))
TARGET_ENV = "DASHBOARD_BENCH_TARGET_MS"
MIN_MEASURES = 1_000
MIN_VALUES = 100_000
AS_OF = "2026-11-22"
PENDING_UPDATES = 40
# The synthetic statistics: one table per publisher and series, a figure per year and cell.
STATISTIC_YEARS = tuple(range(2014, 2026))
STATISTIC_SPAN = "2014-2016"  # a multi-year figure that adds up with its years
BENCH_DOCUMENT = "Benchmark figures (synthetic, not published)"
ABROAD_COUNTRIES = ("FR", "ES", "AT", "BE", "SN")


def target_p95_ms(scale: int, override: float | None = None) -> tuple[float, str]:
    """The p95 target at ``scale`` and where it comes from (``override``, then the
    ``DASHBOARD_BENCH_TARGET_MS`` variable, then ``TARGETS_P95_MS``)."""
    if override is not None:
        return float(override), "given"
    if os.environ.get(TARGET_ENV):
        return float(os.environ[TARGET_ENV]), TARGET_ENV
    for up_to, target in TARGETS_P95_MS:
        if scale <= up_to:
            return target, f"up to {up_to}x"
    up_to, target = TARGETS_P95_MS[-1]
    return target, f"up to {up_to}x, the last given"


def build_dataset(url: str, data_dir: Path, scale: int, seed: int = 7, min_measures: int = MIN_MEASURES,
                  min_values: int = MIN_VALUES) -> dict[str, int]:
    """Write a synthetic plan ``scale`` times the shipped one (at least ``min_measures``
    measures and ``min_values`` indicator values) and the national response at that scale."""
    rng = random.Random(seed)
    doc = datafiles.read_yaml(data_dir / "plan" / "plan.yaml")
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        report = LoadReport()
        load_entities(session, data_dir / "reference" / "entities.yaml", report)
        load_regions(session, data_dir / "reference" / "regions.yaml", report)
        entity_ids = dict(session.execute(select(Entity.acronym, Entity.id)).all())
        strategic = Plan(code="BENCH-2030", kind="strategic", start_year=2023, end_year=2030,
                         name_ar="خطة", name_fr="Plan", name_en="Plan", is_demo=True)
        implementation = Plan(code="BENCH-2026", kind="implementation", start_year=2023,
                              end_year=2026, name_ar="مخطط", name_fr="Plan d'action",
                              name_en="Implementation plan", is_demo=True)
        session.add_all([strategic, implementation])
        session.flush()

        shipped_measures = [m for a in doc["axes"] for o in a["objectives"] for m in o.get("measures") or []]
        copies = max(scale, -(-min_measures // max(1, len(shipped_measures))))
        measure_rows, year_rows, partner_rows, event_rows = [], [], [], []
        indicator_templates = []
        measure_id = 0
        for a_pos, axis_doc in enumerate(doc["axes"]):
            axis = StrategicAxis(plan_id=strategic.id, code=axis_doc["code"], position=a_pos,
                                 is_demo=True, **_names(axis_doc))
            session.add(axis)
            session.flush()
            for copy in range(copies):
                for o_pos, obj_doc in enumerate(axis_doc["objectives"]):
                    objective = Objective(axis_id=axis.id, code=f"{obj_doc['code']}.{copy}",
                                          position=copy * 100 + o_pos, is_demo=True, **_names(obj_doc))
                    session.add(objective)
                    session.flush()
                    for ind_doc in obj_doc.get("indicators") or []:
                        indicator_templates.append((ind_doc, objective.id, None))
                    for m_pos, m_doc in enumerate(obj_doc.get("measures") or []):
                        measure_id += 1
                        start = _date(m_doc["start"]) + dt.timedelta(days=rng.randint(-60, 60))
                        end = max(start, _date(m_doc["end"]) + dt.timedelta(days=rng.randint(-60, 60)))
                        status = m_doc["status"]
                        jitter = rng.randint(-10, 10)
                        progress = 100 if status == "completed" else min(99, max(0, m_doc["progress"] + jitter))
                        if status == "not_started":
                            progress = 0
                        updated = _date(m_doc["last_updated"]) - dt.timedelta(days=rng.randint(0, 200))
                        measure_rows.append(dict(
                            id=measure_id, objective_id=objective.id, plan_id=implementation.id,
                            code=f"{m_doc['code']}.{copy}", position=m_pos,
                            lead_entity_id=entity_ids[m_doc["lead"]], planned_start=start, planned_end=end,
                            budget_mad=m_doc.get("budget_mad"), funding_source=m_doc.get("funding", "to_be_determined"),
                            weight=float(m_doc.get("weight", 1)), priority=m_doc.get("priority", "medium"),
                            status=status, progress=progress, last_updated=updated, is_demo=True, version=1,
                            **_names(m_doc),
                        ))
                        year_rows += [dict(measure_id=measure_id, year=y) for y in sorted(set(m_doc["years"]))]
                        partner_rows += [dict(measure_id=measure_id, entity_id=entity_ids[p])
                                         for p in sorted(set(m_doc.get("partners") or []))]
                        event_rows += [dict(measure_id=measure_id, recorded_on=updated - dt.timedelta(days=90 * k),
                                            status="in_progress", progress=max(0, progress - 15 * k), note="",
                                            is_demo=True)
                                       for k in range(3)]
                        for ind_doc in m_doc.get("indicators") or []:
                            indicator_templates.append((ind_doc, objective.id, measure_id))
        session.execute(insert(Measure), measure_rows)
        session.execute(insert(MeasureYear), year_rows)
        session.execute(insert(measure_partner), partner_rows)
        session.execute(insert(MeasureProgressEvent), event_rows)

        indicator_rows, target_rows = [], []
        for position, (ind_doc, objective_id, m_id) in enumerate(indicator_templates):
            baseline = ind_doc.get("baseline") or {}
            indicator_rows.append(dict(
                id=position + 1, code=f"{ind_doc['code']}.{position}", position=position,
                measure_id=m_id, objective_id=objective_id, unit=ind_doc["unit"], type=ind_doc["type"],
                direction=ind_doc["direction"], baseline_value=baseline.get("value"),
                baseline_year=baseline.get("year"), frequency="quarterly",
                responsible_entity_id=entity_ids.get(ind_doc.get("responsible")),
                disaggregations=list(SHARES), is_public=bool(ind_doc.get("public", True)),
                is_sensitive=bool(ind_doc.get("sensitive", False)), is_demo=True,
                source_ar="", source_fr="", source_en="", **_names(ind_doc),
            ))
            target_rows += [dict(indicator_id=position + 1, year=int(y), value=float(v))
                            for y, v in (ind_doc.get("targets") or {}).items()]
        session.execute(insert(Indicator), indicator_rows)
        session.execute(insert(IndicatorTarget), target_rows)

        # Quarterly totals and a full disaggregation per year until the floor is reached.
        per_indicator = -(-min_values // max(1, len(indicator_rows)))
        value_rows = []
        for indicator in indicator_rows:
            rows = _synthetic_values(indicator["id"], per_indicator, rng)
            value_rows.extend(rows)
        for chunk in range(0, len(value_rows), 20_000):
            session.execute(insert(IndicatorValue), value_rows[chunk:chunk + 20_000])
        refresh_indicator_latest(session)
        measure_ids = {row["code"]: row["id"] for row in measure_rows}
        national_response(session, data_dir, scale, rng, measure_ids)
        _accounts_and_pending_updates(session, rng)
        _pending_national_entries(session)
        # After the entries: a publisher's series with a pending entry gets no synthetic table.
        _synthetic_statistics(session, scale, rng)
        counted = {"measures": Measure, "indicators": Indicator, "indicator values": IndicatorValue,
                   "statistics": Statistic, "activities": Activity, "programmes": Programme,
                   "organisations": Organisation, "regional bodies": RegionalBody,
                   "rollout events": RolloutEvent, "pending statistic entries": StatisticSubmission,
                   "pending rollout reports": RolloutUpdate}
        counts = {name: session.execute(select(func.count()).select_from(model)).scalar_one()
                  for name, model in counted.items()}
    engine.dispose()
    return counts


# --- the national response at the scale ---------------------------------------------------


def national_response(session, data_dir: Path, scale: int, rng: random.Random,
                      measure_ids: dict[str, int]) -> None:
    """The national response's data files (reference and demonstration) through their own
    loaders, the shipped activities and programmes linked to the plan's first copy, then
    ``scale - 1`` copies of them and of the organisations and regional bodies, and a rollout
    history ``scale`` times longer (the statistics tables: ``_synthetic_statistics``)."""
    report = LoadReport()
    for domain in DOMAINS:
        domain.load(session, data_dir, True, report)
    session.flush()
    activity_measures = {item["code"]: item.get("measures") or []
                         for item in datafiles.read_yaml(data_dir / "reference" / "activities.yaml")}
    programme_measures = {item["programme"]: item["measures"]
                          for item in datafiles.read_yaml(data_dir / "demo" / "programme_measures.yaml")}
    _copy_activities(session, scale, rng, measure_ids, activity_measures)
    _copy_programmes(session, scale, rng, measure_ids, programme_measures)
    _copy_rows(session, Organisation, scale, lambda row, copy: {
        "code": f"{row['code']}-B{copy}",
        **{f"name_{lang}": f"{row[f'name_{lang}']} ({copy})" for lang in ("ar", "fr", "en")}})
    _copy_rows(session, RegionalBody, scale, lambda row, copy: {
        "code": f"{row['code']}-B{copy}",
        **{f"name_{lang}": f"{row[f'name_{lang}']} ({copy})" for lang in ("ar", "fr", "en")}})
    _longer_rollout_histories(session, scale)
    session.flush()


def _linked(measure_ids: dict[str, int], codes: list[str], copy: int) -> list[int]:
    return sorted({measure_ids[f"{code}.{copy}"] for code in codes if f"{code}.{copy}" in measure_ids})


def _copy_rows(session, model, scale: int, changes) -> dict[int, list[int]]:
    """``scale - 1`` copies of every row of ``model`` (``changes(row, copy)`` gives the new
    values); returns the ids of the copies by the original's id."""
    table = model.__table__
    rows = [dict(row) for row in session.execute(select(table).order_by(table.c.id)).mappings()]
    next_id = (session.execute(select(func.max(table.c.id))).scalar_one() or 0) + 1
    copies, new_rows = {}, []
    for copy in range(1, scale):
        for row in rows:
            new_rows.append({**row, **changes(row, copy), "id": next_id})
            copies.setdefault(row["id"], []).append(next_id)
            next_id += 1
    for chunk in range(0, len(new_rows), 5_000):
        session.execute(insert(model), new_rows[chunk:chunk + 5_000])
    return copies


def _copy_links(session, table, owner: str, copies: dict[int, list[int]]) -> None:
    other = next(c.name for c in table.c if c.name != f"{owner}_id")
    links = session.execute(select(table)).mappings().all()
    rows = [{f"{owner}_id": copy_id, other: link[other]}
            for link in links for copy_id in copies.get(link[f"{owner}_id"], [])]
    if rows:
        session.execute(insert(table), rows)


def _copy_activities(session, scale, rng, measure_ids, measures_of) -> None:
    shipped = dict(session.execute(select(Activity.code, Activity.id)).all())
    regions = sorted(session.scalars(select(Region.code)))

    def changes(row, copy):
        start = row["start_date"] - dt.timedelta(days=rng.randint(0, 3 * 365))
        end = start + (row["end_date"] - row["start_date"]) if row["end_date"] else None
        abroad = copy % 7 == 0
        total = rng.randint(15, 120) if copy % 3 else None
        female = rng.randint(0, total) if total else None
        professions = rng.sample(PROFESSIONS, k=min(3, len(PROFESSIONS))) if total else []
        return {
            "code": f"{row['code']}-b{copy}", "start_date": start, "end_date": end, "is_demo": True,
            **{f"title_{lang}": f"{row[f'title_{lang}']} ({copy})" for lang in ("ar", "fr", "en")},
            "country": rng.choice(ABROAD_COUNTRIES) if abroad else "MA",
            "region_code": None if abroad else regions[(copy + row["id"]) % len(regions)],
            "participants_total": total, "participants_female": female,
            "participants_male": total - female if total else None,
            "participants_by_profession": {p: rng.randint(1, max(1, (total or 3) // 3)) for p in professions},
        }

    copies = _copy_rows(session, Activity, scale, changes)
    for table, owner in ((activity_organiser, "activity"), (activity_partner, "activity")):
        _copy_links(session, table, owner, copies)
    links = []
    for code, activity_id in shipped.items():
        ids = [activity_id, *copies.get(activity_id, [])]
        for copy, copy_id in enumerate(ids):
            links += [{"activity_id": copy_id, "measure_id": m}
                      for m in _linked(measure_ids, measures_of.get(code, []), copy)]
    if links:
        session.execute(insert(activity_measure), links)


def _copy_programmes(session, scale, rng, measure_ids, measures_of) -> None:
    shipped = dict(session.execute(select(Programme.code, Programme.id)).all())

    def changes(row, copy):
        factor = Decimal(rng.randint(50, 200)) / 100
        years = (row["start_year"], row["end_year"])
        offset = rng.randint(-4, 4)
        return {
            "code": f"{row['code']}-B{copy}", "acronym": f"{row['acronym']} {copy}".strip(),
            **{f"name_{lang}": f"{row[f'name_{lang}']} ({copy})" for lang in ("ar", "fr", "en")},
            "start_year": years[0] + offset if years[0] else None,
            "end_year": years[1] + offset if years[1] else None,
            "amount_committed": (row["amount_committed"] * factor).quantize(Decimal("0.01"))
            if row["amount_committed"] is not None else None,
            "amount_disbursed": (row["amount_committed"] * factor / 2).quantize(Decimal("0.01"))
            if row["amount_committed"] is not None and copy % 2 else row["amount_disbursed"],
        }

    copies = _copy_rows(session, Programme, scale, changes)
    _copy_links(session, programme_partner, "programme", copies)
    links = []
    for code, programme_id in shipped.items():
        for copy, copy_id in enumerate([programme_id, *copies.get(programme_id, [])]):
            links += [{"programme_id": copy_id, "measure_id": m}
                      for m in _linked(measure_ids, measures_of.get(code, []), copy)]
    if links:
        session.execute(insert(programme_measure), links)


def _longer_rollout_histories(session, scale: int) -> None:
    """``scale - 1`` earlier dated stages per region, before the first one it has."""
    rows = []
    for rollout_id, first in session.execute(
            select(RolloutEvent.rollout_id, func.min(RolloutEvent.started_on)).group_by(RolloutEvent.rollout_id)):
        for k in range(1, scale):
            stage = ("not_started", "preparing")[k % 2]
            rows.append({"rollout_id": rollout_id, "stage": stage, "started_on": first - dt.timedelta(days=7 * k),
                         "note_ar": "مرحلة تجريبية", "note_fr": "Étape de démonstration",
                         "note_en": "Demonstration stage", "is_demo": True})
    if rows:
        session.execute(insert(RolloutEvent), rows)


def _synthetic_statistics(session, scale: int, rng: random.Random) -> None:
    """Tables of yearly figures, one per (publisher, series) that has none yet: together
    about ``scale - 1`` times the shipped figures (at least one table), so that the total is
    about ``scale`` times the shipped one."""
    shipped = session.execute(select(func.count()).select_from(Statistic)).scalar_one()
    per_table = len(STATISTIC_YEARS) * _cells_per_year() + 3
    wanted = max(1, round(shipped * (scale - 1) / per_table))
    entities = dict(session.execute(select(Entity.acronym, Entity.id)).all())
    producers = [a for a in STATISTICS_PRODUCERS if a in entities]
    others = sorted(set(entities) - set(producers))
    taken = set(session.execute(select(Statistic.entity_id, Statistic.series).distinct()).all())
    taken |= set(session.execute(select(StatisticSubmission.entity_id, StatisticSubmission.series)).all())
    # The producers' series first, a publisher after another, then other bodies'.
    tables = [(entities[p], s) for group in (producers, others) for s in STATISTIC_SERIES for p in group
              if (entities[p], s) not in taken]
    sources: dict[int, int] = {}
    rows: list[dict] = []
    for entity_id, series in tables[:wanted]:
        if entity_id not in sources:
            source = StatisticSource(entity_id=entity_id, document=BENCH_DOCUMENT, url="",
                                     **same_in_every_language("document", BENCH_DOCUMENT),
                                     **same_in_every_language("citation", "Benchmark data"))
            session.add(source)
            session.flush()
            sources[entity_id] = source.id
        rows += _statistic_table(entity_id, sources[entity_id], series, rng)
    for chunk in range(0, len(rows), 5_000):
        session.execute(insert(Statistic), rows[chunk:chunk + 5_000])


def _cells_per_year() -> int:
    b = STATISTIC_BREAKDOWNS
    return (1 + len(b["sex"]) + len(b["age_group"]) + len(b["sex"]) * len(b["age_group"])
            + len(b["nationality"]) + len(b["exploitation_form"]) + len(b["region"]) * len(b["sex"]) + 1)


def _statistic_table(entity_id: int, source_id: int, series: str, rng: random.Random) -> list[dict]:
    """One publisher's series: every year's total and breakdowns, consistent with each other
    (the regions by sex add up to the total, many of them under 5), a share, and a
    multi-year figure with its sex breakdown that adds up with its years."""
    b = STATISTIC_BREAKDOWNS
    rows: list[dict] = []
    spans: dict[str, float] = {}
    first, last = (int(y) for y in STATISTIC_SPAN.split("-"))

    def figure(period: str, start: int, end: int, value: float, cells: dict[str, str], unit: str = "count"):
        rows.append(dict(series=series, entity_id=entity_id, source_id=source_id, period=period,
                         year_start=start, year_end=end, unit=unit, value=float(value),
                         breakdown=breakdown_key(cells), is_demo=True, version=1,
                         submission_id=None, **statistic_columns(cells)))

    for year in STATISTIC_YEARS:
        by_region = {(region, sex): rng.choice((0, 1, 2, 3, 4, 6, 9, 14, 25))
                     for region in b["region"] for sex in b["sex"]}
        by_sex = {sex: sum(v for (_r, s), v in by_region.items() if s == sex) for sex in b["sex"]}
        total = sum(by_sex.values())
        children = {sex: rng.randint(0, by_sex[sex] // 3) for sex in b["sex"]}
        by_age_sex = {(age, sex): children[sex] if age == "child" else by_sex[sex] - children[sex]
                      for age in b["age_group"] for sex in b["sex"]}
        foreign = rng.randint(0, total // 4)
        period = str(year)
        figure(period, year, year, total, {})
        for sex, value in by_sex.items():
            figure(period, year, year, value, {"sex": sex})
            if first <= year <= last:
                spans[sex] = spans.get(sex, 0) + value
        for age in b["age_group"]:
            figure(period, year, year, sum(v for (a, _s), v in by_age_sex.items() if a == age), {"age_group": age})
        for (age, sex), value in by_age_sex.items():
            figure(period, year, year, value, {"age_group": age, "sex": sex})
        for nationality, value in zip(b["nationality"], (total - foreign, foreign)):
            figure(period, year, year, value, {"nationality": nationality})
        for form in b["exploitation_form"]:  # they overlap and leave some out
            figure(period, year, year, rng.randint(0, max(1, total // 3)), {"exploitation_form": form})
        for (region, sex), value in by_region.items():
            figure(period, year, year, value, {"region": region, "sex": sex})
        if total:
            share = round(100 * sum(children.values()) / total, 2)
            figure(period, year, year, share, {"age_group": "child"}, unit="percent")
        if first <= year <= last:
            spans[""] = spans.get("", 0) + total
    figure(STATISTIC_SPAN, first, last, spans.get("", 0), {})
    for sex in b["sex"]:
        figure(STATISTIC_SPAN, first, last, spans.get(sex, 0), {"sex": sex})
    return rows


def _pending_national_entries(session) -> None:
    """Yearly figures of the Public Prosecution's focal point and rollout reports of the
    Ministry of Justice's, waiting for review (each through its service, as the forms do)."""
    users = {local: session.scalar(select(User).where(User.email == accounts.demo_email(local)))
             for local in ("focal.pmp", "focal.mj")}
    actors = {local: Actor(user_id=u.id, email=u.email, role=u.role, entity_id=u.entity_id)
              for local, u in users.items()}
    today = dt.date.fromisoformat(AS_OF)
    for year in range(2020, 2026):
        for cells, value in (({}, 40 + year % 7), ({"sex": "female"}, 12 + year % 5)):
            form = statistic_entries.StatisticForm(series="persons_convicted", year=year, breakdown=cells,
                                                   value=value, document="Annual report (benchmark)")
            _quietly(session, statistic_entries.submit_statistic, session, actors["focal.pmp"], form, today, "en")
    for code in ("MA-01", "MA-02", "MA-05", "MA-08"):
        rollout = session.scalar(select(RegionRollout).join(Region).where(Region.code == code))
        form = rollout_updates.RolloutForm(stage="operational", started_on="2026-10-01", note="Benchmark report.")
        _quietly(session, rollout_updates.submit_rollout_update, session, actors["focal.mj"], code,
                 rollout.version if rollout else 0, form, today)


def _quietly(session, write, *args) -> None:
    """Run ``write(*args)`` in a savepoint; a refusal (a figure the rules refuse) is skipped."""
    try:
        with session.begin_nested():
            write(*args)
    except UserError:
        pass


def _accounts_and_pending_updates(session, rng: random.Random) -> None:
    """The demo accounts, and updates of measures led by the Ministry of Justice waiting for
    review (each with a link, as evidence), so /review and the audit trail have content."""
    accounts.use_fast_hashing()
    accounts.ensure_demo_accounts(session, accounts.generate_password())
    focal = session.scalar(select(User).where(User.email == accounts.demo_email("focal.mj")))
    actor = Actor(user_id=focal.id, email=focal.email, role=focal.role, entity_id=focal.entity_id)
    mj = session.scalar(select(Entity.id).where(Entity.acronym == "MJ"))
    codes = session.scalars(select(Measure.code).where(Measure.lead_entity_id == mj)
                            .order_by(Measure.id).limit(PENDING_UPDATES)).all()
    for code in codes:
        measure = session.scalar(select(Measure).where(Measure.code == code))
        form = submissions.UpdateForm(
            status="in_progress", progress=rng.randint(1, 99), narrative={"fr": "Avancement trimestriel."},
            period_start="2026-07-01", period_end="2026-09-30", links="https://www.justice.gov.ma/")
        submissions.submit_measure_update(session, actor, code, measure.version, form, "", dt.date(2026, 11, 22))


def _synthetic_values(indicator_id: int, wanted: int, rng: random.Random) -> list[dict]:
    rows: list[dict] = []
    cells = [(dim, cell) for dim, shares in SHARES.items() for cell in shares]
    year = 2008
    while len(rows) < wanted:
        year += 1
        for quarter in range(1, 5):
            value = float(rng.randint(50, 500))
            rows.append(_value(indicator_id, f"{year}-Q{quarter}", year, value, None, None))
        total = float(rng.randint(200, 2000))
        rows.append(_value(indicator_id, str(year), year, total, None, None))
        for dim, cell in cells:
            rows.append(_value(indicator_id, str(year), year, round(total * SHARES[dim][cell]), dim, cell))
    return rows


def _value(indicator_id, period, year, value, dim, cell) -> dict:
    column = {"region": "region_code"}.get(dim, dim)
    row = dict(indicator_id=indicator_id, period=period, year=year, value=value,
               breakdown=breakdown_key({dim: cell}) if dim else "", sex=None, age_group=None,
               nationality=None, exploitation_form=None, region_code=None, source_ar="", source_fr="", source_en="",
               is_demo=True, reported_on=dt.date(min(year + 1, 2026), 3, 1))
    if dim:
        row[column] = cell
    return row


def _names(node: dict) -> dict[str, str]:
    return {f"name_{lang}": node["name"][lang] for lang in ("ar", "fr", "en")}


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _sample_paths(session) -> list[str]:
    measure = session.execute(select(Measure.code).order_by(Measure.id).limit(1)).scalar_one()
    indicator = session.execute(
        select(Indicator.code).where(Indicator.is_public, Indicator.is_sensitive).order_by(Indicator.id).limit(1)
    ).scalar_one_or_none() or session.execute(select(Indicator.code).order_by(Indicator.id).limit(1)).scalar_one()
    activity = session.execute(select(Activity.code).order_by(Activity.start_date.desc(), Activity.code)
                               .limit(1)).scalar_one_or_none() or "none"
    return ["/", "/plan", "/plan?axis=A2&status=in_progress", "/axes/A1", f"/measures/{measure}",
            "/indicators", f"/indicators/{indicator}", "/implementation", "/entities", "/entities/MJ",
            "/statistics", "/statistics?publisher=DGSN&year=2024", "/regions", "/regions/MA-03",
            "/regions/MA-06", "/activities", f"/activities/{activity}", "/partners", "/organisations",
            "/login"]


@dataclass(frozen=True)
class Sample:
    """One timed request: its time, the SQL it ran and the size of its response."""

    ms: float
    sql_ms: float
    statements: int
    size: int


class SqlMeter:
    """Time spent in the database driver and statements run, between two ``reset`` calls:
    SQLAlchemy's ``before_cursor_execute`` and ``after_cursor_execute`` on ``engine``.

    SQLite's driver runs a query only up to its first row in ``execute`` and the rest as the
    rows are fetched, so on SQLite the engine's new connections hand out cursors whose
    fetches are timed too (PostgreSQL's driver fetches every row in ``execute``)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.seconds = 0.0
        self.statements = 0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "do_connect", self._timed_fetches)
            engine.dispose()  # connections opened before have plain cursors

    def _timed_fetches(self, _dialect, _record, _cargs, cparams) -> None:
        cparams["factory"] = _timed_sqlite_connection(self)

    def _before(self, conn, _cursor, _statement, _parameters, _context, _executemany) -> None:
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def _after(self, conn, _cursor, _statement, _parameters, _context, _executemany) -> None:
        started = conn.info["bench_started"].pop()
        self.seconds += time.perf_counter() - started
        self.statements += 1

    def reset(self) -> None:
        self.seconds, self.statements = 0.0, 0

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)
        if self.engine.dialect.name == "sqlite":
            event.remove(self.engine, "do_connect", self._timed_fetches)
            self.engine.dispose()


def _timed_sqlite_connection(meter: SqlMeter) -> type[sqlite3.Connection]:
    """A ``sqlite3`` connection class whose cursors add their fetching time to ``meter``."""

    class TimedCursor(sqlite3.Cursor):
        def _timed(self, fetch, *args):
            start = time.perf_counter()
            try:
                return fetch(*args)
            finally:
                meter.seconds += time.perf_counter() - start

        def fetchone(self):
            return self._timed(super().fetchone)

        def fetchmany(self, *args, **kwargs):
            return self._timed(lambda: super(TimedCursor, self).fetchmany(*args, **kwargs))

        def fetchall(self):
            return self._timed(super().fetchall)

        def __next__(self):
            return self._timed(super().__next__)

    class TimedConnection(sqlite3.Connection):
        def cursor(self, factory=TimedCursor):
            return super().cursor(factory)

    return TimedConnection


class Recorder:
    """Times each request ``repeat`` times, with the SQL it ran, under a key."""

    def __init__(self, meter: SqlMeter, repeat: int):
        self.meter, self.repeat = meter, repeat
        self.samples: dict[str, list[Sample]] = {}
        self.failures: dict[str, str] = {}  # key -> status and the start of the body

    def measure(self, key: str, request, *args, ok=(200,)):
        """``request(*args)`` timed ``repeat`` times; returns the last response, or None
        (the failure noted) when a response's status is not one of ``ok``."""
        response = None
        for _ in range(self.repeat):
            self.meter.reset()
            start = time.perf_counter()
            response = request(*args)
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code not in ok:
                self.samples.pop(key, None)
                self.failures[key] = f"{response.status_code} {response.data[:300].decode(errors='replace').strip()}"
                return None
            self.samples.setdefault(key, []).append(
                Sample(elapsed, self.meter.seconds * 1000, self.meter.statements, len(response.data)))
        return response


@dataclass(frozen=True)
class Timings:
    """The samples by "page <path> [<lang>]" or "callback <output> on <path> [<lang>]", and
    the requests that failed (their status and body), which have no samples."""

    samples: dict[str, list[Sample]]
    failures: dict[str, str]


def time_callbacks(app, repeat: int) -> Timings:
    """Every page of ``_sample_paths`` in Arabic and French, and each callback they hold,
    then the signed-in pages. A failed request is noted and the bench goes on."""
    meter = SqlMeter(app.extensions["db_engine"])
    recorder = Recorder(meter, repeat)
    try:
        _time_public_pages(app, recorder)
        _time_signed_in_pages(app, recorder)
    finally:
        meter.close()
    return Timings(recorder.samples, recorder.failures)


def _time_public_pages(app, recorder: Recorder) -> None:
    client = app.test_client()
    client.get("/?lang=fr")
    dash_client = DashClient(client)
    with app.app_context():
        session = app.extensions["db_sessionmaker"]()
        paths = _sample_paths(session)
        session.close()
    for lang in ("ar", "fr"):
        client.get(f"/?lang={lang}")
        for path in paths:
            _time_page(dash_client, recorder, path, lang)


def _time_page(dash_client: DashClient, recorder: Recorder, path: str, label: str) -> None:
    """``path`` rendered, then each server callback whose inputs the page holds, called with
    the page's own values."""
    pathname, _, search = path.partition("?")
    response = recorder.measure(f"page {path} [{label}]", dash_client.page, pathname, "?" + search if search else "")
    if response is None:
        return
    props = DashClient.props_by_id(response.get_json()["response"]["_pages_content"]["children"])
    for dep in dash_client.dependencies:
        if dep.get("clientside_function") or not dep["inputs"]:
            continue
        ids = [i["id"] for i in dep["inputs"]]
        if not all(isinstance(i, str) and i in props for i in ids):
            continue
        inputs = {f"{i['id']}.{i['property']}": _input_value(props[i["id"]], i["property"])
                  for i in dep["inputs"]}
        # States as the renderer sends them: the page's address, the page's components' values.
        state = {f"{s['id']}.{s['property']}": pathname if s["id"] == "_pages_location" and s["property"] == "pathname"
                 else (props.get(s["id"]) or {}).get(s["property"])
                 for s in dep["state"] if not s["id"].startswith("{")}
        output = dep["output"].strip(".").split("...")[0].split("@")[0]
        recorder.measure(f"callback {output} on {path} [{label}]", dash_client.call, dep["output"], inputs, state,
                         ok=(200, 204))


# What an infinite-row-model grid asks for first: its first block of rows.
FIRST_ROWS_REQUEST = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}


def _input_value(props: dict, prop: str):
    """The value the browser sends for ``prop`` of a component rendered with ``props``."""
    if prop == "getRowsRequest" and props.get("rowModelType") == "infinite":
        return FIRST_ROWS_REQUEST
    return props.get(prop)


SIGNED_IN_PAGES = {
    "committee": ["/", "/indicators", "/review", "/statistics", "/organisations", "/regions/MA-03"],
    "focal.mj": ["/my", "MEASURE", "/regions/MA-03"],
    "focal.pmp": ["/statistics/report", "/my"],
    "secretariat": ["/review", "/admin/audit", "/admin/users", "/account/password"],
}


def _time_signed_in_pages(app, recorder: Recorder) -> None:
    """The pages of the validation flow, rendered for the account that uses them."""
    with app.app_context():
        session = app.extensions["db_sessionmaker"]()
        users = {local: SessionUser(session.scalar(select(User).where(User.email == accounts.demo_email(local))))
                 for local in SIGNED_IN_PAGES}
        mj_measure = session.scalar(select(Measure.code).join(Entity, Entity.id == Measure.lead_entity_id)
                                    .where(Entity.acronym == "MJ").order_by(Measure.id))
        session.close()
    for local, pages in SIGNED_IN_PAGES.items():
        client = app.test_client()
        client.get("/?lang=ar")
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = users[local].get_id()
            flask_session["seen_at"] = int(time.time())
        dash_client = DashClient(client)
        for path in pages:
            path = f"/measures/{mj_measure}" if path == "MEASURE" else path
            _time_page(dash_client, recorder, path, f"ar, {local}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


@dataclass(frozen=True)
class Row:
    """What the table prints for one page or callback."""

    key: str
    n: int
    p50: float
    p95: float
    sql_p50: float
    statements: int
    size: int

    @property
    def ratio(self) -> float:
        return self.p50 / self.sql_p50 if self.sql_p50 > 0 else math.inf

    @property
    def sql_share(self) -> float:
        return self.sql_p50 / self.p50 if self.p50 > 0 else 0.0


def summarise(samples: dict[str, list[Sample]]) -> list[Row]:
    rows = []
    for key, values in samples.items():
        rows.append(Row(key=key, n=len(values), p50=statistics.median(s.ms for s in values),
                        p95=percentile([s.ms for s in values], 0.95),
                        sql_p50=statistics.median(s.sql_ms for s in values),
                        statements=round(statistics.median(s.statements for s in values)),
                        size=values[-1].size))
    return rows


def print_table(rows: list[Row], target: float, why: str) -> None:
    if not rows:
        print("\nnothing was timed")
        return
    width = max(len(r.key) for r in rows)
    print(f"\n{'page or callback':<{width}}  {'n':>4}  {'p50 ms':>8}  {'p95 ms':>8}  {'sql ms':>8}  "
          f"{'stmts':>6}  {'bytes':>10}  {'time/sql':>8}")
    for r in rows:
        flag = "  over target" if r.p95 > target else ""
        ratio = f"{r.ratio:>8.1f}" if math.isfinite(r.ratio) else f"{'-':>8}"
        print(f"{r.key:<{width}}  {r.n:>4}  {r.p50:>8.1f}  {r.p95:>8.1f}  {r.sql_p50:>8.1f}  "
              f"{r.statements:>6}  {r.size:>10,}  {ratio}{flag}")
    worst = max(rows, key=lambda r: r.p95)
    over = sum(r.p95 > target for r in rows)
    print(f"\nworst p95: {worst.p95:.1f} ms ({worst.key}); target {target:.0f} ms ({why}); "
          f"{over} of {len(rows)} over target")
    print("\nslowest by p95 (SQL share of the p50):")
    for r in sorted(rows, key=lambda r: r.p95, reverse=True)[:5]:
        print(f"  {r.p95:8.1f} ms  sql {100 * r.sql_share:5.1f}%  {r.statements:>5} stmts  {r.key}")
    print("\nlargest responses:")
    for r in sorted(rows, key=lambda r: r.size, reverse=True)[:5]:
        print(f"  {r.size:>12,} bytes  {r.key}")


def run(scale: int = 10, repeat: int = 30, database_url: str | None = None, target_ms: float | None = None,
        min_measures: int = MIN_MEASURES, min_values: int = MIN_VALUES) -> int:
    data_dir = Path(Config().DATA_DIR)
    target, why = target_p95_ms(scale, target_ms)
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as tmp:
        url = database_url or f"sqlite:///{tmp}/bench.sqlite3"
        started = time.perf_counter()
        counts = build_dataset(url, data_dir, scale, min_measures=min_measures, min_values=min_values)
        print(f"dataset: {counts['measures']:,} measures, {counts['indicators']:,} indicators, "
              f"{counts['indicator values']:,} indicator values "
              f"(built in {time.perf_counter() - started:.1f} s on {url.split(':')[0]})")
        print("national response: " + ", ".join(
            f"{counts[name]:,} {name}" for name in ("statistics", "activities", "programmes", "organisations",
                                                    "regional bodies", "rollout events",
                                                    "pending statistic entries", "pending rollout reports")))
        print(f"scale {scale}x, {repeat} timed calls each; p95 target {target:.0f} ms ({why})")
        # Every page is rendered: a page cache would time its hits, not the pages.
        app = create_app({"DATABASE_URL": url, "AS_OF": AS_OF, "PAGE_CACHE": False})
        gc.freeze()  # as `serve` does: start-up objects leave the collector's scans
        timings = time_callbacks(app, repeat)
        app.extensions["db_engine"].dispose()
    print_table(summarise(timings.samples), target, why)
    if timings.failures:
        print(f"\n{len(timings.failures)} failed (not timed):")
        for key, failure in timings.failures.items():
            print(f"  {key}: {failure}")
        return 1
    return 0
