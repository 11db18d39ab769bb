"""``python -m dashboard bench``: its dataset fills every page, the national response's
included, and it prints each page's and callback's times beside the SQL they ran.

Nothing here times anything: the figures are printed, never asserted on."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from dashboard.app import create_app
from dashboard.devtools import bench, import_bench
from dashboard.devtools.testing import DashClient
from helpers import DATA_DIR, REPO_ROOT

NATIONAL_PAGES = ("/statistics", "/regions", "/regions/MA-03", "/activities", "/partners", "/organisations")


@pytest.fixture(scope="module")
def bench_app(tmp_path_factory):
    """The benchmark's dataset at its smallest (scale 1, low floors) and the app on it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('bench')}/bench.sqlite3"
    counts = bench.build_dataset(url, DATA_DIR, 1, min_measures=0, min_values=2_000)
    app = create_app({"DATABASE_URL": url, "AS_OF": bench.AS_OF, "TESTING": True, "PAGE_CACHE": False})
    yield app, counts
    app.extensions["db_engine"].dispose()


def _page(app, path: str, lang: str = "fr"):
    client = DashClient.in_language(app, lang)
    pathname, _, search = path.partition("?")
    response = client.page(pathname, "?" + search if search else "")
    assert response.status_code == 200, (path, response.status_code)
    return response.get_json()["response"]["_pages_content"]["children"]


def _points(tree) -> int:
    """Data points of every chart in a serialized tree."""
    graphs = DashClient.components(tree, lambda n: isinstance(n["props"].get("figure"), dict))
    return sum(len(trace.get("x") or trace.get("values") or trace.get("locations") or [])
               for graph in graphs for trace in graph["props"]["figure"].get("data") or [])


def test_the_dataset_fills_the_national_response(bench_app):
    _app, counts = bench_app
    for name in ("statistics", "activities", "programmes", "organisations", "regional bodies", "rollout events",
                 "pending statistic entries", "pending rollout reports"):
        assert counts[name] > 0, counts
    assert counts["measures"] > 0 and counts["indicator values"] >= 2_000, counts


def test_the_national_pages_show_data(bench_app):
    app, _counts = bench_app
    statistics = _page(app, "/statistics")
    assert DashClient.find(statistics, "statistics-grid")
    dash = DashClient.in_language(app, "fr")
    rows = dash.grid_rows("statistics-grid", {f"statistics-{key}.value": "" for key in ("publisher", "year", "series")})
    assert len(rows) > 100, len(rows)
    assert any(str(row["value"]).startswith("<") for row in rows), "no small count is protected"
    assert _points(statistics) > 0
    assert DashClient.find(_page(app, "/regions"), "regions-table")
    region = _page(app, "/regions/MA-03")
    assert DashClient.find(region, "region-history") and DashClient.find(region, "region-figures-table")
    activities = _page(app, "/activities")
    assert _points(activities) > 0
    assert DashClient.components(activities, lambda n: str(n["props"].get("id", "")).startswith("activity-"))
    assert DashClient.find(_page(app, "/partners"), "partners-grid")
    assert DashClient.in_language(app, "fr").grid_rows("partners-grid", {"partners-partner.value": ""})
    cards = DashClient.find(_page(app, "/organisations"), "organisations-cards")
    assert cards and cards["children"]


def test_every_page_and_callback_is_timed_with_its_sql(bench_app):
    app, _counts = bench_app
    timings = bench.time_callbacks(app, repeat=1)
    assert not timings.failures, timings.failures
    samples = timings.samples
    for path in NATIONAL_PAGES:
        for lang in ("ar", "fr"):
            key = f"page {path} [{lang}]"
            assert key in samples, sorted(samples)
            (sample,) = samples[key]
            assert sample.statements > 0 and sample.sql_ms > 0 and sample.size > 0, (key, sample)
    callbacks = [key for key in samples if key.startswith("callback ")]
    assert any(" on /statistics " in key for key in callbacks), callbacks
    assert any(" on /activities " in key for key in callbacks), callbacks
    assert "page /statistics/report [ar, focal.pmp]" in samples
    # The grids' callbacks are asked for their first block of rows, as the browser asks.
    assert samples["callback plan-grid.getRowsResponse on /plan [fr]"][0].size > 1_000, samples["callback plan-grid.getRowsResponse on /plan [fr]"]
    assert "callback my-measures-grid.getRowsResponse on /my [ar, focal.mj]" in samples, sorted(samples)
    assert any(key.startswith("page /activities/") for key in samples)
    rows = bench.summarise(samples)
    assert len(rows) == len(samples) and all(r.n == 1 for r in rows)
    assert all(r.size > 0 for r in rows if r.key.startswith("page "))  # a callback may answer 204


def test_the_target_depends_on_the_scale(monkeypatch):
    monkeypatch.delenv(bench.TARGET_ENV, raising=False)
    assert bench.target_p95_ms(1)[0] == bench.target_p95_ms(10)[0] == 100
    assert bench.target_p95_ms(11)[0] == bench.target_p95_ms(100)[0] == 250
    assert bench.target_p95_ms(1000)[0] == 250
    assert bench.target_p95_ms(100, 80) == (80, "given")
    monkeypatch.setenv(bench.TARGET_ENV, "120")
    assert bench.target_p95_ms(10) == (120, bench.TARGET_ENV)


def test_a_tiny_bench_prints_its_figures(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DASHBOARD_")}
    env["TMPDIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "bench", "--scale", "1", "--repeat", "1"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout
    assert re.search(r"^dataset: [\d,]+ measures, [\d,]+ indicators, [\d,]+ indicator values "
                     r"\(built in [\d.]+ s on sqlite\)$", output, re.MULTILINE), output
    assert re.search(r"^national response: [1-9][\d,]* statistics, [1-9][\d,]* activities, "
                     r"[1-9][\d,]* programmes, [1-9][\d,]* organisations", output, re.MULTILINE), output
    assert re.search(r"^scale 1x, 1 timed calls each; p95 target 100 ms \(up to 10x\)$", output, re.MULTILINE)
    assert re.search(r"^page or callback +n +p50 ms +p95 ms +sql ms +stmts +bytes +time/sql$",
                     output, re.MULTILINE), output
    timed = re.findall(r"^(page|callback) (.+?) +(\d+) +([\d.]+) +([\d.]+) +([\d.]+) +(\d+) +([\d,]+) +"
                       r"([\d.]+|-)(  over target)?$", output, re.MULTILINE)
    assert {"page", "callback"} <= {kind for kind, *_ in timed}, output
    keys = {key for _kind, key, *_ in timed}
    for path in NATIONAL_PAGES:
        assert f"{path} [ar]" in keys, output
    assert all(int(count) >= 1 for _kind, _key, count, *_ in timed), output
    assert all(int(stmts) > 0 for kind, key, _n, _p50, _p95, _sql, stmts, *_ in timed
               if kind == "page" and key.split(" ")[0] in NATIONAL_PAGES), output
    assert re.search(r"^worst p95: [\d.]+ ms \(.+\); target 100 ms \(up to 10x\); \d+ of \d+ over target$",
                     output, re.MULTILINE), output
    assert "slowest by p95 (SQL share of the p50):" in output and "largest responses:" in output
    assert "failed (not timed)" not in output, output


def test_the_import_benchmark_prints_its_figures(capsys):
    assert import_bench.run(rows=40, repeat=1) == 0
    out = capsys.readouterr().out
    assert "workbook: 40 filled rows" in out
    assert re.search(r"read \+ preview: median \d+ ms", out) and re.search(r"confirm .*: median \d+ ms", out)
