"""The charts of ``/partners``: funding by partner or by axis, and committed against
disbursed per programme, in dirhams.

An amount that is not published is a labelled point, never a zero-length bar; the budgets
of regional and global programmes are hatched and never added to Morocco's.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go

from dashboard.i18n import fmt_list, fmt_mad, isolate
from dashboard.i18n import gettext as _
from dashboard.national.funding import SCOPES, Rate
from layouts.charts.base import ACTUAL_COLOR, GRID_COLOR, base_layout, category_yaxis, wrapped_ticks

DISBURSED_COLOR = "#2a6fb0"
UNKNOWN_COLOR = "#6c757d"
# Hatching tells a whole regional or global budget apart from a Morocco-specific one.
SCOPE_PATTERNS = {"morocco": "", "regional": "/", "global": "x"}


@dataclass(frozen=True)
class FundingWords:
    """What the funding charts write, as the page words it (``layouts.parts.funding``)."""

    scope_names: dict[str, str]
    scope_notes: dict[str, str]
    not_published: str
    short_name: Callable[[dict], str]
    mad_text: Callable[[Decimal | None, Rate | None, str], str]
    unknown_text: Callable[[int, int, str], str]


def _amount_axis(largest: float, lang: str) -> dict:
    """A value axis with room after the longest bar for the "not published" labels."""
    top = largest * 1.6 if largest else 1
    # Three ticks at most: amounts such as "150M" collide beside wrapped labels on a phone.
    axis = {"range": [top, 0] if lang == "ar" else [0, top], "gridcolor": GRID_COLOR, "nticks": 3,
            "title": {"text": isolate(_("Dirhams (MAD)"), lang)}}
    if not largest:
        axis.update(showticklabels=False, showgrid=False, title={"text": ""})
    return axis


def buckets_figure(buckets: list[dict], names: list[str], lang: str, title: str,
                   words: FundingWords) -> go.Figure:
    """Horizontal bars of each bucket's known amounts in dirhams, one bar per scope side by
    side (scopes are never added, not even visually); a labelled point at the end of the
    longest bar counts the amounts that are not published."""
    y = [isolate(name, lang) for name in names]
    scope_labels, notes = words.scope_names, words.scope_notes
    traces = []
    for scope in SCOPES:
        totals = [b["totals"][scope] for b in buckets]
        values = [float(t.mad) if t.with_amount - t.without_rate else None for t in totals]
        if not any(v is not None for v in values):
            continue
        traces.append({
            "type": "bar", "orientation": "h", "y": y, "x": values,
            "name": isolate(scope_labels[scope], lang),
            "marker": {"color": ACTUAL_COLOR, "pattern": {"shape": SCOPE_PATTERNS[scope]}},
            "hovertext": [isolate(f"{name}<br>{scope_labels[scope]}: {fmt_mad(t.mad, lang)}"
                                  f"<br>{notes[scope]}", lang) for name, t in zip(names, totals)],
            "hoverinfo": "text",
        })
    known = [float(max(b["totals"][s].mad for s in SCOPES)) for b in buckets]
    missing = [(i, sum(b["totals"][s].without_amount for s in SCOPES),
                sum(b["totals"][s].without_rate for s in SCOPES)) for i, b in enumerate(buckets)]
    missing = [(i, n, r) for i, n, r in missing if n or r]
    if missing:
        texts = [words.unknown_text(n, r, lang) for _i, n, r in missing]
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": isolate(words.not_published, lang),
            "y": [y[i] for i, _n, _r in missing], "x": [known[i] for i, _n, _r in missing],
            "text": [isolate(t, lang) for t in texts],
            "textposition": "middle left" if lang == "ar" else "middle right",
            "cliponaxis": False,
            "marker": {"symbol": "circle-open", "size": 11, "color": UNKNOWN_COLOR, "line": {"width": 2}},
            "hovertext": [isolate(f"{names[i]}: {t}<br>"
                                  + fmt_list([words.short_name(r) for r in buckets[i]["programmes"]
                                              if r["committed_mad"] is None], lang), lang)
                          for (i, _n, _r), t in zip(missing, texts)],
            "hoverinfo": "text",
        })
    layout = base_layout(
        lang, title, height=max(240, 110 + 46 * len(buckets)), barmode="group",
        legend={"yref": "container", "y": 0, "yanchor": "bottom"}, margin={"b": 64},
        xaxis=_amount_axis(max(known, default=0), lang),
        yaxis=category_yaxis(lang, categoryorder="array", categoryarray=y, ticklabelstandoff=10,
                             **wrapped_ticks(names, lang)),
    )
    return go.Figure(data=traces, layout=layout)


def committed_disbursed_figure(rows: list[dict], lang: str, title: str, words: FundingWords) -> go.Figure:
    """Committed against disbursed, per programme, in dirhams; unknown amounts are points
    labelled "not published"."""
    short = [words.short_name(r) for r in rows]
    y = [isolate(name, lang) for name in short]
    hover = [f"{r['name']}<br>{words.scope_notes[r['scope']]}" for r in rows]
    traces = []
    for key, label, color in (("committed", _("Committed"), ACTUAL_COLOR),
                              ("disbursed", _("Disbursed"), DISBURSED_COLOR)):
        values = [None if r[f"{key}_mad"] is None else float(r[f"{key}_mad"]) for r in rows]
        if not any(v is not None for v in values):
            continue
        traces.append({
            "type": "bar", "orientation": "h", "y": y, "x": values, "name": isolate(label, lang),
            "marker": {"color": color, "pattern": {"shape": [SCOPE_PATTERNS[r["scope"]] for r in rows]}},
            "hovertext": [isolate(f"{h}<br>{label}: {words.mad_text(r[f'{key}_mad'], r['rate'], lang)}", lang)
                          for h, r in zip(hover, rows)],
            "hoverinfo": "text",
        })
    unknown = []
    for i, row in enumerate(rows):
        missing = [label for key, label in (("committed", _("committed")), ("disbursed", _("disbursed")))
                   if row[f"{key}_mad"] is None]
        if missing:
            unknown.append((i, _("%(what)s: not published", what=fmt_list(missing, lang))))
    if unknown:
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": isolate(words.not_published, lang),
            "y": [y[i] for i, _t in unknown],
            "x": [float(rows[i]["committed_mad"] or 0) for i, _t in unknown],
            "text": [isolate(text, lang) for _i, text in unknown],
            "textposition": "middle left" if lang == "ar" else "middle right", "cliponaxis": False,
            "marker": {"symbol": "circle-open", "size": 11, "color": UNKNOWN_COLOR, "line": {"width": 2}},
            "hovertext": [isolate(f"{hover[i]}<br>{text}", lang) for i, text in unknown],
            "hoverinfo": "text",
        })
    largest = max((float(r["committed_mad"] or 0) for r in rows), default=0)
    layout = base_layout(
        lang, title, height=max(240, 110 + 46 * len(rows)), barmode="group",
        legend={"yref": "container", "y": 0, "yanchor": "bottom"}, margin={"b": 64},
        xaxis=_amount_axis(largest, lang),
        yaxis=category_yaxis(lang, categoryorder="array", categoryarray=y, ticklabelstandoff=10,
                             **wrapped_ticks(short, lang)),
    )
    return go.Figure(data=traces, layout=layout)
