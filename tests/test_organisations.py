"""The civil-society directory service (dashboard/national/organisations.py): contact details only for
logged-in users, filters, counts, and the loader (reference always, demonstration data
only with demo).

The seeded database holds the reference directory only: Bab Al Moustaqbal, which runs the
shelter of Fès-Meknès and has no published contact details.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dashboard.ingest import organisations as organisation_files
from dashboard.ingest.datafiles import DataFileError
from dashboard.ingest.loader import LoadReport
from dashboard.models import ORGANISATION_SERVICES
from dashboard.national import organisations
from dashboard.permissions import PUBLIC
from helpers import DATA_DIR, actor_of
from tests.test_funding import refused

DEMO_COUNT = 24  # one association and one public service per region


@pytest.fixture
def with_demo(session):
    """The seeded session with the demonstration organisations loaded too."""
    report = LoadReport()
    organisation_files.load(session, DATA_DIR, True, report)
    assert report.created == {"organisations": DEMO_COUNT}
    return session


def test_reference_directory(session):
    rows = organisations.directory(session, PUBLIC, "fr")
    assert [r["code"] for r in rows] == ["BAB-AL-MOUSTAQBAL"]
    bab = rows[0]
    assert bab["name"] == "Association Bab Al Moustaqbal"
    assert (bab["kind"], bab["region_code"], bab["region"]) == ("association", "MA-03", "Fès-Meknès")
    assert bab["services"] == ["shelter"] and bab["entity"] == "BAB-AL-MOUSTAQBAL"
    assert not bab["is_demo"] and "cnclt.justice.gov.ma/?p=1932" in bab["source"]
    assert organisations.directory(session, PUBLIC, "ar")[0]["name"] == "جمعية باب المستقبل"


def test_the_public_gets_no_contact_details_at_all(with_demo):
    rows = organisations.directory(with_demo, PUBLIC, "fr")
    assert len(rows) == DEMO_COUNT + 1
    for row in rows:
        assert "contacts" not in row
        assert not set(row) & set(organisations.CONTACT_FIELDS)
    text = json.dumps(rows, ensure_ascii=False)
    assert "example.invalid" not in text and "+212" not in text and "@" not in text


@pytest.mark.parametrize("key", ["focal_mj", "committee", "secretariat", "admin"])
def test_logged_in_users_get_the_contact_details(with_demo, key):
    rows = {r["code"]: r for r in organisations.directory(with_demo, actor_of(with_demo, key), "en")}
    demo = rows["DEMO-ASSOC-MA-01"]
    assert demo["contacts"] == {
        "phone": "+212 500-000-001",
        "email": "demo-01@example.invalid",
        "address": "1 rue de la Démonstration, Tanger",
        "website": "https://demo-01.example.invalid",
    }
    assert "website" not in rows["DEMO-UNIT-MA-01"]["contacts"]
    assert rows["BAB-AL-MOUSTAQBAL"]["contacts"] == {}  # none published


def test_demo_rows_are_flagged_and_obviously_fictitious(with_demo):
    rows = organisations.directory(with_demo, actor_of(with_demo, "committee"), "en")
    demo = [r for r in rows if r["is_demo"]]
    assert len(demo) == DEMO_COUNT
    assert all(r["name"].startswith("Demo ") for r in demo)
    assert all(r["contacts"]["email"].endswith("@example.invalid") for r in demo)
    assert all(r["contacts"]["phone"].startswith("+212 500-000-0") for r in demo)
    assert {r["region_code"] for r in demo} == {f"MA-{n:02d}" for n in range(1, 13)}
    assert {s for r in demo for s in r["services"]} == set(ORGANISATION_SERVICES)


def test_filters(with_demo):
    def codes(**filters):
        return [r["code"] for r in organisations.directory(with_demo, PUBLIC, "fr", **filters)]

    assert codes(region="MA-03") == ["BAB-AL-MOUSTAQBAL", "DEMO-ASSOC-MA-03", "DEMO-UNIT-MA-03"]
    assert "BAB-AL-MOUSTAQBAL" in codes(service="shelter")
    assert all(c.startswith("DEMO-UNIT") for c in codes(service="health"))
    assert codes(text="moustaqbal") == ["BAB-AL-MOUSTAQBAL"]
    assert codes(text="المستقبل") == ["BAB-AL-MOUSTAQBAL"]  # any language's name matches
    assert codes(text="Meknes") == ["DEMO-UNIT-MA-03"]  # the town, in English
    assert codes(text="100%_") == []  # LIKE wildcards are taken literally
    assert codes(region="MA-03", service="legal_aid", text="fès") == []
    assert len(codes(text="   ")) == DEMO_COUNT + 1


def test_counts_by_region_and_service(with_demo):
    rows = organisations.directory(with_demo, PUBLIC, "fr")
    found = organisations.counts(rows)
    assert found["by_region"]["MA-03"] == 3 and found["by_region"]["MA-12"] == 2
    assert sum(found["by_region"].values()) == len(rows)
    assert found["by_service"]["shelter"] == sum("shelter" in r["services"] for r in rows)
    assert found["by_service"]["health"] == 12


def test_loading_again_changes_nothing(with_demo):
    again = LoadReport()
    organisation_files.load(with_demo, DATA_DIR, True, again)
    assert again.changes == 0
    reference_only = LoadReport()
    organisation_files.load(with_demo, DATA_DIR, False, reference_only)
    assert reference_only.changes == 0


def test_a_data_folder_without_the_directory_loads_nothing(session, tmp_path):
    report = LoadReport()
    organisation_files.load(session, tmp_path, True, report)
    assert report.changes == 0


def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR / "reference", target / "reference")
    shutil.copytree(DATA_DIR / "demo", target / "demo")
    return target


@pytest.mark.parametrize("old,new,message", [
    ("region: MA-03", "region: MA-13", "'region' is 'MA-13'"),
    ("services: [shelter]", "services: [shelter, cooking]", "unknown service 'cooking'"),
    ("services: [shelter]", "services: []", "'services' must list at least one"),
    ("kind: association", "kind: company", "'kind' is 'company'"),
    ("entity: BAB-AL-MOUSTAQBAL", "entity: NOBODY", "unknown entity 'NOBODY'"),
    ("  source:", "  origin:", "'source' is missing"),
    ("  services: [shelter]", "  services: [shelter]\n  contacts: {fax: '1'}", "'contacts' may only give"),
    ("  services: [shelter]", "  services: [shelter]\n  contacts: {website: 'javascript:alert(1)'}",
     "'website' must start with"),
])
def test_bad_organisations_are_refused_with_their_line(session, tmp_path, old, new, message):
    problems = refused(data_copy(tmp_path), "reference/organisations.yaml", old, new,
                       lambda data: organisation_files.load(session, data, False, LoadReport()))
    assert any(message in p.message and p.line > 1 for p in problems), problems


def test_a_demo_code_may_not_reuse_a_reference_code(session, tmp_path):
    data = data_copy(tmp_path)
    path = data / "demo" / "organisations.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("DEMO-ASSOC-MA-05", "BAB-AL-MOUSTAQBAL"),
                    encoding="utf-8")
    organisation_files.load(session, data, False, LoadReport())  # the demo file is not read
    with pytest.raises(DataFileError) as raised:
        organisation_files.load(session, data, True, LoadReport())
    assert "already used by the reference file" in str(raised.value)
