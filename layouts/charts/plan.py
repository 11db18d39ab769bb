"""Charts of the plan pages: measures on a timeline, expected against reported progress,
an indicator's trend and the achievement of indicators by axis."""
from __future__ import annotations

import datetime as dt
import functools

import plotly.graph_objects as go

from dashboard import labels
from dashboard.i18n import fmt_date, fmt_number, fmt_percent, isolate
from dashboard.i18n import gettext as _
from layouts.charts.base import (
    ACTUAL_COLOR,
    BASELINE_COLOR,
    GRID_COLOR,
    SCHEDULE_COLORS,
    STATUS_COLORS,
    TARGET_COLOR,
    base_layout,
    category_yaxis,
    empty_figure,
    year_ticks,
)


def _as_of_line(as_of: dt.date, width: float) -> dict:
    """A dotted vertical line across the plot at the as-of date."""
    return {"type": "line", "xref": "x", "yref": "paper", "x0": as_of.isoformat(),
            "x1": as_of.isoformat(), "y0": 0, "y1": 1,
            "line": {"color": "#222", "dash": "dot", "width": width}}


def indicator_trend(series: list[dict], targets: dict[int, float], baseline: tuple | None,
                    lang: str, title: str, unit_label: str) -> go.Figure:
    """Actual values over time against the yearly targets and the baseline."""
    traces = []
    if baseline and baseline[0] is not None and baseline[1] is not None:
        traces.append({
            "type": "scatter", "x": [str(baseline[1])], "y": [baseline[0]], "mode": "markers",
            "name": _("Baseline"),
            "marker": {"color": BASELINE_COLOR, "size": 11, "symbol": "diamond"},
            "hovertemplate": isolate(f"{_('Baseline')} %{{x}}: %{{y}}", lang) + "<extra></extra>",
        })
    if targets:
        years = sorted(targets)
        traces.append({
            "type": "scatter", "x": [str(y) for y in years], "y": [targets[y] for y in years],
            "mode": "lines+markers", "name": _("Target"),
            "line": {"color": TARGET_COLOR, "dash": "dash"},
            "hovertemplate": isolate(f"{_('Target')} %{{x}}: %{{y}}", lang) + "<extra></extra>",
        })
    if series:
        traces.append({
            "type": "scatter", "x": [s["period"] for s in series], "y": [s["value"] for s in series],
            "mode": "lines+markers", "name": _("Actual"),
            "line": {"color": ACTUAL_COLOR, "width": 3}, "marker": {"size": 9},
            "hovertemplate": isolate(f"{_('Actual')} %{{x}}: %{{y}}", lang) + "<extra></extra>",
        })
    if not traces:
        return empty_figure(lang, title, _("No values reported yet"))
    rtl = lang == "ar"
    layout = base_layout(
        lang, title,
        xaxis={"type": "category", "categoryorder": "category ascending",
               "autorange": "reversed" if rtl else True},
        yaxis={"title": {"text": isolate(unit_label, lang)}, "gridcolor": GRID_COLOR,
               "side": "right" if rtl else "left", "rangemode": "tozero"},
    )
    return go.Figure(data=traces, layout=layout)


def _measure_hover(rows: list[dict], schedule_names: dict[str, str], lang: str) -> list[str]:
    """Hover text of each measure of ``measure_timeline``."""
    lead_label, planned_label, progress_label, schedule_label = (
        _("Lead"), _("Planned"), _("Progress"), _("Schedule"))
    # Babel formatting is the slow part with many rows; plans repeat dates and percentages.
    date_text = functools.cache(lambda d: fmt_date(d, lang))
    percent_text = functools.cache(lambda p: fmt_percent(p, lang))
    return [
        isolate(
            f"<b>{r['code']}</b> {r['name'][:80]}<br>{lead_label}: {r['lead']}"
            f"<br>{planned_label}: {date_text(r['planned_start'])} – {date_text(r['planned_end'])}"
            f"<br>{progress_label}: {percent_text(r['progress'])}"
            f"<br>{schedule_label}: {schedule_names.get(r['schedule'], '–')}",
            lang,
        )
        for r in rows
    ]


TIMELINE_ROW_PX = 22
EXPECTED_COLOR = "#9aa3ad"


def _date_ticks(rows: list[dict], lang: str) -> dict:
    """A labelled tick each year and an unlabelled one each 1 July: six-monthly month
    names ("يوليوز 2024") slant and collide at 390 px, four years do not."""
    first = min(r["planned_start"] for r in rows)
    last = max(r["planned_end"] for r in rows) + dt.timedelta(days=31)
    july = [dt.date(year, 7, 1).isoformat() for year in range(first.year, last.year + 1)
            if first <= dt.date(year, 7, 1) <= last]
    return {**year_ticks(first, last, lang), "tickangle": 0,
            "minor": {"tickvals": july, "ticks": "outside", "showgrid": True, "gridcolor": GRID_COLOR}}


def measure_timeline(rows: list[dict], lang: str, as_of: dt.date) -> go.Figure | dict:
    """Gantt of planned windows grouped by lead entity, for long lists of measures.

    ``rows`` come already ordered (``queries.timeline_order``); consecutive rows with the
    same lead are shaded as a group. Unlike ``gantt`` the date axis sits on top and there
    is no legend (the page shows one outside the figure), so the chart can grow with the
    rows inside a scrolling box and stay readable; only the window bar carries hover text,
    which keeps the payload small with a thousand measures.
    """
    if not rows:
        return empty_figure(lang, "", _("No measures match these filters"))
    rtl = lang == "ar"
    names = labels.schedule_status()
    day_ms = 86_400_000
    y = [isolate(f"{r['lead']} · {r['code']}", lang) for r in rows]
    starts = [r["planned_start"].isoformat() for r in rows]
    durations = [((r["planned_end"] - r["planned_start"]).days + 1) * day_ms for r in rows]
    done = [d * min(100, r["progress"] or 0) / 100 for d, r in zip(durations, rows)]
    hover = _measure_hover(rows, names, lang)
    traces = []
    for status in (*names, None):
        idx = [i for i, r in enumerate(rows) if r["schedule"] == status]
        if not idx:
            continue
        color = SCHEDULE_COLORS.get(status, STATUS_COLORS["cancelled"])
        status_y, status_base = [y[i] for i in idx], [starts[i] for i in idx]
        traces.append({
            "type": "bar", "y": status_y, "x": [durations[i] for i in idx], "base": status_base,
            "orientation": "h", "marker": {"color": color, "opacity": 0.35},
            "hovertext": [hover[i] for i in idx], "hoverinfo": "text",
        })
        traces.append({
            "type": "bar", "y": status_y, "x": [done[i] for i in idx], "base": status_base,
            "orientation": "h", "width": 0.35, "marker": {"color": color}, "hoverinfo": "skip",
        })
    # Shade every other lead group so the groups read apart.
    shapes, group_start, shaded = [], 0, False
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i]["lead"] != rows[group_start]["lead"]:
            if shaded:
                shapes.append({"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y",
                               "y0": group_start - 0.5, "y1": i - 0.5, "layer": "below",
                               "line": {"width": 0}, "fillcolor": "#eef1f4"})
            shaded, group_start = not shaded, i
    shapes.append(_as_of_line(as_of, 1.5))
    first, last = min(r["planned_start"] for r in rows), max(r["planned_end"] for r in rows)
    late = as_of > first + (last - first) / 2
    span = [(first - dt.timedelta(days=20)).isoformat(), (last + dt.timedelta(days=31)).isoformat()]
    layout = base_layout(
        lang, "", height=max(200, 64 + TIMELINE_ROW_PX * len(rows)),
        barmode="overlay", bargap=0.3, showlegend=False, hovermode="closest",
        margin={"l": 8, "r": 8, "t": 40, "b": 16},
        shapes=shapes,
        # The "as of" note reaches into the plot, never past its edge: towards the earlier
        # dates when the date is late in the plan (on the right in Arabic, the axis runs right to left).
        annotations=[{"x": as_of.isoformat(), "y": 1, "yref": "paper", "yanchor": "top",
                      "xanchor": "left" if late == rtl else "right", "showarrow": False,
                      "text": isolate(_("As of %(date)s", date=fmt_date(as_of, lang)), lang),
                      "font": {"size": 11}, "bgcolor": "rgba(255,255,255,0.85)"}],
        # A fixed span: autorange let the "as of" note stretch the Arabic axis past the plan.
        xaxis={"type": "date", "side": "top", "range": span[::-1] if rtl else span,
               "gridcolor": GRID_COLOR, **_date_ticks(rows, lang)},
        yaxis=category_yaxis(lang, categoryorder="array", categoryarray=y,
                              tickfont={"size": 12}),
    )
    # A plain figure dict, which dcc.Graph takes as it is: plotly's validation of a
    # thousand-measure figure cost more than building the rest of the page.
    return {"data": traces, "layout": layout}


def expected_vs_actual(rows: list[dict], lang: str, title: str) -> go.Figure:
    """Grouped bars per lead entity: progress expected by now against progress reported
    (rows of ``queries.expected_vs_actual_by_lead``)."""
    if not rows:
        return empty_figure(lang, title, _("No measures match these filters"))
    rtl = lang == "ar"
    y = [isolate(r["lead"], lang) for r in rows]
    expected_label, actual_label, measures_label = (
        _("Expected by now"), _("Reported progress"), _("Measures"))
    hover = [
        isolate(f"<b>{r['lead']}</b> {r['name'][:70]}<br>{expected_label}: "
                f"{fmt_percent(r['expected'], lang)}<br>{actual_label}: "
                f"{fmt_percent(r['actual'], lang)}<br>{measures_label}: "
                f"{fmt_number(r['measures'], lang)}", lang)
        for r in rows
    ]
    traces = [
        {"type": "bar", "y": y, "x": [round(r[key] or 0, 1) for r in rows], "orientation": "h",
         "name": isolate(name, lang), "marker": {"color": color},
         "text": [isolate(fmt_percent(r[key], lang), lang) for r in rows],
         "textposition": "outside", "textfont": {"size": 11}, "cliponaxis": False,
         "hovertext": hover, "hoverinfo": "text"}
        for key, name, color in (("expected", expected_label, EXPECTED_COLOR),
                                 ("actual", actual_label, ACTUAL_COLOR))
    ]
    layout = base_layout(
        lang, title, height=max(240, 110 + 52 * len(rows)),
        barmode="group", bargap=0.25,
        # Legend pinned to the bottom of the figure in pixels, whatever its height.
        legend={"yref": "container", "y": 0, "yanchor": "bottom"},
        margin={"b": 64},
        # Room past 100 % for the value written after the bar.
        xaxis={"range": [115, 0] if rtl else [0, 115], "tickvals": list(range(0, 101, 20)),
               "ticksuffix": "%", "gridcolor": GRID_COLOR},
        yaxis=category_yaxis(lang, categoryorder="array", categoryarray=y),
    )
    return go.Figure(data=traces, layout=layout)


ACHIEVEMENT_COLORS = {
    "met": "#1b7f4b",
    "near": "#2a6fb0",
    "off_track": "#c0392b",
    "no_data": "#b9c0c8",
    "no_target": "#7a7f87",
}


def achievement_by_axis(rows: list[dict], axis_names: dict[str, str], lang: str,
                        title: str) -> go.Figure:
    """Stacked bars: indicators of each axis by achievement status (rows of
    ``queries.indicator_rows``; ``axis_names`` gives the axes in plan order)."""
    axes = [code for code in axis_names if any(r["axis"] == code for r in rows)]
    if not axes:
        return empty_figure(lang, title, _("No indicators match these filters"))
    rtl = lang == "ar"
    names = labels.achievement_status()
    x = [isolate(code, lang) for code in axes]
    traces = []
    for status, name in names.items():
        counts = [sum(1 for r in rows if r["axis"] == code and r["achievement_status"] == status)
                  for code in axes]
        if not any(counts):
            continue
        traces.append({
            "type": "bar", "x": x, "y": counts, "name": isolate(name, lang),
            "marker": {"color": ACHIEVEMENT_COLORS[status]},
            "hovertext": [isolate(f"{code} · {axis_names[code][:60]}<br>{name}: {fmt_number(n, lang)}",
                                  lang) for code, n in zip(axes, counts)],
            "hoverinfo": "text",
        })
    yaxis = {"gridcolor": GRID_COLOR, "side": "right" if rtl else "left", "rangemode": "tozero"}
    if len(rows) <= 10:
        yaxis["dtick"] = 1  # whole counts only while they are small
    layout = base_layout(
        lang, title, barmode="stack",
        xaxis={"type": "category", "autorange": "reversed" if rtl else True},
        yaxis=yaxis,
    )
    return go.Figure(data=traces, layout=layout)
