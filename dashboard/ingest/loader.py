"""Loading the data files into the database, idempotently.

Before anything is written, every file the load reads is checked by the very functions
``check-data`` runs (``check_data``): a file ``check-data`` refuses is never loaded.

Records are matched by their code (acronym for entities). A field is written only when
it differs, so a second run reports no change. A measure's status and progress come
from the file only when the measure is new or the file's ``last_updated`` is newer than
the database's: a later report entered in the app is never rolled back by a reload.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.config import LANGUAGES
from dashboard.ingest import (
    activities,
    funding,
    organisations,
    rollout,
    statistics,
)
from dashboard.ingest.datafiles import check_file
from dashboard.ingest.plan_file import (
    iter_indicators,
    read_plan_values,
    validate_entities,
    validate_plan,
    validate_regions,
)
from dashboard.ingest.reader import (
    DataFileError,
    DataFilesError,
    Problem,
    parse_period,
    read_yaml,
)
from dashboard.ingest.sources import sources
from dashboard.ingest.upsert import (
    LoadReport,
    as_date,
    as_float,
    assign,
    money,
    names,
    upsert,
)
from dashboard.models import (
    DISAGGREGATION_COLUMNS,
    DISAGGREGATIONS,
    Entity,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    MeasureProgressEvent,
    MeasureYear,
    Objective,
    Plan,
    Region,
    StrategicAxis,
    breakdown_key,
)
from dashboard.permissions import Actor
from dashboard.plan.rollups import refresh_indicator_latest
from dashboard.workflow import audit


def load_entities(session: Session, path: Path, report: LoadReport) -> None:
    doc = read_yaml(path)
    problems = validate_entities(doc)
    if problems:
        raise DataFileError(path, problems)
    # A source's publisher may be any body of this same file.
    publishers = {item["acronym"]: {lang: item["name"][lang].strip() for lang in LANGUAGES} for item in doc}
    for item in doc:
        upsert(
            session,
            Entity,
            {"acronym": item["acronym"]},
            {
                "kind": item["kind"],
                "is_member": bool(item.get("member", False)),
                **sources(item, publishers),
                **names(item),
            },
            report,
            "entities",
        )
    session.flush()


def load_regions(session: Session, path: Path, report: LoadReport) -> None:
    doc = read_yaml(path)
    problems = validate_regions(doc)
    if problems:
        raise DataFileError(path, problems)
    for item in doc:
        upsert(session, Region, {"code": item["code"]}, names(item), report, "regions")
    session.flush()


def load_plan(session: Session, path: Path, report: LoadReport) -> dict[str, Indicator]:
    """Load a plan file; returns its indicators by code for the values loader."""
    doc = read_yaml(path)
    entities = {e.acronym: e for e in session.execute(select(Entity)).scalars()}
    problems = validate_plan(doc, set(entities))
    if problems:
        raise DataFileError(path, problems)
    demo = bool(doc.get("demo", False))

    plans: dict[str, Plan] = {}
    new_plans: set[str] = set()
    for item in doc["plans"]:
        plans[item["code"]] = upsert(
            session,
            Plan,
            {"code": item["code"]},
            {
                "kind": item["kind"],
                "start_year": item["start_year"],
                "end_year": item["end_year"],
                "is_demo": demo,
                **names(item),
                **names(item, "description"),
            },
            report,
            "plans",
        )
        if plans[item["code"]] in session.new:
            new_plans.add(item["code"])
    session.flush()
    for item in doc["plans"]:
        parent = plans.get(item.get("parent"))
        if assign(plans[item["code"]], {"parent_id": parent.id if parent else None}):
            report.count("plans", False, item["code"] not in new_plans)
    strategic = next((p for p in plans.values() if p.kind == "strategic"), None)
    implementation = next((p for p in plans.values() if p.kind == "implementation"), strategic)
    assert strategic and implementation  # guaranteed by validate_plan

    measures: dict[str, Measure] = {}
    objectives: dict[str, Objective] = {}
    for a_pos, axis_doc in enumerate(doc["axes"]):
        axis = upsert(
            session,
            StrategicAxis,
            {"code": axis_doc["code"]},
            {
                "plan_id": strategic.id,
                "position": a_pos,
                "is_demo": demo,
                **names(axis_doc),
                **names(axis_doc, "description"),
            },
            report,
            "axes",
        )
        session.flush()
        for o_pos, obj_doc in enumerate(axis_doc["objectives"]):
            objective = upsert(
                session,
                Objective,
                {"code": obj_doc["code"]},
                {"axis_id": axis.id, "position": o_pos, "is_demo": demo, **names(obj_doc)},
                report,
                "objectives",
            )
            session.flush()
            objectives[obj_doc["code"]] = objective
            for m_pos, m_doc in enumerate(obj_doc.get("measures") or []):
                measures[m_doc["code"]] = _load_measure(
                    session, m_doc, m_pos, objective, implementation, entities, demo, report
                )

    indicators: dict[str, Indicator] = {}
    for position, (ind_doc, obj_doc, m_doc) in enumerate(iter_indicators(doc)):
        indicators[ind_doc["code"]] = _load_indicator(
            session,
            ind_doc,
            position,
            objectives[obj_doc["code"]],
            measures[m_doc["code"]] if m_doc else None,
            entities,
            demo,
            report,
        )
    session.flush()
    for ind_doc, _obj, _m in iter_indicators(doc):
        for row in ind_doc.get("values") or []:
            _load_value(session, indicators[ind_doc["code"]], row, False, report)
    session.flush()
    return indicators


def _load_measure(session, m_doc, position, objective, plan, entities, demo, report) -> Measure:
    last_updated = as_date(m_doc["last_updated"])
    values = {
        "objective_id": objective.id,
        "plan_id": plan.id,
        "position": position,
        "lead_entity_id": entities[m_doc["lead"]].id,
        "planned_start": as_date(m_doc["start"]),
        "planned_end": as_date(m_doc["end"]),
        "budget_mad": money(m_doc.get("budget_mad")),
        "funding_source": m_doc.get("funding", "to_be_determined"),
        "weight": float(m_doc.get("weight", 1)),
        "priority": m_doc.get("priority", "medium"),
        "is_demo": demo,
        **names(m_doc),
    }
    state = {
        "status": m_doc["status"],
        "progress": int(m_doc.get("progress", 0)),
        "last_updated": last_updated,
    }
    measure = session.execute(select(Measure).filter_by(code=m_doc["code"])).scalar_one_or_none()
    created = measure is None
    if created:
        measure = Measure(code=m_doc["code"], **values, **state)
        session.add(measure)
        changed = True
    else:
        changed = assign(measure, values)
        if last_updated > measure.last_updated:
            changed = assign(measure, state) or changed
    partners = sorted(
        (entities[a] for a in m_doc.get("partners") or []), key=lambda e: e.acronym
    )
    if [p.id for p in measure.partners] != [p.id for p in partners]:
        measure.partners = partners
        changed = True
    years = sorted(set(m_doc.get("years") or []))
    if [y.year for y in measure.years] != years:
        measure.years = [MeasureYear(year=y) for y in years]
        changed = True
    report.count("measures", created, changed)
    session.flush()

    events = list(m_doc.get("history") or []) + [
        {"date": last_updated, "status": state["status"], "progress": state["progress"]}
    ]
    for event in events:
        upsert(
            session,
            MeasureProgressEvent,
            # Reports from the file, not approved updates (which carry an update_id).
            {"measure_id": measure.id, "recorded_on": as_date(event["date"]), "update_id": None},
            {"status": event["status"], "progress": int(event["progress"]), "is_demo": demo},
            report,
            "progress events",
        )
    return measure


def _load_indicator(session, doc, position, objective, measure, entities, demo, report):
    baseline = doc.get("baseline") or {}
    responsible = entities.get(doc.get("responsible"))
    indicator = upsert(
        session,
        Indicator,
        {"code": doc["code"]},
        {
            "position": position,
            "measure_id": measure.id if measure else None,
            "objective_id": objective.id,
            "unit": doc["unit"],
            "type": doc["type"],
            "direction": doc["direction"],
            "baseline_value": as_float(baseline.get("value")),
            "baseline_year": baseline.get("year"),
            "frequency": doc.get("frequency", "annual"),
            "responsible_entity_id": responsible.id if responsible else None,
            "disaggregations": list(doc.get("disaggregations") or []),
            "is_public": bool(doc.get("public", True)),
            "is_sensitive": bool(doc.get("sensitive", False)),
            "is_demo": demo,
            **names(doc),
            **names(doc, "source"),
        },
        report,
        "indicators",
    )
    created = indicator in session.new
    session.flush()
    targets = {int(y): float(v) for y, v in (doc.get("targets") or {}).items()}
    if {t.year: t.value for t in indicator.targets} != targets:
        indicator.targets = [IndicatorTarget(year=y, value=v) for y, v in sorted(targets.items())]
        report.count("indicators", False, not created)
    return indicator


def load_values(session: Session, plan_path: Path, values_path: Path, indicators: dict[str, Indicator],
                demo: bool, report: LoadReport) -> None:
    """The values of a CSV, checked against its plan file as ``check-data --values`` does."""
    for row in read_plan_values(plan_path, values_path):
        _load_value(session, indicators[row["indicator"]], row, demo, report)
    session.flush()


def _load_value(session, indicator: Indicator, row: dict, demo: bool, report: LoadReport) -> None:
    year, period = parse_period(row["period"])  # validated before
    cells = {d: row[d] for d in DISAGGREGATIONS if row.get(d)}
    columns = {DISAGGREGATION_COLUMNS[d]: cells.get(d) for d in DISAGGREGATIONS}
    upsert(
        session,
        IndicatorValue,
        {"indicator_id": indicator.id, "period": period, "breakdown": breakdown_key(cells)},
        {
            "year": year,
            "value": float(row["value"]),
            **_value_sources(row.get("source")),
            "reported_on": as_date(row["reported_on"]) if row.get("reported_on") else None,
            "is_demo": demo,
            **columns,
        },
        report,
        "indicator values",
    )


def _value_sources(source) -> dict[str, str]:
    """A value's source per language: the plan file gives three texts, a CSV one."""
    if isinstance(source, dict):
        return names({"source": source}, "source")
    return {f"source_{lang}": (source or "").strip() for lang in ("ar", "fr", "en")}


PLAN_FILE = Path("plan") / "plan.yaml"
VALUES_FILE = Path("demo") / "indicator_values.csv"
DOMAINS = (statistics, rollout, activities, funding, organisations)  # loaded in this order


def check_data(data_dir: Path | str, demo: bool = False, plan_file: Path | None = None) -> None:
    """Check every file ``load_all`` would read with the functions of ``check-data``
    (``check_file``, and ``read_plan_values`` for the values CSV); raise
    ``DataFileError`` naming every problem of every file, before anything is written."""
    data_dir = Path(data_dir)
    reference = data_dir / "reference"
    required = [reference / "entities.yaml", reference / "regions.yaml"]
    if demo:
        required += [data_dir / PLAN_FILE, data_dir / VALUES_FILE]
    if plan_file is not None:
        required.append(Path(plan_file))
    errors = [DataFileError(path, [Problem(0, "no such file")]) for path in required if not path.is_file()]
    acronyms: set[str] = set()
    if (reference / "entities.yaml").is_file():
        try:
            entities = read_yaml(reference / "entities.yaml")
            acronyms = {e["acronym"] for e in entities if isinstance(e, dict) and isinstance(e.get("acronym"), str)} \
                if isinstance(entities, list) else set()
        except DataFileError:
            pass  # reported below with the file's other problems
    files = [path for path in required if path.suffix != ".csv"]
    files += [path for domain in DOMAINS for path in domain.data_files(data_dir, demo)]
    for path in dict.fromkeys(files):  # each once, in load order
        if path.is_file():
            problems = check_file(path, acronyms)
            if problems:
                errors.append(DataFileError(path, problems))
    if demo and (data_dir / PLAN_FILE).is_file() and (data_dir / VALUES_FILE).is_file():
        try:
            read_plan_values(data_dir / PLAN_FILE, data_dir / VALUES_FILE)
        except DataFileError as exc:
            errors.append(exc)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise DataFilesError(errors)


def load_all(
    session: Session, data_dir: Path | str, demo: bool = False, plan_file: Path | None = None
) -> LoadReport:
    """Reference data always; the illustrative plan and its demo values with ``demo``."""
    data_dir = Path(data_dir)
    check_data(data_dir, demo, plan_file)
    report = LoadReport()
    load_entities(session, data_dir / "reference" / "entities.yaml", report)
    load_regions(session, data_dir / "reference" / "regions.yaml", report)
    if demo:
        indicators = load_plan(session, data_dir / PLAN_FILE, report)
        load_values(session, data_dir / PLAN_FILE, data_dir / VALUES_FILE, indicators, True, report)
    if plan_file is not None:
        load_plan(session, Path(plan_file), report)
    session.flush()
    # The national system around the plan; activities and programmes link to measures.
    for domain in DOMAINS:
        domain.load(session, data_dir, demo, report)
    session.flush()
    refresh_indicator_latest(session)
    if report.changes:
        files = ["reference"] + (["demo"] if demo else []) + ([str(plan_file)] if plan_file else [])
        audit.record(session, Actor(role="admin", email="load-data"), "data.load", "data_files",
                     ",".join(files)[:80], None, {"created": report.created, "updated": report.updated})
    return report
