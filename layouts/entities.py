"""``/entities``: every body involved in the plan, with how the measures it leads stand.

The kind filter is a set of links (``?kind=ministry``): the page re-renders from the URL,
so a filtered list can be shared and needs no callback.
"""
from __future__ import annotations

from collections import Counter

import dash
import dash_ag_grid as dag
from dash import dcc, html
from flask_babel import gettext as _

from dashboard import labels
from dashboard.i18n import fmt_number
from dashboard.plan import queries
from dashboard.web.context import request_context
from layouts.components import data_downloads, data_grid, kpi_card, page_header, query_string

dash.register_page(__name__, path="/entities", title=lambda **_kw: _("Entities") + " · CNCLTEH")


def layout(kind=None, **_query):
    ctx = request_context()
    lang, session = ctx.lang, ctx.session
    kinds = labels.entity_kind()
    kind = kind if kind in kinds else None
    bodies = queries.entities(session, lang)
    league = {r["acronym"]: r for r in queries.entity_league(session, lang, ctx.as_of, ctx.freshness_days)}
    counts = Counter(b["kind"] for b in bodies)
    kind_order = {k: i for i, k in enumerate(kinds)}
    shown = sorted((b for b in bodies if kind is None or b["kind"] == kind),
                   key=lambda b: (kind_order.get(b["kind"], len(kinds)), b["acronym"]))

    kpis = html.Div(
        [
            html.Div(kpi_card(_("Bodies"), fmt_number(len(bodies), lang),
                              _("Involved in the national plan"), "bi-building", "entities-kpi-bodies"),
                     className="col"),
            html.Div(kpi_card(_("Members of the commission"),
                              fmt_number(sum(b["is_member"] for b in bodies), lang),
                              _("Sitting on the national commission (decree 2.17.740)"),
                              "bi-people", "entities-kpi-members"), className="col"),
            html.Div(kpi_card(_("Leading measures"), fmt_number(len(league), lang),
                              _("Bodies leading at least one measure"), "bi-flag",
                              "entities-kpi-leading"), className="col"),
        ],
        className="row row-cols-1 row-cols-md-3 g-3 mb-3",
    )
    return html.Div(
        [
            page_header(
                _("Entities"),
                _("Government departments, judicial and security bodies, institutions, "
                  "associations and partners, with the progress of the measures each one leads."),
                demo=queries.has_demo_data(session),
            ),
            kpis,
            _kind_filter(kinds, counts, kind, len(bodies), lang),
            _grid(shown, league, kinds, lang),
            data_downloads("entities", lang, kind=kind),
        ]
    )


def _kind_filter(kinds: dict[str, str], counts: Counter, chosen: str | None, total: int,
                 lang: str) -> html.Nav:
    entries = [(None, _("All"), total)] + [(k, name, counts[k]) for k, name in kinds.items() if counts[k]]
    return html.Nav(
        html.Ul(
            [
                html.Li(
                    dcc.Link(
                        [name, html.Span(fmt_number(n, lang), className="badge text-bg-light ms-2"),
                         # dcc.Link takes no aria-current; say it in words instead.
                         html.Span(_("(selected)"), className="visually-hidden") if key == chosen else None],
                        href="/entities" + query_string(kind=key),
                        className="nav-link py-1" + (" active" if key == chosen else ""),
                    ),
                    className="nav-item",
                )
                for key, name, n in entries
            ],
            className="nav nav-pills flex-wrap gap-1 small",
        ),
        className="mb-3",
        id="entities-kinds",
        **{"aria-label": _("Kind of body")},
    )


def _grid(bodies: list[dict], league: dict[str, dict], kinds: dict[str, str], lang: str) -> dag.AgGrid:
    yes, no = _("Yes"), _("No")
    rows = []
    for body in bodies:
        led = league.get(body["acronym"], {})
        progress, on_time = led.get("progress"), led.get("on_time_share")
        rows.append({
            "acronym": f"[{body['acronym']}](/entities/{body['acronym']})",
            "name": body["name"],
            "kind": kinds.get(body["kind"], body["kind"]),
            "member": yes if body["is_member"] else no,
            "measures": led.get("measures", 0),
            "progress": None if progress is None else round(progress),
            "on_time": None if on_time is None else round(on_time * 100),
            "stale": led.get("stale", 0),
        })
    columns = [
        {"field": "acronym", "headerName": _("Acronym"), "cellRenderer": "markdown", "width": 170,
         "pinned": "right" if lang == "ar" else "left"},
        {"field": "name", "headerName": _("Name"), "flex": 3, "minWidth": 260, "wrapText": True,
         "autoHeight": True},
        {"field": "kind", "headerName": _("Kind"), "width": 190},
        {"field": "member", "headerName": _("Member of the commission"), "width": 140},
        {"field": "measures", "headerName": _("Measures led"), "width": 130, "type": "numericColumn",
         "filter": "agNumberColumnFilter"},
        {"field": "progress", "headerName": _("Weighted progress (%)"), "width": 150,
         "type": "numericColumn", "filter": "agNumberColumnFilter"},
        {"field": "on_time", "headerName": _("On time (%)"), "width": 130, "type": "numericColumn",
         "filter": "agNumberColumnFilter"},
        {"field": "stale", "headerName": _("Stale updates"), "width": 130, "type": "numericColumn",
         "filter": "agNumberColumnFilter",
         "cellClassRules": {"text-danger fw-semibold": "params.value > 0"}},
    ]
    return data_grid("entities-grid", rows, columns, lang, height=640)
