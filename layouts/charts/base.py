"""What every chart shares: the font, the colours, the layout mirrored in Arabic, and the
generic figures (empty, progress bars, a donut, breakdown bars).

Each figure is built once from plain lists and dicts: plotly validates
on every ``update_*``/``add_*`` call (several ms each), against about 1 ms for one
``go.Figure(data=..., layout=...)``. Titles and hover text are translated and the axes
mirrored right to left in Arabic.
"""
from __future__ import annotations

import datetime as dt
import textwrap

import plotly.graph_objects as go

from dashboard.i18n import fmt_month, fmt_number, fmt_percent, isolate
from dashboard.i18n import gettext as _

FONT = "'Noto Sans Arabic', system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

SCHEDULE_COLORS = {
    "completed": "#1b7f4b",
    "on_track": "#2a6fb0",
    "at_risk": "#d08a00",
    "delayed": "#c0392b",
    "not_started": "#7a7f87",
    "not_yet_due": "#b9c0c8",
}
STATUS_COLORS = {
    "completed": "#1b7f4b",
    "in_progress": "#2a6fb0",
    "delayed": "#c0392b",
    "suspended": "#d08a00",
    "not_started": "#7a7f87",
    "cancelled": "#4b4f55",
}
ACTUAL_COLOR = "#0b6e69"
TARGET_COLOR = "#d08a00"
BASELINE_COLOR = "#7a7f87"
GRID_COLOR = "#e3e6ea"


def _merge(base: dict, overrides: dict) -> dict:
    """``base`` updated with ``overrides``, nested dicts merged key by key like
    ``fig.update_layout`` does."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _shorten(text: str, limit: int) -> str:
    """Cut a long label at a word, with an ellipsis; the hover text keeps it whole."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def wrap_label(text: str, width: int = 24, lines: int = 2) -> str:
    """A category label on at most ``lines`` lines of ``width`` characters (plotly's ``<br>``),
    the rest cut with an ellipsis: on a 390 px phone a one-line label of 40 characters
    leaves the bars no room. The hover text keeps it whole."""
    parts = textwrap.wrap(text, width) or [""]
    if len(parts) > lines:
        parts = parts[:lines - 1] + [_shorten(" ".join(parts[lines - 1:]), width - 1)]
    return "<br>".join(parts)


def wrapped_ticks(labels: list[str], lang: str) -> dict:
    """Category axis settings that show each label wrapped (``wrap_label``) while the data
    keep the whole label."""
    return {"tickmode": "array", "tickvals": [isolate(label, lang) for label in labels],
            "ticktext": [isolate(wrap_label(label), lang) for label in labels]}


def year_ticks(first: dt.date, last: dt.date, lang: str) -> dict:
    """A tick each 1 January labelled by the year, short enough not to slant or overlap at
    390 px (plotly's month names are English); a span under two years gets a tick each
    quarter with the month's name."""
    ticks = [dt.date(year, 1, 1) for year in range(first.year, last.year + 2)
             if first <= dt.date(year, 1, 1) <= last]
    if len(ticks) < 2:
        ticks = [dt.date(year, month, 1) for year in range(first.year, last.year + 1)
                 for month in (1, 4, 7, 10) if first <= dt.date(year, month, 1) <= last]
        return {"tickvals": [t.isoformat() for t in ticks],
                "ticktext": [isolate(fmt_month(t, lang), lang) for t in ticks]}
    return {"tickvals": [t.isoformat() for t in ticks], "ticktext": [str(t.year) for t in ticks]}


# Instead of plotly's default template (6.5 KB in every figure, most of it for trace types
# the dashboard never draws): the few settings of it the charts rely on.
TEMPLATE = {"layout": {
    "colorway": ["#0b6e69", "#2a6fb0", "#d08a00", "#c0392b", "#7a7f87", "#1b7f4b", "#6f42c1"],
    "xaxis": {"gridcolor": GRID_COLOR, "zerolinecolor": GRID_COLOR, "automargin": True},
    "yaxis": {"gridcolor": GRID_COLOR, "zerolinecolor": GRID_COLOR, "automargin": True},
    "hovermode": "closest",
}}


def base_layout(lang: str, title: str, height: int = 320, **overrides) -> dict:
    """The layout shared by every chart, with ``overrides`` merged in."""
    rtl = lang == "ar"
    layout = {
        "template": TEMPLATE,
        "title": {"text": isolate(title, lang), "x": 0.98 if rtl else 0.02,
                  "xanchor": "right" if rtl else "left", "font": {"size": 15}},
        "font": {"family": FONT, "size": 13},
        "height": height,
        "margin": {"l": 16, "r": 16, "t": 48, "b": 32},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT}, "align": "right" if rtl else "left"},
        "legend": {"orientation": "h", "y": -0.15, "x": 1 if rtl else 0,
                   "xanchor": "right" if rtl else "left"},
        "separators": {"en": ".,", "fr": ", ", "ar": ",."}[lang],
    }
    return _merge(layout, overrides)


def category_yaxis(lang: str, **extra) -> dict:
    """Labels listed top to bottom, on the reading side."""
    return {"autorange": "reversed", "side": "right" if lang == "ar" else "left",
            "automargin": True, **extra}


def empty_figure(lang: str, title: str, message: str, **overrides) -> go.Figure:
    """A figure without data showing ``message``; ``overrides`` go to the layout."""
    layout = base_layout(
        lang, title, height=220,
        annotations=[{"text": isolate(message, lang), "showarrow": False, "font": {"size": 14},
                      "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper"}],
        xaxis={"visible": False}, yaxis={"visible": False}, **overrides,
    )
    return go.Figure(layout=layout)


def progress_bars(rows: list[dict], lang: str, title: str, label_key: str = "code") -> go.Figure:
    """Horizontal bars of weighted progress (0-100), one per axis or objective."""
    rtl = lang == "ar"
    plain = [_shorten(f"{r[label_key]} · {r['name']}", 48) for r in rows]
    names = [isolate(name, lang) for name in plain]
    values = [round(r["progress"] or 0, 1) for r in rows]
    text = [isolate(fmt_percent(r["progress"], lang), lang) for r in rows]
    hover = [
        isolate(f"{r['name']}<br>{_('Progress')}: {fmt_percent(r['progress'], lang)}"
                f"<br>{_('Measures')}: {fmt_number(r.get('measures'), lang)}", lang)
        for r in rows
    ]
    bars = {"type": "bar", "x": values, "y": names, "orientation": "h", "text": text,
            "textposition": "auto", "textangle": 0, "hovertext": hover, "hoverinfo": "text",
            "marker": {"color": ACTUAL_COLOR}}
    layout = base_layout(
        lang, title, height=max(220, 70 + 44 * len(rows)),
        xaxis={"range": [100, 0] if rtl else [0, 100], "ticksuffix": "%", "gridcolor": GRID_COLOR},
        yaxis=category_yaxis(lang, **wrapped_ticks(plain, lang)),
    )
    return go.Figure(data=[bars], layout=layout)


def status_donut(counts: dict[str, int], names: dict[str, str], colors: dict[str, str],
                 lang: str, title: str) -> go.Figure:
    keys = [k for k in names if counts.get(k)]
    if not keys:
        return empty_figure(lang, title, _("No data"))
    pie = {
        "type": "pie",
        "labels": [isolate(names[k], lang) for k in keys],
        "values": [counts[k] for k in keys],
        "marker": {"colors": [colors[k] for k in keys]},
        "hole": 0.55,
        "sort": False,
        "direction": "counterclockwise" if lang == "ar" else "clockwise",
        "textinfo": "value",
        "hovertemplate": "%{label}: %{value} (%{percent})<extra></extra>",
    }
    return go.Figure(data=[pie], layout=base_layout(lang, title))


def breakdown_bars(cells: list[tuple[str, float | None, str]], lang: str, title: str,
                   titled: bool = True) -> go.Figure:
    """Bars of one disaggregation: ``(label, value or None if suppressed, shown text)``.

    ``titled=False`` is for a chart under a card heading that shows ``title``: no title
    nor room above the plot, and zero-length bars (hidden or zero) write their label
    beside the axis.
    """
    overrides = {} if titled else {"margin": {"t": 8}}
    if not cells:
        return empty_figure(lang, title if titled else "", _("No disaggregated data"), **overrides)
    rtl = lang == "ar"
    bars = {
        "type": "bar", "x": [c[1] or 0 for c in cells], "y": [isolate(c[0], lang) for c in cells],
        "orientation": "h", "text": [isolate(c[2], lang) for c in cells],
        "textposition": "auto" if titled else ["outside" if not c[1] else "auto" for c in cells],
        "textangle": 0,
        "marker": {"color": [ACTUAL_COLOR if c[1] is not None else "#d7dbe0" for c in cells]},
        "hovertext": [isolate(f"{c[0]}: {c[2]}", lang) for c in cells], "hoverinfo": "text",
    }
    layout = base_layout(
        lang, title if titled else "", height=max(200, 90 + 40 * len(cells)),
        xaxis={"autorange": "reversed" if rtl else True, "gridcolor": GRID_COLOR,
               "rangemode": "tozero"},
        yaxis=category_yaxis(lang, **wrapped_ticks([c[0] for c in cells], lang)), **overrides,
    )
    return go.Figure(data=[bars], layout=layout)
