"""The national statistics service (dashboard.statistics): loading and checking the files,
the figures each reader may see, publishers kept apart, shares kept as shares, CSV."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from dashboard.app import create_app
from dashboard.db import session_scope
from dashboard.ingest import statistics as statistics_files
from dashboard.ingest.datafiles import DataFileError
from dashboard.ingest.loader import LoadReport, load_all
from dashboard.models import Entity, Statistic
from dashboard.national import statistics
from dashboard.national.disclosure import HIDDEN, SHOWN, SMALL
from dashboard.national.statistics import (
    Figure,
    StatisticFilter,
    figures_csv,
    released_figures,
    select_figures,
)
from helpers import AS_OF_DATE, DATA_DIR, actor_of

ACRONYMS = {"PMP", "USDOS", "DGSN"}
# A statistics file's documents; its figures follow, the first on line 4.
SOURCES = ("sources:\n"
           "  pmp: {publisher: PMP, title: {ar: التقرير السنوي, fr: Rapport annuel, en: Annual report}, "
           "date: '2025-03', via: example.invalid}\n"
           "figures:\n")
SOURCE = "pmp"
PUBLISHED_FIGURES = 126  # the figures of reference/published_statistics.yaml


def statistics_file(path, *figures: str, sources: str = SOURCES):
    path.write_text(sources + "".join(f"  {line}\n" for line in figures), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def request_app():
    """An app for the request context that translations and labels need."""
    return create_app({"DATABASE_URL": "sqlite://", "TESTING": True})


def figure(session, period: str, breakdown: str, key=None, series="victims_identified", publisher="USDOS"):
    figures = released_figures(session, actor_of(session, key), "en", 5)
    return next(f for f in figures if (f.period, f.breakdown, f.series, f.publisher)
                == (period, breakdown, series, publisher))


def entity_id(session, acronym: str) -> int:
    return session.scalar(select(Entity.id).where(Entity.acronym == acronym))


# --- files ----------------------------------------------------------------------------------


def test_a_statistics_file_is_checked_line_by_line(tmp_path):
    path = statistics_file(
        tmp_path / "statistics.yaml",
        f"- {{year: 2024, series: cases_registered, value: 155, unit: count, source: {SOURCE}}}",
        "- {year: 2024, series: cases_registered, value: 1, unit: count, source: nowhere}",
        f"- {{year: 2024, series: happiness, value: 1, unit: count, source: {SOURCE}}}",
        f"- {{year: 2024, series: suspects, value: 1.5, unit: count, source: {SOURCE}}}",
        f"- {{year: 2024, series: suspects, value: 120, unit: percent, source: {SOURCE}}}",
        f'- {{period: "2019-2017", series: suspects, value: 3, unit: count, source: {SOURCE}}}',
        ("- {year: 2024, series: suspects, value: 3, unit: count, breakdown: {sex: male, age_group: child, "
         f"nationality: foreign}}, source: {SOURCE}}}"),
        f"- {{year: 2024, series: cases_registered, value: 150, unit: count, source: {SOURCE}}}",
        ("- {year: 2024, series: suspects, value: 3, unit: count, breakdown: {exploitation_form: other}, "
         f"source: {SOURCE}}}"),
        f"- {{year: 2024, series: suspects, value: 7, unit: count, source: {SOURCE}, note: {{en: Only English}}}}",
    )
    with pytest.raises(DataFileError) as error:
        statistics_files.read_file(path, ACRONYMS)
    found = {(p.line, message) for p in error.value.problems for message in [p.message]}
    expected = {
        5: "'source' must name a valid document under 'sources', not 'nowhere'",
        6: "unknown series 'happiness'",
        7: "a count must be a whole number",
        8: "a share must be between 0 and 100",
        9: "a period is two years",
        10: "crosses at most two dimensions",
        11: "given twice (first on line 4)",
        12: "unknown breakdown exploitation_form='other'",
        13: "the note needs ar, fr",
    }
    for line, text in expected.items():
        assert any(n == line and text in message for n, message in found), (line, text, found)
    assert 4 not in {n for n, _m in found}


@pytest.mark.parametrize("title, problem", [
    ("{fr: Rapport annuel, en: Annual report}", "the source's title needs ar"),
    ("{ar: التقرير السنوي, en: Annual report}", "the source's title needs fr"),
    ("Annual report", "the source's title needs ar, fr, en"),
])
def test_check_data_refuses_a_source_whose_title_lacks_a_language(tmp_path, title, problem):
    sources = f"sources:\n  pmp: {{publisher: PMP, title: {title}}}\nfigures:\n"
    path = statistics_file(tmp_path / "statistics.yaml",
                           "- {year: 2024, series: cases_registered, value: 155, unit: count, source: pmp}",
                           sources=sources)
    with pytest.raises(DataFileError) as error:
        statistics_files.read_file(path, ACRONYMS)
    assert any(problem in p.message and p.line == 2 for p in error.value.problems), error.value.problems


def test_a_source_names_a_known_publisher_and_one_title_per_document(tmp_path):
    sources = ("sources:\n"
               "  a: {publisher: XYZ, title: {ar: تقرير, fr: Rapport, en: Report}}\n"
               "  b: {publisher: PMP, title: {ar: تقرير, fr: Rapport, en: Report}, url: ftp://example.invalid}\n"
               "  c: {publisher: PMP, title: {ar: تقرير, fr: Rapport, en: Report}}\n"
               "  d: {publisher: PMP, title: {ar: تقرير, fr: Rapport, en: Report}}\n"
               "figures:\n")
    path = statistics_file(tmp_path / "statistics.yaml",
                           "- {year: 2024, series: cases_registered, value: 155, unit: count, source: c}",
                           sources=sources)
    with pytest.raises(DataFileError) as error:
        statistics_files.read_file(path, ACRONYMS)
    messages = {(p.line, p.message) for p in error.value.problems}
    assert any(line == 2 and "an entity's acronym" in m for line, m in messages), messages
    assert any(line == 3 and "'url' must be a link" in m for line, m in messages), messages
    assert any(line == 5 and "already has a document titled 'Report'" in m for line, m in messages), messages


def test_a_list_of_records_is_no_longer_a_statistics_file(tmp_path):
    path = tmp_path / "statistics.yaml"
    path.write_text("- {year: 2024, series: cases_registered, value: 155, unit: count, source: pmp}\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError, match=r"'sources' .* and 'figures'"):
        statistics_files.read_file(path, ACRONYMS)


def test_the_shipped_files_are_valid():
    entities = {"CNCLTEH", "PMP", "CSPJ", "CNDH", "USDOS", "DGSN", "GR"}
    published = statistics_files.read_file(DATA_DIR / statistics_files.REFERENCE_FILE, entities)
    demo = statistics_files.read_file(DATA_DIR / statistics_files.DEMO_FILE, entities)
    assert len(published) == PUBLISHED_FIGURES and {r["entity"] for r in demo} <= {"DGSN", "GR"}
    # Demonstration figures break down demonstration totals only, never a published figure.
    assert not {statistics_files._identity(r) for r in demo} & {statistics_files._identity(r) for r in published}
    assert any(r["unit"] == "count" and 0 < r["value"] < 5 and r["cells"] for r in demo)
    # Every document and every note is in the three languages.
    for record in published + demo:
        assert all(record["source"]["title"][lang] for lang in ("ar", "fr", "en"))
        assert all(record["note"].values()) or not any(record["note"].values())


def test_demo_figures_are_flagged_and_reloading_changes_nothing(fresh_db_url, engine_for):
    engine = engine_for(fresh_db_url)
    with session_scope(engine) as session:
        load_all(session, DATA_DIR, demo=True)
    with session_scope(engine) as session:
        report = LoadReport()
        statistics_files.load(session, DATA_DIR, True, report)
        assert report.changes == 0
        demo = session.scalars(select(Statistic).where(Statistic.is_demo)).all()
        assert demo and {s.entity.acronym for s in demo} == {"DGSN", "GR"}
        assert all("Demonstration" in s.source.citation_en for s in demo)
        assert all("démonstration" in s.source.citation_fr and "تجريبي" in s.source.citation_ar for s in demo)
        real = session.scalar(select(func.count()).select_from(Statistic).where(~Statistic.is_demo))
        assert real == PUBLISHED_FIGURES


def test_a_demo_figure_never_replaces_a_published_one(tmp_path, session):
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR / "reference", data_dir / "reference")
    (data_dir / "demo").mkdir()
    statistics_file(data_dir / "demo" / "statistics.yaml",
                    f"- {{year: 2024, series: persons_prosecuted, value: 9, unit: count, source: {SOURCE}}}")
    with pytest.raises(DataFileError, match="a published figure has the same"):
        statistics_files.load(session, data_dir, True, LoadReport())


def test_a_validated_entry_is_kept_when_the_files_are_loaded_again(session):
    from dashboard.workflow import statistic_entries as entries

    form = entries.StatisticForm(series="persons_prosecuted", year=2024, value="215",
                                 document="Corrected annual report")
    item = entries.submit_statistic(session, actor_of(session, "focal_pmp"), form, AS_OF_DATE)
    entries.approve_statistic(session, actor_of(session, "secretariat"), item.id, item.version, AS_OF_DATE)
    report = LoadReport()
    statistics_files.load(session, DATA_DIR, False, report)
    assert report.changes == 0
    row = statistics.current_value(session, entity_id(session, "PMP"), "persons_prosecuted", "2024")
    assert (row.value, row.submission_id) == (215, item.id)


def test_a_figure_from_the_files_is_restored_when_no_entry_changed_it(session):
    pmp = entity_id(session, "PMP")
    row = statistics.upsert(session, entity_id=pmp, series="persons_prosecuted", period="2024",
                            breakdown="", value=215, document="Corrected report")
    report = LoadReport()
    statistics_files.load(session, DATA_DIR, False, report)
    assert report.updated == {"statistics": 1} and row.value == 213


# --- the lead's validation flow -------------------------------------------------------------


def test_upsert_publishes_a_new_figure_and_replaces_the_current_one(session):
    dgsn = entity_id(session, "DGSN")
    assert statistics.current_value(session, dgsn, "victims_identified", "2025", "sex=female") is None
    created = statistics.upsert(session, entity_id=dgsn, series="victims_identified", period="2025",
                                breakdown="sex=female", value=41, document="DGSN register 2025")
    assert (created.sex, created.year_start, created.is_demo, created.source.citation_fr) == \
        ("female", 2025, False, "DGSN register 2025")
    again = statistics.upsert(session, entity_id=dgsn, series="victims_identified", period="2025",
                              breakdown="sex=female", value=43, document="DGSN register 2025")
    assert again.id == created.id and again.value == 43
    assert statistics.current_value(session, dgsn, "victims_identified", "2025", "sex=female").value == 43


@pytest.mark.parametrize("changes", [{"series": "happiness"}, {"breakdown": "sex=other"},
                                     {"period": "last year"}, {"unit": "ratio"},
                                     {"breakdown": "sex=male;age_group=child;nationality=foreign"}])
def test_upsert_refuses_what_no_statistic_holds(session, changes):
    values = {"entity_id": entity_id(session, "DGSN"), "series": "suspects", "period": "2025",
              "breakdown": "", "value": 3, "document": "Register"}
    with pytest.raises(ValueError):
        statistics.upsert(session, **{**values, **changes})


# --- who sees what --------------------------------------------------------------------------


def test_the_public_sees_small_published_counts_as_small(session):
    foreign = figure(session, "2021", "nationality=foreign")
    assert (foreign.value, foreign.status) == (None, SMALL)
    assert figure(session, "2021", "nationality=moroccan").status == HIDDEN
    assert figure(session, "2021", "").value == 169  # the total stays
    assert figure(session, "2021", "nationality=foreign", "committee").value == 2


def test_a_focal_point_sees_the_exact_figures_of_their_own_body_only(session):
    pmp = entity_id(session, "PMP")
    for breakdown, value in (("", 60), ("region=MA-03", 2), ("region=MA-06", 58)):
        statistics.upsert(session, entity_id=pmp, series="victims_identified", period="2025",
                          breakdown=breakdown, value=value, document="PMP register 2025")
    own = figure(session, "2025", "region=MA-03", "focal_pmp", publisher="PMP")
    assert (own.value, own.exact) == (2, True)
    for key in (None, "focal_mj"):
        assert figure(session, "2025", "region=MA-03", key, publisher="PMP").status == SMALL
        # The other region would give it away, with the total.
        assert figure(session, "2025", "region=MA-06", key, publisher="PMP").value is None
    assert figure(session, "2021", "nationality=foreign", "focal_pmp").status == SMALL  # not theirs


def test_a_multi_year_period_and_its_years_are_released_as_one_table(session):
    """CNCLTEH publishes 2017-2019 and each year: 719 = 3 + 300 + 416. Shown as 719, "<5",
    300 and 416, the 3 was 719 - 300 - 416."""
    cnclteh = entity_id(session, "CNCLTEH")
    for period, value in (("2017", 3), ("2018", 300), ("2019", 416)):
        statistics.upsert(session, entity_id=cnclteh, series="victims_identified", period=period,
                          breakdown="", value=value, document="CNCLTEH yearly figures")

    def shown(period, key=None):
        return figure(session, period, "", key, publisher="CNCLTEH")

    assert shown("2017-2019").value == 719 and shown("2017").status == SMALL
    years = [shown(year).value for year in ("2018", "2019")]
    assert years.count(None) == 1, years  # one more year hidden: 719 - 2018 - 2019 is no longer 3
    assert 719 - sum(v for v in years if v is not None) not in range(1, 5)
    # The breakdowns of the period stay (sex: 414 + 305), the exact readers see every year.
    assert figure(session, "2017-2019", "sex=male", publisher="CNCLTEH").value == 414
    assert [shown(year, "committee").value for year in ("2017", "2018", "2019")] == [3, 300, 416]


def test_a_year_left_out_of_a_multi_year_period_is_protected(session):
    """305 women in 2017-2019, 100 in 2017 and 203 in 2018: 2019 (not published) had 2."""
    cnclteh = entity_id(session, "CNCLTEH")
    for period, value in (("2017", 100), ("2018", 203)):
        statistics.upsert(session, entity_id=cnclteh, series="victims_identified", period=period,
                          breakdown="sex=female", value=value, document="CNCLTEH yearly figures")
    shown = [figure(session, period, "sex=female", publisher="CNCLTEH").value
             for period in ("2017-2019", "2017", "2018")]
    assert None in shown, shown
    assert figure(session, "2018", "sex=female", "committee", publisher="CNCLTEH").value == 203


def test_a_share_stays_a_share(session):
    minors = figure(session, "2017-2019", "age_group=child", publisher="CNCLTEH")
    assert (minors.unit, minors.value, minors.status) == ("percent", 47.41, SHOWN)
    female = figure(session, "2024", "sex=female", publisher="CSPJ")
    assert (female.unit, female.value) == ("percent", 64)


def test_figures_are_selected_per_chart(session):
    figures = released_figures(session, actor_of(session, None), "en", 5)
    trends = select_figures(figures, "trends")
    assert trends and all(not f.breakdown and f.year and f.unit == "count" for f in trends)
    assert {f.cells.get("age_group") for f in select_figures(figures, "children")} == {"child"}
    origin = select_figures(figures, "origin")
    assert {"nationality", "place"} <= {dim for f in origin for dim in f.cells}
    assert all(f.series == "victims_identified" for f in origin)
    prosecuted = select_figures(figures, "sex_age", StatisticFilter(series="persons_prosecuted"))
    assert {(f.publisher, f.period, f.label) for f in prosecuted} == {("PMP", "2024", "Male"),
                                                                     ("PMP", "2024", "Female")}
    only_2022 = select_figures(figures, "all", StatisticFilter(publisher="USDOS", year=2022))
    assert only_2022 and {(f.publisher, f.period) for f in only_2022} == {("USDOS", "2022")}
    # The trends keep every year whatever year is chosen: they are trends.
    assert {f.year for f in select_figures(figures, "trends", StatisticFilter(year=2022))} > {2022}
    with pytest.raises(KeyError):
        select_figures(figures, "secret")


def test_filters_from_the_url_ignore_what_they_do_not_know():
    assert statistics.filter_from({"publisher": "PMP", "year": "2024", "series": "suspects"}) == \
        StatisticFilter("PMP", 2024, "suspects")
    assert statistics.filter_from({"year": "2024'; drop", "series": "<script>"}) == StatisticFilter()


# --- CSV ------------------------------------------------------------------------------------


def test_csv_neutralises_formulas_and_marks_small_counts(session, request_app):
    pmp = entity_id(session, "PMP")
    statistics.upsert(session, entity_id=pmp, series="suspects", period="2025", breakdown="",
                      value=40, document="=HYPERLINK(\"http://example.invalid\")")
    statistics.upsert(session, entity_id=pmp, series="suspects", period="2025", breakdown="sex=female",
                      value=3, document="=HYPERLINK(\"http://example.invalid\")")
    with request_app.test_request_context("/?lang=fr"):
        text = figures_csv(select_figures(released_figures(session, actor_of(session, None), "fr", 5), "all"),
                           "fr", 5)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    mine = [r for r in rows if r["series"] == "suspects" and r["period"] == "2025"]
    assert {r["document"] for r in mine} == {"'=HYPERLINK(\"http://example.invalid\")"}
    female = next(r for r in mine if r["breakdown"] == "sex=female")
    assert (female["value"], female["status"], female["breakdown_name"]) == ("<5", "small", "Féminin")


# --- publishers are never mixed -------------------------------------------------------------

PUBLISHERS = ("PMP", "USDOS", "CSPJ", "DGSN")
random_figures = st.lists(st.builds(
    lambda publisher, series, year, cells, value, demo: Figure(
        publisher=publisher, publisher_name=publisher, series=series, period=str(year), year_start=year,
        year_end=year, unit="count", breakdown=";".join(f"{k}={v}" for k, v in sorted(cells.items())),
        value=value, status=SHOWN if value is not None else HIDDEN, exact=False, is_demo=demo,
        document="doc", citation=f"cite {publisher}", url="", cells=cells, names=dict(cells)),
    st.sampled_from(PUBLISHERS), st.sampled_from(("victims_identified", "persons_prosecuted")),
    st.integers(2019, 2025),
    st.sampled_from([{}, {"sex": "male"}, {"sex": "female"}, {"region": "MA-01", "sex": "male"},
                     {"age_group": "child"}, {"exploitation_form": "sexual"}]),
    st.one_of(st.none(), st.integers(5, 500).map(float)), st.booleans(),
), max_size=30, unique_by=lambda f: (f.publisher, f.series, f.period, f.breakdown))


@settings(max_examples=60, deadline=None)
@given(random_figures)
def test_no_trace_and_no_csv_row_mixes_publishers(request_app, figures):
    from layouts.parts.statistics import body

    with request_app.test_request_context("/?lang=en"):
        tree = json.loads(json.dumps(body(figures, "en", 5, StatisticFilter()), cls=_PlotlyEncoder))
        rows = list(csv.DictReader(io.StringIO(figures_csv(figures, "en", 5)[1:])))
    values = {(f.publisher, f.value) for f in figures}
    for trace in _traces(tree):
        publishers = {text.split(" · ")[0] for text in trace["hovertext"] if text}  # "": a gap
        assert len(publishers) == 1, trace["name"]
        (publisher,) = publishers
        assert trace["name"].startswith(publisher)
        # Every plotted value is that publisher's own figure (or a hidden one), never a sum.
        for value in trace["x" if trace.get("orientation") == "h" else "y"]:  # a horizontal bar's value is x
            assert value in (None, 0) or (publisher, value) in values
    assert len(rows) == len(figures)
    for row, source in zip(rows, figures):
        assert (row["publisher"], row["citation"]) == (source.publisher, source.citation)


class _PlotlyEncoder(json.JSONEncoder):
    def default(self, o):
        if hasattr(o, "to_plotly_json"):
            return o.to_plotly_json()
        return super().default(o)


def _traces(tree) -> list[dict]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") in ("scatter", "bar") and "hovertext" in node:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    return found


def test_published_figures_of_two_publishers_for_one_year_stay_apart(session):
    figures = released_figures(session, actor_of(session, None), "en", 5)
    victims_2024 = [f for f in select_figures(figures, "trends") if f.series == "victims_identified"
                    and f.year == 2024 and not f.is_demo]
    assert sorted((f.publisher, f.value) for f in victims_2024) == [("CSPJ", 269), ("PMP", 229), ("USDOS", 229)]


# --- the 2023 and 2024 reports, in three languages ---------------------------------------------

ISOLATES = str.maketrans("", "", "\u2066\u2067\u2068\u2069")


@pytest.mark.parametrize("lang, title, note", [
    ("en", "Trafficking in Persons Report 2025", "Potential victims screened, before confirmation"),
    ("fr", "Rapport 2025 sur la traite des personnes", "Victimes potentielles repérées, avant confirmation"),
    ("ar", "تقرير الاتجار بالأشخاص لسنة 2025", "ضحايا محتملون جرى رصدهم قبل تأكيد صفتهم كضحايا"),
])
def test_the_new_series_come_with_their_source_and_note_in_the_reader_s_language(session, lang, title, note):
    figures = released_figures(session, actor_of(session, None), lang, 5)
    potential = next(f for f in figures if (f.publisher, f.series, f.period, f.breakdown)
                     == ("USDOS", "victims_potential", "2024", ""))
    assert potential.value == 452 and potential.status == SHOWN
    assert title in potential.citation.translate(ISOLATES) and potential.note == note
    assert title == potential.document


def test_each_new_figure_is_loaded_once_under_its_publisher(session):
    figures = released_figures(session, actor_of(session, "committee"), "en", 5)
    value = {(f.publisher, f.series, f.period, f.breakdown, f.unit): f.value for f in figures}
    expected = {
        ("USDOS", "suspects", "2024", "", "count"): 204, ("USDOS", "suspects", "2023", "", "count"): 119,
        ("USDOS", "persons_prosecuted", "2024", "exploitation_form=sexual", "count"): 147,
        ("USDOS", "persons_convicted", "2024", "", "count"): 60, ("USDOS", "persons_convicted", "2023", "", "count"): 82,
        ("USDOS", "victims_identified", "2024", "", "count"): 229,
        ("USDOS", "victims_assisted", "2024", "service=legal_aid_criminal", "count"): 156,
        ("USDOS", "victims_repatriated", "2024", "nationality=foreign", "count"): 3,
        ("USDOS", "specialised_prosecutors", "2024", "", "count"): 44,
        ("CSPJ", "victims_identified", "2024", "exploitation_form=forced_criminality", "count"): 10,
        ("CSPJ", "decisions", "2024", "", "count"): 160,
        ("CSPJ", "decisions", "2024", "court_of_appeal=rabat", "count"): 26,
        ("CSPJ", "decisions", "2024", "outcome=acquittal", "percent"): 34,
        ("CSPJ", "persons_convicted", "2024", "exploitation_form=smuggling", "count"): 18,
        ("PMP", "complaints", "2022", "", "count"): 58,
        ("PMP", "complaints", "2023", "outcome=requalified", "count"): 39,
        ("PMP", "cases_registered", "2023", "network=criminal_network", "count"): 6,
        ("PMP", "cases_registered", "2023", "court_of_appeal=nador", "count"): 0,
        ("PMP", "persons_prosecuted", "2023", "custody=detained", "percent"): 84,
        ("CNDH", "hotline_calls", "2023", "", "count"): 1794,
    }
    assert {key: value.get(key) for key in expected} == expected
    # "About 10" cases was not a count: Fès and Meknès are left out.
    assert not [key for key in value if "court_of_appeal=fes" in key[3] or "court_of_appeal=meknes" in key[3]]
    # A breakdown without a column of its own keeps its cells and names.
    rabat = next(f for f in figures if f.breakdown == "court_of_appeal=rabat")
    assert rabat.cells == {"court_of_appeal": "rabat"} and rabat.label == "Rabat"


def test_new_small_counts_are_protected_for_the_public(session):
    figures = released_figures(session, actor_of(session, None), "en", 5)
    small = {(f.series, f.breakdown) for f in figures if f.status == SMALL and f.period == "2024"}
    assert {("victims_repatriated", "nationality=foreign"), ("victims_repatriated", "nationality=moroccan"),
            ("victims_identified", "exploitation_form=begging"),
            ("victims_identified", "exploitation_form=servitude")} <= small
    assert all(f.value is None for f in figures if f.status != SHOWN)


def test_two_publishers_counts_of_one_year_are_compared_side_by_side(session, request_app):
    from dashboard.national import standards

    with request_app.test_request_context("/?lang=en"):
        figures = released_figures(session, actor_of(session, None), "en", 5)
        found = {(c.series, c.year): {f.publisher: f.value for f in c.figures if not f.is_demo}
                 for c in standards.comparisons(figures)}
        assert found[("victims_identified", 2024)] == {"CSPJ": 269, "PMP": 229, "USDOS": 229}
        assert found[("persons_convicted", 2024)] == {"CSPJ": 120, "USDOS": 60}
        notes = standards.counting_notes()
        assert all(("CSPJ", s) in notes and ("USDOS", s) in notes for s in ("victims_identified", "persons_convicted"))


def test_the_sdg_16_2_2_rate_is_each_publisher_s_victims_per_100000_people(session):
    from dashboard.national import standards

    figures = released_figures(session, actor_of(session, None), "en", 5)
    rates = {r.figure.publisher: round(r.rate, 2) for r in standards.sdg_rates(figures) if not r.figure.is_demo}
    assert rates == {"CSPJ": 0.73, "PMP": 0.62, "USDOS": 0.62}  # 229 / 36,828,330 × 100,000 = 0.62
    assert standards.POPULATION[2024] == 36_828_330
    # A count shown as "<5" gives no rate.
    hidden = [f for f in figures if f.status == SMALL]
    assert not standards.sdg_rates([dataclasses.replace(f, series="victims_identified", breakdown="",
                                                        period="2024", year_start=2024, year_end=2024)
                                    for f in hidden])


def test_each_publisher_s_forms_are_mapped_to_ic_tip_and_sdg_16_2_2(session, request_app):
    from dashboard.national import standards

    for lang, criminal, none in (("en", "Trafficking for exploitation in criminal activities",
                                  "Not a form of exploitation in this standard"),):
        with request_app.test_request_context(f"/?lang={lang}"):
            figures = released_figures(session, actor_of(session, None), lang, 5)
            rows = {(m.publisher, m.category): m for m in standards.form_mappings(figures)}
            assert rows[("CSPJ", "forced_criminality")].published_as == "Forced criminal acts"
            assert rows[("CSPJ", "forced_criminality")].ictip == criminal
            assert rows[("CSPJ", "forced_criminality")].sdg == "Other forms of exploitation"
            assert rows[("CSPJ", "smuggling")].ictip == none
            assert rows[("USDOS", "sexual")].sdg == "Sexual exploitation"
    assert set(standards.FORMS) >= set(statistics.BREAKDOWNS["exploitation_form"])
