"""Charts of the national statistics. Each publisher is its own trace: figures of different
publishers are never added, stacked or joined by a line. Values arrive already released
by ``statistics.released_figures``; suppressed cells are drawn as empty bars labelled "<5"."""
from __future__ import annotations

import plotly.graph_objects as go
from flask_babel import gettext as _

from dashboard import labels
from dashboard.charts import _layout, empty_figure
from dashboard.i18n import fmt_number, fmt_percent, isolate
from dashboard.statistics import SHOWN, Figure, same_source_groups, shown_text

# One colour per publisher, the same on every chart (Okabe-Ito, colour-blind safe).
PUBLISHER_COLORS = {"USDOS": "#0072B2", "PMP": "#D55E00", "CSPJ": "#009E73", "CNCLTEH": "#CC79A7",
                    "CNDH": "#E69F00", "DGSN": "#56B4E9", "GR": "#7f7f7f"}


def value_text(figure: Figure, lang: str) -> str:
    if figure.unit == "percent":
        return fmt_percent(figure.value, lang, 1 if figure.value % 1 else 0)
    return fmt_number(figure.value, lang)


def figure_text(figure: Figure, lang: str, threshold: int) -> str:
    return shown_text(figure, lambda f: value_text(f, lang), threshold)


def category_label(figure: Figure, names: dict[str, str]) -> str:
    """"Female · Child" from the figure's cells, in a stable order."""
    return " · ".join(names.get(figure.cells[key], figure.cells[key]) for key in sorted(figure.cells)) \
        or _("Total")


def _hover(figure: Figure, lang: str, threshold: int, label: str) -> str:
    series = labels.statistic_series().get(figure.series, figure.series)
    return isolate(f"{figure.publisher} · {series} · {figure.period}<br>{label}: "
                   f"{figure_text(figure, lang, threshold)}<br>{_('Source')}: {figure.citation}", lang)


def trend_chart(figures: list[Figure], lang: str, threshold: int, series: str) -> go.Figure:
    """One line per publisher for one series: years on x, the publisher's own totals."""
    title = labels.statistic_series().get(series, series)
    groups = {key: rows for key, rows in same_source_groups(figures).items() if key[1] == series}
    if not groups:
        return empty_figure(lang, title, _("No figure published"))
    traces = []
    for (publisher, _series), rows in sorted(groups.items()):
        rows = sorted(rows, key=lambda f: f.year)
        traces.append(go.Scatter(
            x=[f.year for f in rows], y=[f.value if f.status == SHOWN else None for f in rows],
            mode="lines+markers", name=publisher, connectgaps=False,
            line={"color": PUBLISHER_COLORS.get(publisher, "#444")},
            hovertext=[_hover(f, lang, threshold, _("Total")) for f in rows], hoverinfo="text",
        ))
    layout = _layout(lang, title, height=300,
                     xaxis={"dtick": 1, "autorange": "reversed" if lang == "ar" else True},
                     yaxis={"rangemode": "tozero", "side": "right" if lang == "ar" else "left"})
    return go.Figure(data=traces, layout=layout)


def grouped_bars(figures: list[Figure], lang: str, threshold: int, title: str, names: dict[str, str],
                 x_dimension: str | None = None) -> go.Figure:
    """Bars per category, one trace per publisher and period (and, with ``x_dimension``,
    per category of the other dimensions); counts only (shares are listed in the table).
    A suppressed cell is an empty bar labelled "<5"."""
    counts = [f for f in figures if f.unit == "count"]
    if not counts:
        return empty_figure(lang, title, _("No figure published"))

    def rest(figure: Figure) -> str:
        return " · ".join(names.get(v, v) for k, v in sorted(figure.cells.items()) if k != x_dimension)

    groups: dict[tuple[str, str, str], list[Figure]] = {}
    for figure in sorted(counts, key=lambda f: (f.publisher, f.period)):
        key = (figure.publisher, figure.period, rest(figure) if x_dimension else "")
        groups.setdefault(key, []).append(figure)
    traces = []
    for (publisher, period, other), rows in groups.items():
        labels_ = [isolate(names.get(f.cells.get(x_dimension), f.cells.get(x_dimension, "")) if x_dimension
                           else category_label(f, names), lang) for f in rows]
        traces.append(go.Bar(
            x=labels_, y=[f.value if f.status == SHOWN else 0 for f in rows],
            name=isolate(" ".join(part for part in (publisher, period, other) if part), lang),
            text=[isolate(figure_text(f, lang, threshold), lang) for f in rows], textposition="outside",
            marker={"color": PUBLISHER_COLORS.get(publisher, "#444"),
                    "opacity": 0.55 if any(f.is_demo for f in rows) else 1},
            hovertext=[_hover(f, lang, threshold, category_label(f, names)) for f in rows], hoverinfo="text",
        ))
    # Region names are long: they slant, and the legend moves below them.
    layout = _layout(lang, title, height=420 if x_dimension else 360, barmode="group",
                     xaxis={"autorange": "reversed" if lang == "ar" else True, "automargin": True,
                            "tickangle": -35 if x_dimension else "auto"},
                     legend={"y": -0.6 if x_dimension else -0.15},
                     yaxis={"rangemode": "tozero", "side": "right" if lang == "ar" else "left"})
    return go.Figure(data=traces, layout=layout)
