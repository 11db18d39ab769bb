"""The body of ``/statistics``, which its filters re-render: one chart per series and per
breakdown, each with its sources and its CSV export, and the table of every figure.

Each publisher is its own trace: figures of different publishers are never added, stacked
or joined by a line. Values arrive already released by ``statistics.released_figures``
(the same figures the CSV exports get); suppressed cells are drawn as empty bars labelled
"<5" or "–", and their hover text says no more.
"""
from __future__ import annotations

from dash import html
from flask_babel import gettext as _

from dashboard import labels
from dashboard.i18n import fmt_number, fmt_percent, isolate
from dashboard.national import standards
from dashboard.national.statistics import (
    MAIN_SERIES,
    SMALL,
    Figure,
    StatisticFilter,
    select_figures,
    shown_text,
)
from dashboard.paging import rows_page
from layouts.charts.statistics import drawable, small_multiples, trend_chart
from layouts.components import card, data_grid, download_links, graph, grid_page, query_string
from layouts.parts.indicators import small_label

FILTERS = ("publisher", "year", "series")


def breakdown_sections() -> list[tuple[str, str]]:
    """The breakdown charts: (chart, title); the series they show is in the filter."""
    return [
        ("sex_age", _("By sex and age group")),
        ("origin", _("By nationality and place of exploitation")),
        ("exploitation", _("By form of exploitation")),
        ("children", _("Children")),
        ("regions", _("By region")),
    ]


# --- texts --------------------------------------------------------------------------------


class Writer:
    """Writes released figures in one language: built once per page, as the charts write
    hundreds of labels."""

    def __init__(self, lang: str, threshold: int):
        self.lang, self.threshold = lang, threshold
        self.series = labels.statistic_series()
        self.small, self.total, self.source = small_label(threshold, lang), _("Total"), _("Source")

    def value(self, figure: Figure) -> str:
        """The value, "<5" (small) or "–" (hidden)."""
        if figure.status == SMALL:
            return self.small
        return shown_text(figure, self._number, self.threshold)

    def _number(self, figure: Figure) -> str:
        if figure.unit == "percent":
            return fmt_percent(figure.value, self.lang, 1 if figure.value % 1 else 0)
        return fmt_number(figure.value, self.lang)

    def label(self, figure: Figure) -> str:
        return figure.label or self.total

    def hover(self, figure: Figure) -> str:
        note = f"<br>{figure.note}" if figure.note else ""
        return isolate(f"{figure.publisher} · {self.series.get(figure.series, figure.series)} · "
                       f"{figure.period}<br>{self.label(figure)}: {self.value(figure)}{note}<br>"
                       f"{self.source}: {figure.citation}", self.lang)

    def described(self, title: str, figures: list[Figure]) -> str:
        """The text alternative of a chart: every figure it draws, as the page writes it."""
        return title + ": " + "; ".join(
            f"{f.publisher} {f.period} {self.label(f)} {self.value(f)}" for f in figures)


# --- the page's body ----------------------------------------------------------------------


def body(figures: list[Figure], lang: str, threshold: int, filters: StatisticFilter) -> list:
    """Trends, breakdowns and the table for ``filters``, from released figures."""
    write = Writer(lang, threshold)
    trends = select_figures(figures, "trends", filters)
    present = sorted({f.series for f in trends} - set(MAIN_SERIES))
    compared = standards.comparisons(select_figures(figures, "trends", StatisticFilter(year=filters.year)))
    if filters.year:
        compared = [c for c in compared if c.year == filters.year]
    trend_cards = [
        html.Div(_chart_card(
            f"statistics-trend-{series}", trend_chart(trends, write, series),
            write.described(write.series.get(series, series), [f for f in trends if f.series == series]),
            "trends", [f for f in trends if f.series == series], write, filters,
            counts=_what_each_counts(series, trends)), className="col-lg-6")
        for series in [*MAIN_SERIES, *present]
    ]
    series_name = write.series.get(filters.series, filters.series)
    breakdown_cards = []
    for chart, title in breakdown_sections():
        rows = select_figures(figures, chart, filters)
        # Regions too get a row each (crossed with sex): slanted region names collide on a phone.
        figure = small_multiples(rows, write, title, row_px=24 if chart == "regions" else 30)
        extra = _standards_table(standards.form_mappings(rows)) if chart == "exploitation" else None
        breakdown_cards.append(html.Div(_chart_card(
            f"statistics-{chart}", figure, write.described(title, rows), chart, rows, write, filters,
            shares=[f for f in rows if f.unit == "percent"], extra=extra), className="col-12"))
    return [
        *_side_by_side(compared, write),
        _rates_card(standards.sdg_rates(select_figures(figures, "trends", filters)), write),
        html.H2(_("Totals by year and publisher"), className="h5"),
        html.Div(trend_cards, className="row g-3 mb-3"),
        html.H2(_("Breakdowns: %(series)s", series=series_name), className="h5"),
        html.Div(breakdown_cards, className="row g-3 mb-3"),
        card(_("All figures"), html.Div([
            html.Div(_download_links("all", lang, filters), className="mb-2"),
            # Rows come a page at a time (``grid_page_of``): the table never sends every figure.
            data_grid("statistics-grid", [], _grid_columns(), lang, height=480, infinite=True),
        ])),
    ]


def _chart_card(graph_id: str, figure, description: str, chart: str, rows: list[Figure],
                write: Writer, filters: StatisticFilter, shares: list[Figure] | None = None,
                counts: list | None = None, extra=None) -> html.Section:
    sources = sorted({(f.publisher, f.citation, f.url, f.is_demo, f.entered) for f in rows})
    counted = [f for f in rows if f.unit == "count"]
    if counted and not drawable(counted):
        # Nothing but "<5" and "–": a chart would be an empty axis, so the figures are listed.
        parts = [html.H3(description.split(":", 1)[0], className="h6"),
                 html.P(_("Every figure here is under %(n)s or hidden to protect one, so they are listed "
                          "rather than drawn.", n=write.threshold), className="small mb-1"),
                 _figures_table(graph_id, counted, write)]
    elif chart == "trends" and len({f.period for f in counted}) == 1:
        # One year only: a lone point on an axis of years says less than the figure itself.
        parts = [html.H3(description.split(":", 1)[0], className="h6"),
                 html.P(_("Published for one year only, so the figures are listed rather than drawn."),
                        className="small mb-1"),
                 _figures_table(graph_id, counted, write)]
    else:
        parts = [graph(graph_id, figure, description)]
    if counts:
        parts.append(html.Div(_("What each publisher counts"), className="small fw-semibold mt-2"))
        parts.append(html.Ul(counts, className="small mb-1"))
    if extra is not None:
        parts.append(extra)
    if shares:
        parts.append(html.Div(_("Published shares (percentages, as published)"),
                              className="small fw-semibold mt-2"))
        parts.append(html.Ul([html.Li(
            [html.Bdi(f"{f.publisher} {f.period}"), f" · {write.label(f)}: ", html.Bdi(write.value(f))])
            for f in shares], className="small mb-1"))
    if sources:
        parts.append(html.Div(_("Sources"), className="small fw-semibold mt-2"))
        parts.append(html.Ul([html.Li([
            html.Bdi(publisher), ": ",
            html.A(citation, href=url, rel="noopener", target="_blank", **typed(entered)) if url
            else html.Bdi(citation, **typed(entered)),
            " ", html.Span(_("Demonstration data"), className="badge text-bg-warning") if demo else None,
        ]) for publisher, citation, url, demo, entered in sources], className="small text-body-secondary mb-1"))
    parts.append(_download_links(chart, write.lang, filters))
    return html.Section(html.Div(parts, className="card-body"), className="card shadow-sm h-100")


def typed(entered: bool) -> dict:
    """Marks the document a focal point typed, cited as written, in whatever language."""
    return {"data-user-text": "true"} if entered else {}


def _figures_table(table_id: str, figures: list[Figure], write: Writer) -> html.Table:
    return html.Table([
        html.Thead(html.Tr([html.Th(_("Publisher")), html.Th(_("Period")), html.Th(_("Breakdown")),
                            html.Th(_("Figure"))])),
        html.Tbody([html.Tr([html.Td(f.publisher), html.Td(f.period), html.Td(html.Bdi(write.label(f))),
                             html.Td(html.Bdi(write.value(f)))]) for f in figures]),
    ], id=table_id, className="table table-sm small mb-1")


def _what_each_counts(series: str, figures: list[Figure]) -> list:
    """A line per publisher of ``series`` whose count differs in kind from another's."""
    notes = standards.counting_notes()
    publishers = sorted({f.publisher for f in figures if f.series == series})
    if len(publishers) < 2:
        return []
    return [html.Li([html.Bdi(p), ": ", notes[(p, series)]]) for p in publishers
            if (p, series) in notes]


def _side_by_side(compared: list[standards.Comparison], write: Writer) -> list:
    """Where publishers give the same series for the same year: their figures next to each
    other with what each counts, never added up nor joined by a line."""
    if not compared:
        return []
    notes = standards.counting_notes()
    # Open: the latest year that published figures compare in (demonstration ones alone wait below).
    latest = next((c.year for c in compared if not all(f.is_demo for f in c.figures)), compared[0].year)

    def table(comparison: standards.Comparison) -> html.Div:
        return html.Div([
            html.H3(_("%(series)s, %(year)s", series=write.series.get(comparison.series, comparison.series),
                      year=comparison.year), className="h6 mt-2"),
            html.Table([
                # Three columns, the source under what is counted: it reads on a phone too.
                html.Thead(html.Tr([html.Th(_("Publisher")), html.Th(_("Figure")), html.Th(_("What it counts"))])),
                html.Tbody([html.Tr([
                    html.Td(html.Abbr(f.publisher, title=f.publisher_name)),
                    html.Td(html.Bdi(write.value(f)), className="text-nowrap fw-semibold"),
                    html.Td([notes.get((f.publisher, f.series), f.note or _("As the publisher counts them")),
                             " ", html.Span(_("Demonstration data"), className="badge text-bg-warning")
                             if f.is_demo else None,
                             html.Div([_("Source"), ": ", html.Bdi(f.citation, **typed(f.entered))],
                                      className="text-body-secondary")]),
                ]) for f in comparison.figures]),
            ], className="table table-sm small mb-1 statistics-side-by-side"),
        ], className="table-responsive")

    recent = [table(c) for c in compared if c.year == latest]
    earlier = [table(c) for c in compared if c.year != latest]  # newest first
    return [card(_("The same count from several publishers"), html.Div([
        html.P(_("Each publisher counts at its own stage (a case registered, a ruling, a report to the US "
                 "State Department): their figures stand side by side, and are never added up or drawn as "
                 "one line."), className="small mb-1"),
        *recent,
        html.Details([html.Summary(_("Other years"), className="small"), *earlier]) if earlier else None,
    ], id="statistics-side-by-side")), html.Div(className="mb-3")]


def _rates_card(rates: list[standards.Rate], write: Writer):
    """SDG indicator 16.2.2: victims per 100,000 people, one rate per publisher, never pooled."""
    if not rates:
        return None
    lang = write.lang
    rows = [html.Tr([
        html.Td(html.Abbr(r.figure.publisher, title=r.figure.publisher_name)),
        html.Td(str(r.figure.year)),
        html.Td(html.Bdi(write.value(r.figure))),
        html.Td(html.Bdi(fmt_number(round(r.rate, 2), lang, 2)), className="fw-semibold"),
    ]) for r in rates]
    # The sources under the table, so that its four columns fit a phone.
    sources = html.Ul([html.Li([html.Bdi(f"{r.figure.publisher} {r.figure.year}"), ": ",
                                html.Bdi(r.figure.citation, **typed(r.figure.entered)), " ",
                                html.Span(_("Demonstration data"), className="badge text-bg-warning")
                                if r.figure.is_demo else None]) for r in rates],
                      className="small text-body-secondary mb-1")
    population = rates[0].population
    return html.Div(card(_("Victims per 100,000 people (SDG indicator 16.2.2)"), html.Div([
        html.Div(html.Table([
            html.Thead(html.Tr([html.Th(_("Publisher")), html.Th(_("Year")), html.Th(_("Victims")),
                                html.Th(_("Per 100,000 people"))])),
            html.Tbody(rows),
        ], className="table table-sm small mb-1"), className="table-responsive"),
        html.Div(_("Sources"), className="small fw-semibold"), sources,
        html.P([_("Each publisher's own count of victims divided by the legal population of %(population)s "
                  "at the 2024 census, times 100,000; one rate per publisher, never pooled.",
                  population=fmt_number(population, lang)), " ", _("Population:"), " ",
                html.Bdi(standards.population_source(lang))], className="small text-body-secondary mb-0"),
    ], id="statistics-sdg-rate")), className="mb-3")


def _standards_table(mappings: list[standards.Mapping]):
    """Each publisher's forms of exploitation next to the IC-TIP and SDG 16.2.2 categories."""
    if not mappings:
        return None
    return html.Div([
        html.Div(_("The publishers' categories and the UN standards"), className="small fw-semibold mt-2"),
        html.Div(html.Table([
            html.Thead(html.Tr([html.Th(_("Publisher")), html.Th(_("As published")),
                                html.Th(_("IC-TIP category")), html.Th(_("SDG 16.2.2 category"))])),
            html.Tbody([html.Tr([html.Td(m.publisher), html.Td(m.published_as), html.Td(m.ictip), html.Td(m.sdg)])
                        for m in mappings]),
        ], className="table table-sm small mb-1"), className="table-responsive"),
        html.P(_("Sex (male, female) and age group (children under 18, adults 18 and over) are the same "
                 "categories in IC-TIP and SDG 16.2.2 for every publisher."), className="small text-body-secondary"),
    ], id="statistics-standards")


def _download_links(chart: str, lang: str, filters: StatisticFilter) -> html.Div:
    """The chart's figures as files, for the same reader and filters."""
    return download_links(f"/statistics/export/{chart}", query_string(
        lang=lang, publisher=filters.publisher, year=filters.year,
        series=None if chart in ("trends", "all") else filters.series), f"statistics-{chart}")


def _grid_columns() -> list[dict]:
    return [
        {"field": "publisher", "headerName": _("Publisher"), "width": 110},
        {"field": "series", "headerName": _("What is counted"), "flex": 1, "minWidth": 160},
        {"field": "period", "headerName": _("Period"), "width": 110},
        {"field": "breakdown", "headerName": _("Breakdown"), "flex": 1, "minWidth": 160},
        {"field": "value", "headerName": _("Figure"), "width": 110},
        {"field": "note", "headerName": _("Note"), "flex": 1, "minWidth": 160, "tooltipField": "note"},
        # Rows of an infinite grid have one height: a long source is cut and shown whole on hover.
        {"field": "source", "headerName": _("Source"), "flex": 2, "minWidth": 200, "tooltipField": "source"},
    ]


GRID_FIELDS = ("publisher", "series", "period", "breakdown", "value", "note", "source")


def grid_page_of(figures: list[Figure], lang: str, threshold: int, filters: StatisticFilter,
                 request) -> dict:
    """The ``getRowsResponse`` of the table: one page of the filtered figures, as released."""
    rows, total = rows_page(grid_rows(select_figures(figures, "all", filters), Writer(lang, threshold)),
                            request, GRID_FIELDS)
    return grid_page(rows, total)


def grid_rows(figures: list[Figure], write: Writer) -> list[dict]:
    demo = " · " + _("Demonstration data")
    return [{"publisher": f.publisher, "series": write.series.get(f.series, f.series), "period": f.period,
             "breakdown": write.label(f), "value": write.value(f), "unit": f.unit, "note": f.note,
             "source": f.citation + (demo if f.is_demo else "")}
            for f in figures]
