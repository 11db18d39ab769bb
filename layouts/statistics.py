"""``/statistics``: the national figures on trafficking in persons, by publisher.

Every figure on this page, in its chart hovers and in its CSV downloads has been through
``statistics.released_figures``: readers without exact access (the public, donors) see
"<5" for a count from 1 to 4, and other cells are hidden when they would give one away.
The filters (publisher, year, series broken down) stay in the URL."""
from __future__ import annotations

import dash
from dash import html
from flask_babel import gettext as _

from dashboard import labels
from dashboard.national.statistics import BREAKDOWN_SERIES, filter_from, released_figures
from dashboard.web.context import request_context
from dashboard.web.settings import small_cell_threshold
from layouts.components import filter_select, loading, page_header
from layouts.parts.indicators import small_label
from layouts.parts.statistics import body

dash.register_page(__name__, path="/statistics", title=lambda **_kw: _("National statistics") + " · CNCLTEH")


def layout(publisher=None, year=None, series=None, **_query):
    ctx = request_context()
    lang, threshold = ctx.lang, small_cell_threshold()
    figures = released_figures(ctx.session, ctx.actor, lang, threshold)
    selects, chosen = [], {}
    asked = {"publisher": publisher, "year": year}
    options = {
        "publisher": [{"label": f"{acronym} · {name}", "value": acronym}
                      for acronym, name in sorted({(f.publisher, f.publisher_name) for f in figures})],
        "year": [{"label": str(y), "value": str(y)}
                 for y in sorted({f.year for f in figures if f.year}, reverse=True)],
    }
    for key, label in (("publisher", _("Publisher")), ("year", _("Year"))):
        select, chosen[key] = filter_select(f"statistics-{key}", label, options[key],
                                            str(asked[key] or ""), "col-12 col-sm-6 col-lg-4")
        selects.append(select)
    broken_down = sorted({f.series for f in figures if f.cells}, key=lambda s: s != BREAKDOWN_SERIES)
    series_select, chosen["series"] = filter_select(
        "statistics-series", _("Breakdowns of"),
        [{"label": labels.statistic_series().get(s, s), "value": s} for s in broken_down],
        series or "", "col-12 col-sm-6 col-lg-4")
    selects.append(series_select)
    filters = filter_from(chosen)
    return html.Div([
        page_header(_("National statistics"),
                    _("Victims identified, cases, prosecutions and convictions, as each body publishes them.")),
        html.Div([
            html.P(_("The US State Department, the Public Prosecution, the CSPJ, the CNDH and the commission count "
                     "different things: a case, a person prosecuted or a ruling. Their figures are shown side by "
                     "side, each with its source, and never added together."), className="mb-1"),
            html.P(_disclosure_note(figures, lang, threshold), className="mb-0 small",
                   id="statistics-disclosure-note"),
            _downloads_note(figures),
        ], className="alert alert-info", role="note"),
        _demo_note() if any(f.is_demo for f in figures) else None,
        html.Div(selects, className="row g-2 mb-3 filter-bar", role="search", **{"aria-label": _("Filters")}),
        loading(html.Div(body(figures, lang, threshold, filters), id="statistics-body",
                         **{"aria-live": "polite"})),
    ], id="statistics-page")


def _disclosure_note(figures, lang: str, threshold: int) -> str:
    if figures and all(f.exact for f in figures):
        return _("You see exact figures: public pages show counts from 1 to %(n)s as \"%(label)s\" and "
                 "hide a few other cells.", n=threshold - 1, label=small_label(threshold, lang))
    return _("Counts from 1 to %(n)s are shown as \"%(label)s\", and a few other cells are hidden (\"–\") "
             "so that they cannot be worked out by subtraction.", n=threshold - 1,
             label=small_label(threshold, lang))


def _downloads_note(figures) -> html.P | None:
    """Why a figure downloaded earlier may now be hidden: readers who see protected figures."""
    if figures and all(f.exact for f in figures):
        return None
    return html.P(_("Earlier downloads may differ: figures are protected as whole tables, so a figure "
                    "published later can hide (\"–\") one shown before, to protect a small count."),
                  className="mb-0 small mt-1", id="statistics-downloads-note")


def _demo_note() -> html.Div:
    return html.Div([
        html.Span(_("Demonstration data"), className="badge text-bg-warning me-2 demo-badge"),
        _("Figures marked as demonstration data are invented, to show how producers' yearly figures "
          "and their regional breakdowns will appear. The other figures are published ones."),
    ], className="alert alert-warning py-2 small", role="note")
