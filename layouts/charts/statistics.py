"""The charts of ``/statistics``: a publisher's trend per series, and a breakdown as small
multiples (a panel per publisher and period, a row per category). Each publisher is its
own trace: figures of different publishers are never added, stacked or joined by a line.
A suppressed cell is an empty bar labelled as the writer says ("<5" or "–").

Plain figure dicts, which dcc.Graph takes as they are: validating a dozen plotly figures
cost more than the rest of the page.
"""
from __future__ import annotations

from typing import Protocol

import plotly.graph_objects as go
from flask_babel import gettext as _

from dashboard.i18n import isolate
from dashboard.national.disclosure import SHOWN
from dashboard.national.statistics import Figure, same_source_groups
from layouts.charts.base import GRID_COLOR, base_layout, empty_figure

# One colour per publisher, the same on every chart (Okabe-Ito, colour-blind safe).
PUBLISHER_COLORS = {"USDOS": "#0072B2", "PMP": "#D55E00", "CSPJ": "#009E73", "CNCLTEH": "#CC79A7",
                    "CNDH": "#E69F00", "DGSN": "#56B4E9", "GR": "#7f7f7f"}


class FigureWriter(Protocol):
    """Writes released figures in one language (``layouts.parts.statistics.Writer``)."""

    lang: str
    series: dict[str, str]

    def value(self, figure: Figure) -> str: ...

    def hover(self, figure: Figure) -> str: ...

    def label(self, figure: Figure) -> str: ...


def trend_chart(figures: list[Figure], write: FigureWriter, series: str) -> dict | go.Figure:
    """One line per publisher for one series: years on x, the publisher's own totals."""
    lang = write.lang
    title = write.series.get(series, series)
    groups = {key: rows for key, rows in same_source_groups(figures).items() if key[1] == series}
    if not groups:
        return empty_figure(lang, title, _("No figure published"))
    traces = []
    for (publisher, _series), rows in sorted(groups.items()):
        by_year = {f.year: f for f in rows}
        # Years without a figure break the line: it joins consecutive years only.
        years = list(range(min(by_year), max(by_year) + 1))
        demo = any(f.is_demo for f in rows)
        traces.append({
            "type": "scatter", "x": years,
            "y": [by_year[y].value if y in by_year else None for y in years],
            "mode": "lines+markers", "connectgaps": False,
            "name": isolate(f"{publisher} ({_('demonstration')})" if demo else publisher, lang),
            "line": {"color": PUBLISHER_COLORS.get(publisher, "#444"), "dash": "dot" if demo else "solid"},
            "hovertext": [write.hover(by_year[y]) if y in by_year else "" for y in years],
            "hoverinfo": "text",
            "meta": {"unit": "count"},
        })
    layout = base_layout(lang, title, height=300,
                     xaxis={"dtick": 1, "autorange": "reversed" if lang == "ar" else True},
                     yaxis={"rangemode": "tozero", "gridcolor": GRID_COLOR, "automargin": True,
                            "side": "right" if lang == "ar" else "left"})
    return {"data": traces, "layout": layout}


def drawable(figures: list[Figure]) -> bool:
    """Whether a chart of these figures has anything to draw: a count that is shown. A
    chart of "<5" and "–" alone would be an empty axis from 0 to 1: list them instead."""
    return any(f.unit == "count" and f.status == SHOWN and f.value is not None for f in figures)


def small_multiples(figures: list[Figure], write: FigureWriter, title: str, row_px: int = 30) -> dict | go.Figure:
    """One panel per publisher and period, stacked: horizontal bars, a category per row,
    its value written at the end of the bar. Category names (Arabic or not) get a row of
    their own, so no label runs into another however many categories a publisher gives.
    A suppressed cell is an empty bar labelled "<5" or "–"; demonstration figures are
    hatched."""
    lang, rtl = write.lang, write.lang == "ar"
    counts = [f for f in figures if f.unit == "count"]
    if not counts:
        return empty_figure(lang, title, _("No figure published"))
    groups: dict[tuple[str, str], list[Figure]] = {}
    for figure in sorted(counts, key=lambda f: (f.publisher, -f.year_start, f.year_end, f.breakdown)):
        groups.setdefault((figure.publisher, figure.period), []).append(figure)
    head_px, top_px, bottom_px = 34, 48, 24
    height = top_px + bottom_px + sum(head_px + row_px * len(rows) for rows in groups.values())
    highest = max((f.value or 0) for f in counts) or 1
    traces, annotations, axes = [], [], {}
    position = height - top_px  # pixels from the bottom of the figure, going down
    for index, ((publisher, period), rows) in enumerate(groups.items(), start=1):
        demo = any(f.is_demo for f in rows)
        suffix = "" if index == 1 else str(index)
        top = position - head_px
        bottom = top - row_px * len(rows)
        domain = [max(0.0, bottom / height), min(1.0, top / height)]
        name = " ".join(part for part in (publisher, period) if part)
        traces.append({
            "type": "bar", "orientation": "h", "xaxis": f"x{suffix}", "yaxis": f"y{suffix}",
            "y": [isolate(write.label(f), lang) for f in rows],
            "x": [f.value or 0 for f in rows],
            "name": isolate(name, lang), "showlegend": False,
            "text": [isolate(write.value(f), lang) for f in rows],
            "textposition": "outside", "cliponaxis": False,
            "marker": {"color": PUBLISHER_COLORS.get(publisher, "#444"),
                       "pattern": {"shape": "/" if demo else ""}},
            "hovertext": [write.hover(f) for f in rows], "hoverinfo": "text",
            "meta": {"unit": "count"},
        })
        heading = f"{name} ({_('demonstration')})" if demo else name
        annotations.append({"text": f"<b>{isolate(heading, lang)}</b>", "showarrow": False,
                            "xref": "paper", "yref": "paper", "x": 1 if rtl else 0,
                            "xanchor": "right" if rtl else "left", "y": (top + 4) / height,
                            "yanchor": "bottom", "font": {"size": 13}})
        # Room past the longest bar for its value ("أقل من 5" included); bars grow from the
        # reading side (a reversed range in Arabic).
        reach = [0, highest * 1.3]
        axes[f"xaxis{suffix}"] = {"domain": [0, 1], "anchor": f"y{suffix}", "range": reach[::-1] if rtl else reach,
                                  "showticklabels": False, "gridcolor": GRID_COLOR, "zeroline": True,
                                  "fixedrange": True}
        axes[f"yaxis{suffix}"] = {"domain": domain, "anchor": f"x{suffix}", "autorange": "reversed",
                                  "side": "right" if rtl else "left", "automargin": True, "fixedrange": True}
        position = bottom
    layout = base_layout(lang, title, height=height, margin={"t": top_px, "b": bottom_px},
                         annotations=annotations, showlegend=False, bargap=0.25, **axes)
    return {"data": traces, "layout": layout}
