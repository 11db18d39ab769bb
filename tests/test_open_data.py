"""The open data package (``/data``): the datasets as the public sees them whoever asks, one
Frictionless Data Package that validates, no restricted indicator, no pending value and no
count from 1 to 4 in any file, the page in three languages, cheap public caching, and no
server error whatever the query.

The module's own database is the seeded one with IND-02 restricted and a value of IND-01
waiting for validation (as in test_restricted_views.py); another holds the shipped data with
the demonstration figures (small cells, as in test_statistics_pages.py). IND-01 is sensitive: in 2024 its nationality
breakdown is moroccan 138, foreign 2 (total 140); USDOS counted 2 foreign victims in 2021.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal

import pytest
from frictionless import Package, validate
from sqlalchemy import text

from dashboard.db import session_scope
from dashboard.devtools.testing import DashClient
from dashboard.national.disclosure import SMALL
from dashboard.national.statistics import Figure
from dashboard.publishing import datapackage, datasets
from dashboard.publishing.datasets import DATASET_NAMES, SUPPRESSED, WITHHELD, open_data, sdg_codes
from dashboard.web import open_data as open_data_routes
from helpers import AS_OF_DATE, FRESHNESS_DAYS, RESTRICTED, log_in_as

THRESHOLD = 5
READERS = ("committee", "secretariat", "admin")




def client_as(app, key: str | None):
    return log_in_as(app.test_client(), key)


def csv_rows(client, name: str, lang: str = "en") -> list[dict]:
    response = client.get(f"/data/{name}.csv?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def victim_counts(rows_by_name: dict[str, list[dict]]) -> list[tuple[str, str]]:
    """Every count of victims (or of cases and people in the statistics) the files hold."""
    sensitive = {r["code"] for r in rows_by_name["indicators"] if r["is_sensitive"] == "true"}
    values = [("indicators", r["latest_value"]) for r in rows_by_name["indicators"] if r["code"] in sensitive]
    values += [("indicator_values", r["value"]) for r in rows_by_name["indicator_values"]
               if r["indicator"] in sensitive]
    values += [("statistics", r["value"]) for r in rows_by_name["statistics"] if r["unit"] == "count"]
    values += [("statistics_sdg_16_2_2", r["value"]) for r in rows_by_name["statistics_sdg_16_2_2"]]
    return values


# --- the service ---------------------------------------------------------------------------------


def test_every_dataset_holds_its_fields_only(session):
    data = open_data(session, "en", AS_OF_DATE, FRESHNESS_DAYS, THRESHOLD)
    assert [d.name for d in data.datasets] == list(DATASET_NAMES)
    for dataset in data.datasets:
        assert dataset.title and dataset.description
        names = dataset.field_names()
        assert len(set(names)) == len(names) and all(n == n.lower() and " " not in n for n in names)
        assert all(list(row) == names for row in dataset.rows), dataset.name
        assert set(dataset.primary_key) <= set(names)


def test_the_package_validates_with_frictionless(session, tmp_path):
    data = open_data(session, "fr", AS_OF_DATE, FRESHNESS_DAYS, THRESHOLD)
    datapackage.write_package(data, tmp_path)
    report = validate(str(tmp_path / datapackage.DESCRIPTOR))
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])
    assert len(report.tasks) == len(DATASET_NAMES) and all(task.valid for task in report.tasks)
    package = Package(str(tmp_path / datapackage.DESCRIPTOR))
    assert package.licenses and package.sources and package.name == datapackage.PACKAGE_NAME
    measures = package.get_resource("measures").read_rows()
    assert isinstance(measures[0]["progress"], int) and isinstance(measures[0]["is_demo"], bool)


def test_the_description_says_the_plan_is_illustrative(session):
    described = datapackage.descriptor(open_data(session, "en", AS_OF_DATE, FRESHNESS_DAYS, THRESHOLD))
    assert "demonstration" in described["description"]
    assert "is_demo" in described["description"]
    for resource in described["resources"]:
        assert resource["path"] == f"{resource['name']}.csv"
        assert any(f["name"] == "is_demo" for f in resource["schema"]["fields"]) or resource["name"] == "programmes" \
            or not any(f["name"].endswith("_demo") for f in resource["schema"]["fields"])


def test_field_names_are_the_same_in_every_language(session):
    described = {lang: datapackage.descriptor(open_data(session, lang, AS_OF_DATE, FRESHNESS_DAYS, THRESHOLD))
                 for lang in ("ar", "fr", "en")}
    names = {lang: [[f["name"] for f in r["schema"]["fields"]] for r in d["resources"]]
             for lang, d in described.items()}
    assert names["ar"] == names["fr"] == names["en"]
    assert {d["language"] for d in described.values()} == {"ar", "fr", "en"}


def test_the_sdg_layout_maps_each_breakdown_and_uses_the_total_code_elsewhere():
    def figure(series="victims_identified", unit="count", year=2022, cells=None) -> Figure:
        return Figure("PMP", "PMP", series, str(year), year, year, unit, "", 10, "shown", False, False,
                      "doc", "cite", "", cells or {}, {})

    assert sdg_codes(figure()) == {"sex": "_T", "age_group": "_T", "exploitation_form": "_T"}
    assert sdg_codes(figure(cells={"sex": "female", "age_group": "child"})) == \
        {"sex": "F", "age_group": "Y0T17", "exploitation_form": "_T"}
    assert sdg_codes(figure(cells={"sex": "male", "exploitation_form": "forced_labour"})) == \
        {"sex": "M", "age_group": "_T", "exploitation_form": "forced_labour"}
    assert sdg_codes(figure(cells={"age_group": "adult"}))["age_group"] == "Y_GE18"
    # Not victims, a share, a span of years or another dimension: not in the SDG layout.
    assert sdg_codes(figure(series="persons_convicted")) is None
    assert sdg_codes(figure(unit="percent")) is None
    assert sdg_codes(figure(cells={"nationality": "foreign"})) is None
    spanned = Figure("PMP", "PMP", "victims_identified", "2017-2019", 2017, 2019, "count", "", 10, "shown",
                     False, False, "doc", "cite", "", {}, {})
    assert sdg_codes(spanned) is None


def test_a_small_count_is_an_empty_value_marked_suppressed(session):
    data = open_data(session, "en", AS_OF_DATE, FRESHNESS_DAYS, THRESHOLD)
    foreign = [r for r in data.dataset("statistics").rows
               if (r["publisher"], r["period"], r["breakdown"]) == ("USDOS", "2021", "nationality=foreign")]
    assert [(r["value"], r["value_status"]) for r in foreign] == [(None, SUPPRESSED)]
    values = {(r["indicator"], r["period"], r["breakdown"]): r for r in data.dataset("indicator_values").rows}
    assert values[("IND-01", "2024", "nationality=foreign")]["value_status"] == SUPPRESSED
    # With the total, the other category would give the small one away.
    assert values[("IND-01", "2024", "nationality=moroccan")]["value_status"] == WITHHELD
    assert values[("IND-01", "2024", "")]["value"] == 140
    assert SMALL not in {r["value_status"] for d in data.datasets for r in d.rows if "value_status" in r}


# --- the files, for everyone -----------------------------------------------------------------------


@pytest.mark.parametrize("key", (None, "focal_mj", "focal_pmp", *READERS))
def test_no_restricted_indicator_and_no_pending_value_in_any_file(restricted_app, key):
    client = client_as(restricted_app, key)
    rows = {name: csv_rows(client, name) for name in DATASET_NAMES}
    assert [r["code"] for r in rows["indicators"]] == ["IND-01"]
    assert RESTRICTED not in {r["indicator"] for r in rows["indicator_values"]}
    for name in DATASET_NAMES:
        assert RESTRICTED not in client.get(f"/data/{name}.csv").get_data(as_text=True)
    # IND-01's 2025 value (150) waits for validation.
    assert not [r for r in rows["indicator_values"] if r["indicator"] == "IND-01" and r["year"] == "2025"]
    assert {r["latest_year"] for r in rows["indicators"]} == {"2024"}


@pytest.mark.parametrize("app_name", ("restricted_app", "demo_app"))
@pytest.mark.parametrize("key", (None, "focal_pmp", "committee"))
def test_no_count_from_1_to_4_in_any_file(request, app_name, key):
    client = client_as(request.getfixturevalue(app_name), key)
    rows = {name: csv_rows(client, name) for name in DATASET_NAMES}
    counts = victim_counts(rows)
    assert len([v for _name, v in counts if v]) > 20
    assert [(name, v) for name, v in counts if v and 1 <= float(v) < THRESHOLD] == []
    suppressed = [r for name in ("statistics", "statistics_sdg_16_2_2", "indicator_values") for r in rows[name]
                  if r["value_status"] == SUPPRESSED]
    assert suppressed and all(r["value"] == "" for r in suppressed)


def test_the_files_are_the_same_whoever_asks(restricted_app):
    def files(key):
        client = client_as(restricted_app, key)
        return {path: client.get(path).data for path in
                ["/data/datapackage.json?lang=fr", "/data/datapackage.zip?lang=fr",
                 *(f"/data/{name}.csv?lang=fr" for name in DATASET_NAMES)]}

    anonymous = files(None)
    for key in ("committee", "focal_pmp"):
        assert files(key) == anonymous


def test_the_zip_holds_a_package_that_validates(restricted_app, tmp_path):
    response = restricted_app.test_client().get("/data/datapackage.zip?lang=ar")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert sorted(archive.namelist()) == sorted([datapackage.DESCRIPTOR, *(f"{n}.csv" for n in DATASET_NAMES)])
        archive.extractall(tmp_path)
    report = validate(str(tmp_path / datapackage.DESCRIPTOR))
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])
    sdg = Package(str(tmp_path / datapackage.DESCRIPTOR)).get_resource("statistics_sdg_16_2_2").read_rows()
    assert sdg and {row["sex"] for row in sdg} >= {"_T"}
    # Typed by the schema: frictionless reads numbers as Decimal.
    assert all(row["value"] is None or isinstance(row["value"], (int, float, Decimal)) for row in sdg)


def test_the_served_descriptor_addresses_each_file_in_its_language(restricted_app):
    client = restricted_app.test_client()
    described = client.get("/data/datapackage.json?lang=fr").get_json()
    assert described["language"] == "fr" and [r["name"] for r in described["resources"]] == list(DATASET_NAMES)
    for resource in described["resources"]:
        path = resource["path"].removeprefix("http://localhost")
        assert path == f"/data/{resource['name']}.csv?lang=fr"
        assert client.get(path).status_code == 200


def test_files_are_cached_publicly_by_the_data_version(restricted_app, monkeypatch):
    client = restricted_app.test_client()
    first = client.get("/data/statistics.csv?lang=en")
    compressed = client.get("/data/statistics.csv?lang=en", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Cache-Control"] == "public, no-cache" and first.headers["ETag"]

    def nothing_built(*_args):
        raise AssertionError("a client that has the file gets a 304 without the datasets being built")

    monkeypatch.setattr(open_data_routes, "open_data", nothing_built)
    for tag in (first.headers["ETag"], compressed.headers["ETag"]):
        again = client.get("/data/statistics.csv?lang=en", headers={"If-None-Match": tag, "Accept-Encoding": "gzip"})
        assert again.status_code == 304 and not again.data
    monkeypatch.undo()
    other = client.get("/data/statistics.csv?lang=ar")
    assert other.headers["ETag"] != first.headers["ETag"]
    # Without ?lang the language comes from the cookie: shared caches must know.
    assert "Cookie" in client.get("/data/regions.csv").headers.get("Vary", "")


@pytest.mark.parametrize("key", (None, "committee"))
def test_a_file_carries_no_cookie_of_its_reader(restricted_app, key):
    """Anyone's cache may keep it: no session, CSRF or language cookie in it."""
    client = client_as(restricted_app, key)
    for path in ("/data/measures.csv?lang=fr", "/data/datapackage.json?lang=ar", "/data/datapackage.zip"):
        response = client.get(path, headers={"Accept-Encoding": "br"})
        assert response.status_code == 200 and "Set-Cookie" not in response.headers, path
        again = client.get(path, headers={"Accept-Encoding": "br", "If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and "Set-Cookie" not in again.headers
    # The pages still set theirs.
    assert "Set-Cookie" in client.get("/data?lang=fr").headers


def test_a_change_of_data_changes_the_etag(writable_app, writable_engine):
    client = writable_app.test_client()
    before = client.get("/data/measures.csv?lang=en")
    with session_scope(writable_engine) as session:
        session.execute(text("UPDATE measure SET progress = 55 WHERE code = 'A1.O1.M2'"))
    after = client.get("/data/measures.csv?lang=en", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert "A1.O1.M2" in after.get_data(as_text=True)


# --- the page --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ("ar", "fr", "en"))
def test_the_page_lists_every_dataset_in_each_language(restricted_app, lang):
    dash = DashClient.in_language(restricted_app, lang)
    response = dash.page("/data")
    assert response.status_code == 200
    tree = response.get_json()["response"]["_pages_content"]["children"]
    for name in DATASET_NAMES:
        card = DashClient.find(tree, f"open-data-{name}")
        assert card is not None, name
    links = [n["props"]["href"] for n in DashClient.components(tree, lambda n: n["type"] == "A")]
    assert f"/data/datapackage.zip?lang={lang}" in links and f"/data/datapackage.json?lang={lang}" in links
    assert all(f"/data/{name}.csv?lang={lang}" in links for name in DATASET_NAMES)
    document = dash.client.get(f"/data?lang={lang}").get_data(as_text=True)
    assert f'dir="{"rtl" if lang == "ar" else "ltr"}"' in document


def test_the_page_is_the_same_for_a_reader_of_restricted_data(restricted_app):
    def page_of(key):
        client = client_as(restricted_app, key)
        client.get("/?lang=en")
        return DashClient.text_of(DashClient(client).page("/data").get_json()["response"])

    assert page_of("committee") == page_of(None)


def test_the_folder_address_leads_to_the_page(restricted_app):
    client = restricted_app.test_client()
    response = client.get("/data/?lang=fr")
    assert response.status_code in (301, 302, 308) and response.headers["Location"].endswith("/data?lang=fr")
    assert client.get("/data").status_code == 200


@pytest.mark.parametrize("path", [
    "/data/datapackage.json?lang=%00", "/data/datapackage.json?lang=xx&lang=ar", "/data/datapackage.zip?lang[]=1",
    "/data/statistics.csv?lang=" + "a" * 5000, "/data/%00.csv", "/data/nothing.csv", "/data/..%2Fsecret.csv",
    "/data/STATISTICS.csv", "/data/?lang=%00", "/data?lang=%00&x=%ff", "/data/datapackage.json?x=\u0645",
])
def test_hostile_queries_give_no_server_error(restricted_app, path):
    response = restricted_app.test_client().get(path)
    assert response.status_code < 500
    if "nothing" in path or "%00.csv" in path or "STATISTICS" in path:
        assert response.status_code == 404


def test_a_hostile_page_query_gives_no_server_error(restricted_app):
    dash = DashClient.in_language(restricted_app, "en")
    assert dash.page("/data", "?rows=-1&x[]=%ff&lang=zz").status_code == 200
    # A NUL byte is refused at the callback boundary, as on every page.
    assert dash.page("/data", "?lang=%00&x=\u0000").status_code < 500


def test_the_json_descriptor_is_plain_json(restricted_app):
    body = restricted_app.test_client().get("/data/datapackage.json?lang=ar").get_data(as_text=True)
    described = json.loads(body)
    assert described["profile"] == "tabular-data-package" and described["licenses"][0]["name"]
    assert all(r["schema"]["fields"] and r["profile"] == "tabular-data-resource" for r in described["resources"])
    assert datasets.SDG_SERIES in json.dumps(described)
