"""``python -m dashboard bench``: time every page and callback on a large synthetic plan.

The dataset is the shipped plan scaled up (at least 1,000 measures and 100,000
indicator values) in a temporary database. Each page is rendered through Dash's router
and every server callback whose inputs that page holds is called with the page's own
values, through Flask's test client, the way the browser calls them, first as an
anonymous visitor, then the pages of the validation flow as a committee member, a focal
point and the secretariat (with a review queue of pending updates). Prints p50 and p95
per page and callback and flags any p95 over the 150 ms target.
"""
from __future__ import annotations

import datetime as dt
import gc
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, insert, select

from dashboard.app import create_app
from dashboard.config import Config
from dashboard.db import make_engine, session_scope, upgrade
from dashboard.devtools.testing import DashClient
from dashboard.ingest import datafiles
from dashboard.ingest.demo import SHARES
from dashboard.ingest.loader import LoadReport, load_entities, load_regions
from dashboard.models import (
    Entity,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    MeasureProgressEvent,
    MeasureYear,
    Objective,
    Plan,
    StrategicAxis,
    User,
    breakdown_key,
    measure_partner,
)
from dashboard.permissions import Actor
from dashboard.plan.rollups import refresh_indicator_latest
from dashboard.web.auth import SessionUser
from dashboard.workflow import accounts, submissions

TARGET_P95_MS = 150.0
MIN_MEASURES = 1_000
MIN_VALUES = 100_000
AS_OF = "2026-11-22"
PENDING_UPDATES = 40


def build_dataset(url: str, data_dir: Path, scale: int, seed: int = 7) -> dict[str, int]:
    """Write a synthetic plan ``scale`` times the shipped one (with the floors above)."""
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
        copies = max(scale, -(-MIN_MEASURES // max(1, len(shipped_measures))))
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
        per_indicator = -(-MIN_VALUES // max(1, len(indicator_rows)))
        value_rows = []
        for indicator in indicator_rows:
            rows = _synthetic_values(indicator["id"], per_indicator, rng)
            value_rows.extend(rows)
        for chunk in range(0, len(value_rows), 20_000):
            session.execute(insert(IndicatorValue), value_rows[chunk:chunk + 20_000])
        refresh_indicator_latest(session)
        _accounts_and_pending_updates(session, rng)
        counts = {
            "measures": session.execute(select(func.count(Measure.id))).scalar_one(),
            "indicators": session.execute(select(func.count(Indicator.id))).scalar_one(),
            "indicator values": session.execute(select(func.count(IndicatorValue.id))).scalar_one(),
        }
    engine.dispose()
    return counts


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
    return ["/", "/plan", "/plan?axis=A2&status=in_progress", "/axes/A1", f"/measures/{measure}",
            "/indicators", f"/indicators/{indicator}", "/implementation", "/entities", "/entities/MJ",
            "/statistics", "/regions", "/regions/MA-03", "/activities", "/partners", "/organisations"]


def time_callbacks(app, repeat: int) -> dict[str, list[float]]:
    client = app.test_client()
    client.get("/?lang=fr")
    dash_client = DashClient(client)
    timings: dict[str, list[float]] = {}
    with app.app_context():
        session = app.extensions["db_sessionmaker"]()
        paths = _sample_paths(session)
        session.close()
    for lang in ("ar", "fr"):
        client.get(f"/?lang={lang}")
        for path in paths:
            pathname, _, search = path.partition("?")
            key = f"page {path} [{lang}]"
            response = None
            for _ in range(repeat):
                start = time.perf_counter()
                response = dash_client.page(pathname, "?" + search if search else "")
                timings.setdefault(key, []).append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            props = DashClient.props_by_id(response.get_json()["response"]["_pages_content"]["children"])
            for dep in dash_client.dependencies:
                if dep.get("clientside_function") or not dep["inputs"]:
                    continue
                ids = [i["id"] for i in dep["inputs"]]
                if not all(isinstance(i, str) and i in props for i in ids):
                    continue
                inputs = {f"{i['id']}.{i['property']}": props[i["id"]].get(i["property"]) for i in dep["inputs"]}
                output = dep["output"].strip(".").split("...")[0].split("@")[0]
                key = f"callback {output} on {pathname} [{lang}]"
                for _ in range(repeat):
                    start = time.perf_counter()
                    result = dash_client.call(output, inputs)
                    timings.setdefault(key, []).append((time.perf_counter() - start) * 1000)
                    assert result.status_code in (200, 204), (key, result.status_code, result.data[:300])
    timings.update(_time_signed_in_pages(app, repeat))
    return timings


SIGNED_IN_PAGES = {
    "committee": ["/", "/indicators", "/review", "/statistics", "/organisations"],
    "focal.mj": ["/my", "MEASURE"],
    "secretariat": ["/review", "/admin/audit", "/admin/users"],
}


def _time_signed_in_pages(app, repeat: int) -> dict[str, list[float]]:
    """The pages of the validation flow, rendered for the account that uses them."""
    timings: dict[str, list[float]] = {}
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
            key = f"page {path} [ar, {local}]"
            for _ in range(repeat):
                start = time.perf_counter()
                response = dash_client.page(path)
                timings.setdefault(key, []).append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (key, response.status_code)
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def run(scale: int = 10, repeat: int = 30, database_url: str | None = None) -> int:
    data_dir = Path(Config().DATA_DIR)
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as tmp:
        url = database_url or f"sqlite:///{tmp}/bench.sqlite3"
        started = time.perf_counter()
        counts = build_dataset(url, data_dir, scale)
        print(f"dataset: {counts['measures']:,} measures, {counts['indicators']:,} indicators, "
              f"{counts['indicator values']:,} indicator values "
              f"(built in {time.perf_counter() - started:.1f} s on {url.split(':')[0]})")
        app = create_app({"DATABASE_URL": url, "AS_OF": AS_OF})
        gc.freeze()  # as `serve` does: start-up objects leave the collector's scans
        timings = time_callbacks(app, repeat)
        app.extensions["db_engine"].dispose()
    width = max(len(k) for k in timings)
    print(f"\n{'page or callback':<{width}}  {'n':>4}  {'p50 ms':>8}  {'p95 ms':>8}")
    worst = 0.0
    for key, values in timings.items():
        p50, p95 = statistics.median(values), percentile(values, 0.95)
        worst = max(worst, p95)
        flag = "  over target" if p95 > TARGET_P95_MS else ""
        print(f"{key:<{width}}  {len(values):>4}  {p50:>8.1f}  {p95:>8.1f}{flag}")
    print(f"\nworst p95: {worst:.1f} ms (target {TARGET_P95_MS:.0f} ms)")
    return 0
