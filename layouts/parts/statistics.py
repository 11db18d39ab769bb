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
from dashboard.national.statistics import (
    MAIN_SERIES,
    SMALL,
    Figure,
    StatisticFilter,
    select_figures,
    shown_text,
)
from dashboard.paging import rows_page
from layouts.charts.statistics import grouped_bars, trend_chart
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
        return isolate(f"{figure.publisher} · {self.series.get(figure.series, figure.series)} · "
                       f"{figure.period}<br>{self.label(figure)}: {self.value(figure)}<br>"
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
    trend_cards = [
        html.Div(_chart_card(
            f"statistics-trend-{series}", trend_chart(trends, write, series),
            write.described(write.series.get(series, series), [f for f in trends if f.series == series]),
            "trends", [f for f in trends if f.series == series], write, filters), className="col-lg-6")
        for series in [*MAIN_SERIES, *present]
    ]
    series_name = write.series.get(filters.series, filters.series)
    breakdown_cards = []
    for chart, title in breakdown_sections():
        rows = select_figures(figures, chart, filters)
        figure = grouped_bars(rows, write, title, "region" if chart == "regions" else None)
        breakdown_cards.append(html.Div(_chart_card(
            f"statistics-{chart}", figure, write.described(title, rows), chart, rows, write, filters,
            shares=[f for f in rows if f.unit == "percent"]), className="col-12"))
    return [
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
                write: Writer, filters: StatisticFilter, shares: list[Figure] | None = None) -> html.Section:
    sources = sorted({(f.publisher, f.citation, f.url, f.is_demo) for f in rows})
    parts = [graph(graph_id, figure, description)]
    if shares:
        parts.append(html.Div(_("Published shares (percentages, as published)"),
                              className="small fw-semibold mt-2"))
        parts.append(html.Ul([html.Li(html.Bdi(
            f"{f.publisher} {f.period} · {write.label(f)}: {write.value(f)}", dir="auto"))
            for f in shares], className="small mb-1"))
    if sources:
        parts.append(html.Div(_("Sources"), className="small fw-semibold mt-2"))
        parts.append(html.Ul([html.Li([
            html.Bdi(f"{publisher}: ", dir="auto"),
            html.A(citation, href=url, rel="noopener", target="_blank") if url else html.Bdi(citation),
            " ", html.Span(_("Demonstration data"), className="badge text-bg-warning") if demo else None,
        ]) for publisher, citation, url, demo in sources], className="small text-body-secondary mb-1"))
    parts.append(_download_links(chart, write.lang, filters))
    return html.Section(html.Div(parts, className="card-body"), className="card shadow-sm h-100")


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
        # Rows of an infinite grid have one height: a long source is cut and shown whole on hover.
        {"field": "source", "headerName": _("Source"), "flex": 2, "minWidth": 200, "tooltipField": "source"},
    ]


GRID_FIELDS = ("publisher", "series", "period", "breakdown", "value", "source")


def grid_page_of(figures: list[Figure], lang: str, threshold: int, filters: StatisticFilter,
                 request) -> dict:
    """The ``getRowsResponse`` of the table: one page of the filtered figures, as released."""
    rows, total = rows_page(grid_rows(select_figures(figures, "all", filters), Writer(lang, threshold)),
                            request, GRID_FIELDS)
    return grid_page(rows, total)


def grid_rows(figures: list[Figure], write: Writer) -> list[dict]:
    demo = " · " + _("Demonstration data")
    return [{"publisher": f.publisher, "series": write.series.get(f.series, f.series), "period": f.period,
             "breakdown": write.label(f), "value": write.value(f), "unit": f.unit,
             "source": f.citation + (demo if f.is_demo else "")}
            for f in figures]
