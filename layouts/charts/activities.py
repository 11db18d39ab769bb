"""The charts of the activities pages: counts as bars, and the timeline of activities."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import plotly.graph_objects as go

from dashboard.i18n import gettext as _
from dashboard.i18n import isolate
from layouts.charts.base import GRID_COLOR, base_layout, breakdown_bars, category_yaxis, empty_figure, year_ticks

KIND_COLORS = {
    "training": "#2a6fb0",
    "awareness_campaign": "#d08a00",
    "workshop": "#0b6e69",
    "roundtable": "#7b4fa0",
    "study_visit": "#1b7f4b",
    "international_meeting": "#c0392b",
}


def count_bars(cells: list[tuple[str, int, str]], lang: str, title: str) -> go.Figure:
    """Horizontal bars of counts: (label, count, count as written)."""
    figure = breakdown_bars(cells, lang, title, titled=False)
    if cells and max(n for _label, n, _text in cells) <= 10:
        figure.layout.xaxis.dtick = 1  # whole counts: no "0.5" tick
    return figure


def timeline_figure(rows: list[dict], lang: str, kinds: dict[str, str],
                    hover: Callable[[dict], str]) -> go.Figure:
    """One marker per activity at its start date, a row per kind (in the order of
    ``kinds``, their names); ``hover`` writes an activity's hover text."""
    dated = [r for r in rows if r["start"]]
    if not dated:
        return empty_figure(lang, "", _("No activities match these filters"))
    rtl = lang == "ar"
    order = [k for k in kinds if any(r["kind"] == k for r in dated)]
    traces = []
    for kind in order:
        own = [r for r in dated if r["kind"] == kind]
        traces.append({
            "type": "scatter", "mode": "markers", "name": isolate(kinds[kind], lang),
            "x": [r["start"].isoformat() for r in own],
            "y": [isolate(kinds[kind], lang)] * len(own),
            "marker": {"color": KIND_COLORS.get(kind, "#6c757d"), "size": 14,
                       "line": {"color": "#ffffff", "width": 1}},
            "hovertext": [isolate(hover(r), lang) for r in own],
            "hoverinfo": "text",
        })
    first = min(r["start"] for r in dated)
    last = max(r["end"] or r["start"] for r in dated)
    pad = dt.timedelta(days=max(30, (last - first).days // 20))
    span = [(first - pad).isoformat(), (last + pad).isoformat()]
    layout = base_layout(
        lang, "", height=max(200, 90 + 44 * len(order)), showlegend=False, hovermode="closest",
        margin={"t": 16},
        xaxis={"type": "date", "range": span[::-1] if rtl else span, "gridcolor": GRID_COLOR,
               **year_ticks(first - pad, last + pad, lang)},
        yaxis=category_yaxis(lang, categoryorder="array",
                              categoryarray=[isolate(kinds[k], lang) for k in order]),
    )
    return go.Figure(data=traces, layout=layout)

