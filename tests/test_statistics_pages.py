"""/statistics through its filters (Dash callbacks, posted as the browser would) and its
filtered CSV exports, on a database with the demonstration figures (small cells)."""
from __future__ import annotations

import csv
import io
import itertools
import re

import pytest

from dashboard.devtools.testing import DashClient
from helpers import log_in_as

THRESHOLD = 5
# A count from 1 to 4 standing alone (not part of a year, a date, a share or "<5").
SMALL_NUMBER = re.compile(r"(?<![\d.,:/<-])([1-4])(?![\d.,%:/-])")



def client_of(app, key: str | None, lang: str = "en") -> DashClient:
    client = log_in_as(app.test_client(), key)
    client.get(f"/?lang={lang}")
    return DashClient(client)


def filtered_body(dash: DashClient, publisher="", year="", series=""):
    response = dash.call("statistics-body.children", {"statistics-publisher.value": publisher,
                                                      "statistics-year.value": year,
                                                      "statistics-series.value": series})
    assert response.status_code == 200
    return response.get_json()["response"]["statistics-body"]["children"]


def table_rows(dash: DashClient, publisher="", year="", series="") -> list[dict]:
    """The rows of the table of every figure, as the grid asks for them."""
    return dash.grid_rows("statistics-grid", {"statistics-publisher.value": publisher, "statistics-year.value": year,
                                              "statistics-series.value": series})


def drawn(tree) -> tuple[list[float], list[str]]:
    """The values the charts plot as counts, and every label and hover text."""
    values, texts = [], []
    for graph in DashClient.components(tree, lambda n: n["type"] == "Graph"):
        for trace in graph["props"]["figure"]["data"]:
            if (trace.get("meta") or {}).get("unit") == "count":
                axis = "x" if trace.get("orientation") == "h" else "y"  # where a bar's value is
                values += [v for v in trace.get(axis) or [] if isinstance(v, (int, float))]
            texts += [str(t) for t in (trace.get("text") or []) + (trace.get("hovertext") or [])]
    return values, texts


def csv_rows(dash: DashClient, href: str) -> list[dict]:
    response = dash.client.get(href)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_a_filtered_view_shows_no_small_count_to_the_public(demo_app):
    dash = client_of(demo_app, None)
    tree = filtered_body(dash, publisher="DGSN", year="2023")
    values, texts = drawn(tree)
    assert values and not [v for v in values if 0 < v < THRESHOLD]
    assert not [t for t in texts if SMALL_NUMBER.search(re.sub(r"<br>|</?b>", " ", t))]
    assert "<5" in DashClient.text_of(tree)
    assert DashClient.find(tree, "statistics-grid")["rowModelType"] == "infinite"
    rows = table_rows(dash, publisher="DGSN", year="2023")
    assert {row["publisher"] for row in rows} == {"DGSN"}
    assert {row["period"] for row in rows} == {"2023"}
    assert not [row for row in rows if row["unit"] == "count" and SMALL_NUMBER.fullmatch(row["value"])]


def test_the_csv_links_carry_the_filters_and_the_same_disclosure(demo_app):
    dash = client_of(demo_app, None)
    tree = filtered_body(dash, publisher="DGSN", year="2025")
    links = [node["props"]["href"] for node in DashClient.components(
        tree, lambda n: n["type"] == "A" and "/statistics/export/" in str(n["props"].get("href")))]
    regions = next(href for href in links if href.startswith("/statistics/export/regions.csv"))
    assert "publisher=DGSN" in regions and "year=2025" in regions and "lang=en" in regions
    rows = csv_rows(dash, regions)
    assert rows and {(row["publisher"], row["period"]) for row in rows} == {("DGSN", "2025")}
    assert "<5" in {row["value"] for row in rows}
    for row in rows:
        assert not (row["value"].isdigit() and 0 < int(row["value"]) < THRESHOLD), row
    exact = csv_rows(client_of(demo_app, "committee"), regions)
    assert {row["value"] for row in exact} & {"1", "2", "3", "4"} and "<5" not in {r["value"] for r in exact}


def test_the_breakdowns_follow_the_chosen_series(demo_app):
    tree = filtered_body(client_of(demo_app, None), series="persons_prosecuted")
    graph = DashClient.find(tree, "statistics-sex_age")
    names = [trace["name"] for trace in graph["figure"]["data"]]
    assert names == ["PMP 2024"]
    assert DashClient.find(tree, "statistics-regions")["figure"]["data"] == []


def test_a_forged_filter_is_ignored(demo_app):
    dash = client_of(demo_app, None)
    tree = filtered_body(dash, publisher="<script>", year="1999", series="secrets")
    assert table_rows(dash, publisher="<script>", year="1999", series="secrets") == []  # no such publisher
    assert "Victims identified" in DashClient.text_of(tree)  # the default series
    # A year the select cannot hold is refused before the callback runs.
    response = dash.call("statistics-body.children", {"statistics-publisher.value": "", "statistics-year.value": "all",
                                                      "statistics-series.value": ""})
    assert response.status_code == 400 and response.get_json()["reason"].startswith("statistics-year.value:")


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_page_reads_right_to_left_in_arabic(demo_app, lang):
    dash = client_of(demo_app, None, lang)
    response = dash.page("/statistics", "?year=2024")
    tree = response.get_json()["response"]["_pages_content"]["children"]
    grid = DashClient.find(tree, "statistics-grid")
    assert grid["dashGridOptions"]["enableRtl"] is (lang == "ar")
    assert DashClient.find(tree, "statistics-year")["value"] == "2024"
    assert {row["period"] for row in table_rows(dash, year="2024")} == {"2024"}
    layout = DashClient.find(tree, "statistics-trend-victims_identified")["figure"]["layout"]
    assert layout["xaxis"]["autorange"] == ("reversed" if lang == "ar" else True)


# --- publishers side by side, the SDG 16.2.2 rate, readable breakdowns ---------------------------


@pytest.mark.parametrize("lang, rate, heading", [
    ("en", "0.62", "Victims identified, 2024"),
    ("fr", "0,62", None),
    ("ar", "0,62", None),
])
def test_two_publishers_counts_stand_side_by_side_with_the_16_2_2_rate(demo_app, lang, rate, heading):
    tree = filtered_body(client_of(demo_app, None, lang), year="2024")
    side = DashClient.text_of(DashClient.find(tree, "statistics-side-by-side"))
    for value in ("269", "229", "120", "60"):
        assert value in side, side
    if heading:
        assert heading in side and "Persons convicted, 2024" in side
        assert "victims in the trafficking cases the courts ruled on in the year" in side
    rates = DashClient.text_of(DashClient.find(tree, "statistics-sdg-rate"))
    assert rate in rates and "0" + rate[1] + "73" in rates  # PMP and USDOS 229, CSPJ 269
    assert "RGPH 2024" in rates
    # Never one figure made of two publishers' counts.
    assert "498" not in side and "180" not in side


def test_the_sex_and_age_breakdown_gives_each_publisher_and_year_its_own_panel(demo_app):
    tree = filtered_body(client_of(demo_app, None, "ar"))
    figure = DashClient.find(tree, "statistics-sex_age")["figure"]
    traces, layout = figure["data"], figure["layout"]
    assert traces and all(t["orientation"] == "h" for t in traces)
    # One panel per publisher and period, on axes of its own: no two label sets share a row.
    axes = [(t["xaxis"], t["yaxis"]) for t in traces]
    assert len(set(axes)) == len(axes) == len({t["name"] for t in traces})
    domains = sorted(layout[("yaxis" + t["yaxis"][1:])]["domain"] for t in traces)
    assert all(upper[0] >= lower[1] - 1e-9 for lower, upper in itertools.pairwise(domains))
    rows = sum(len(t["y"]) for t in traces)
    assert layout["height"] >= 30 * rows
    # Arabic labels are isolated, and the x axes run from the right.
    assert all(label.startswith("\u2067") and label.endswith("\u2069") for t in traces for label in t["y"])
    assert all(layout["xaxis" + t["xaxis"][1:]]["range"][0] > 0 for t in traces)


def test_a_breakdown_of_small_counts_alone_is_a_table_not_an_empty_chart(demo_app):
    tree = filtered_body(client_of(demo_app, None), publisher="DGSN", year="2025")
    origin = DashClient.find(tree, "statistics-origin")
    assert "figure" not in origin  # a table, not a graph with an empty 0-1 axis
    text = DashClient.text_of(origin)
    assert "<5" in text and "Foreign" in text
