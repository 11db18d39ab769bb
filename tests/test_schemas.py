"""One check per data file: ``check-data`` (``datafiles.check_file``) and ``load-data`` (each file's
loader) accept and refuse the same files with the same problems; every kind publishes a JSON Schema."""
from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from dashboard.ingest import (
    activities,
    datafiles,
    funding,
    organisations,
    rollout,
    schemas,
    statistics,
)
from dashboard.ingest.datafiles import DataFileError, check_file
from dashboard.ingest.loader import load_entities, load_plan, load_regions
from dashboard.ingest.upsert import LoadReport
from dashboard.models import Base
from helpers import DATA_DIR, PLAN_SMALL

ACRONYMS = {entity["acronym"] for entity in datafiles.read_yaml(DATA_DIR / "reference" / "entities.yaml")}
SHIPPED = sorted(p.relative_to(DATA_DIR) for p in DATA_DIR.rglob("*.yaml"))
# The loader of each kind of file, as ``load_all`` runs it.
DOMAIN_LOADERS: dict[str, Callable] = {
    "statistics": statistics.load, "activities": activities.load, "programmes": funding.load,
    "programme_measures": funding.load, "exchange_rates": funding.load, "organisations": organisations.load,
    "rollout": rollout.load,
}
SOURCE = "source: {publisher: P, entity: PMP, document: D, citation: C"
# Broken copies of shipped files: (file, text replaced, replacement). The first three are the
# statistics files check-data used to pass and load-data refused (it crashed on them).
BROKEN = [
    ("demo/statistics.yaml", None, f"- {{period: null, series: cases_registered, value: 3, unit: count, {SOURCE}}}}}\n"),
    ("demo/statistics.yaml", None, f"- {{year: 2020, series: cases_registered, value: 3, unit: count, note: 5, {SOURCE}}}}}\n"),
    ("demo/statistics.yaml", None, f"- {{year: 2020, series: cases_registered, value: 3, unit: count, {SOURCE}, url: 7}}}}\n"),
    ("reference/published_statistics.yaml", None,
     '- {year: 2024, period: "2023-2024", series: persons_prosecuted, value: 213, unit: count, ' + SOURCE + '}}\n'
     '- {year: 2021, series: victims_identified, value: 2, unit: count, breakdown: {nationality: martian}, ' + SOURCE + '}}\n'),
    ("reference/entities.yaml", "kind: ministry", "kind: club"),
    ("reference/entities.yaml", "acronym: MI", "acronym: DIDH"),
    ("reference/regions.yaml", "code: MA-12", "code: MA-13"),
    ("reference/organisations.yaml", "kind: association", "kind: club"),
    ("demo/organisations.yaml", "services: [legal_aid, psychosocial]", "services: []"),
    ("reference/exchange_rates.yaml", "mad_per_unit: ", "mad_per_unit: .nan #"),
    ("reference/programmes.yaml", "scope: regional", "scope: planetary"),
    ("demo/programme_measures.yaml", "programme: JTIP", "programme: NOPE"),
    ("reference/activities.yaml", "kind: international_meeting", "kind: party"),
    ("reference/rollout.yaml", "region: MA-03", "region: MA-13"),
    ("demo/rollout.yaml", "stage: pilot", "stage: done"),
    # A text read on the pages in one language only: refused by check-data and load-data alike.
    ("reference/entities.yaml", "  source: &decree\n", "  source: Decree 2.17.740\n  decree: &decree\n"),
    ("reference/programmes.yaml", '  acronym: {proper: "JTIP"}', '  acronym: "EU support"'),
    ("reference/organisations.yaml", '    en: "Bab Al Moustaqbal Association"\n', ""),
    ("reference/activities.yaml", '      en: "Study visit to Belgium under', '      de: "Study visit to Belgium under'),
    ("demo/organisations.yaml", "source: &demo", "source: Demonstration data\n  demo: &demo"),
    ("plan/plan.yaml", "status: ", "status: finished #"),
    ("plan/plan.yaml", "progress: ", "progress: 140 #"),
]


@pytest.fixture
def load_session() -> Session:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    for layer in ("reference", "demo", "plan"):
        shutil.copytree(DATA_DIR / layer, target / layer)
    return target


def load_problems(session: Session, data_dir: Path, relative: Path) -> list[datafiles.Problem]:
    """The problems ``load-data`` refuses the file ``relative`` with (its loader raises
    ``DataFileError``); any other exception fails the test: the loader saw a bad document."""
    path = data_dir / relative
    report = LoadReport()
    kind = schemas.kind_of(path, datafiles.read_yaml(path))
    try:
        if kind == "entities":
            load_entities(session, path, report)
            return []
        load_entities(session, data_dir / "reference" / "entities.yaml", report)
        if kind == "regions":
            load_regions(session, path, report)
            return []
        load_regions(session, data_dir / "reference" / "regions.yaml", report)
        if kind == "plan":
            load_plan(session, path, report)
        else:
            DOMAIN_LOADERS[kind](session, data_dir, relative.parts[0] == "demo", report)
    except DataFileError as exc:
        return exc.problems if exc.path == str(path) else []
    return []


def assert_agree(session: Session, data_dir: Path, relative: Path) -> list[datafiles.Problem]:
    checked = check_file(data_dir / relative, ACRONYMS)
    assert load_problems(session, data_dir, relative) == checked
    return checked


@pytest.mark.parametrize("relative", SHIPPED, ids=str)
def test_check_and_load_accept_every_shipped_file(load_session, tmp_path, relative):
    assert assert_agree(load_session, data_copy(tmp_path), relative) == []


def test_check_and_load_accept_the_fixture_plan(load_session, tmp_path):
    data_dir = data_copy(tmp_path)
    shutil.copy(PLAN_SMALL, data_dir / "plan" / "plan.yaml")
    assert assert_agree(load_session, data_dir, Path("plan/plan.yaml")) == []


@pytest.mark.parametrize(("relative", "old", "new"), BROKEN, ids=lambda v: str(v)[:30])
def test_check_and_load_refuse_a_broken_file_alike(load_session, tmp_path, relative, old, new):
    data_dir = data_copy(tmp_path)
    path = data_dir / relative
    text = path.read_text(encoding="utf-8")
    path.write_text(new if old is None else text.replace(old, new, 1), encoding="utf-8")
    assert assert_agree(load_session, data_dir, Path(relative)) != []


def test_the_values_csv_is_read_alike(tmp_path):
    rows = datafiles.read_plan_values(DATA_DIR / "plan" / "plan.yaml", DATA_DIR / "demo" / "indicator_values.csv")
    assert rows


# --- kinds ---------------------------------------------------------------------------------


def test_a_kind_key_names_the_kind_of_a_file(tmp_path):
    path = tmp_path / "anything.yaml"
    path.write_text("kind: plan\n" + PLAN_SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    assert check_file(path, ACRONYMS) == []
    path.write_text("kind: budget\nplans: []\n", encoding="utf-8")
    [problem] = check_file(path, ACRONYMS)
    assert problem.line == 1 and problem.message.startswith("unknown kind 'budget', expected one of entities")


def test_the_kind_never_comes_from_the_content(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- {acronym: MJ, kind: ministry, name: {ar: a, fr: b, en: c}}\n", encoding="utf-8")
    [problem] = check_file(path, ACRONYMS)
    assert "not a plan, entities, regions or published statistics file" in problem.message


@pytest.mark.parametrize("name", ["plan_2026.yaml", "draft_plan.yaml", "plan-edited.yaml"])
def test_a_plan_may_carry_a_word_beside_plan_in_its_name(tmp_path, name):
    path = tmp_path / name
    shutil.copy(PLAN_SMALL, path)
    assert schemas.kind_of(path) == "plan"


# --- JSON Schema ---------------------------------------------------------------------------

EXAMPLES = {
    "entities": ["reference/entities.yaml"], "regions": ["reference/regions.yaml"], "plan": ["plan/plan.yaml"],
    "statistics": ["reference/published_statistics.yaml", "demo/statistics.yaml"],
    "activities": ["reference/activities.yaml"], "programmes": ["reference/programmes.yaml"],
    "programme_measures": ["demo/programme_measures.yaml"], "exchange_rates": ["reference/exchange_rates.yaml"],
    "organisations": ["reference/organisations.yaml", "demo/organisations.yaml"],
    "rollout": ["reference/rollout.yaml", "demo/rollout.yaml"],
}


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_every_kind_publishes_a_json_schema(kind):
    schema = json.loads(json.dumps(schemas.json_schema(kind)))
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema.get("type") in ("object", "array")
    model = schemas.FILE_KINDS[kind].model
    if kind == "indicator_values":
        for row in datafiles.read_plan_values(DATA_DIR / "plan" / "plan.yaml", DATA_DIR / "demo" / "indicator_values.csv"):
            model.model_validate(row)
        return
    for relative in EXAMPLES[kind]:
        # The shipped file, as JSON would carry it, validates against the model the schema comes from.
        doc = json.loads(json.dumps(datafiles.read_yaml(DATA_DIR / relative), default=str))
        model.model_validate(doc)


def test_an_unknown_kind_has_no_schema():
    with pytest.raises(KeyError, match="unknown kind of data file 'budget'"):
        schemas.json_schema("budget")


def test_the_file_kinds_cover_every_shipped_file():
    assert {schemas.kind_of(DATA_DIR / relative) for relative in SHIPPED} == set(schemas.KINDS) - {"indicator_values"}
