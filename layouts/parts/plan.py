"""Parts of the plan explorer that its callback re-renders."""
from __future__ import annotations

from dash import dcc, html
from flask_babel import gettext as _

from dashboard import labels
from dashboard.i18n import fmt_number, fmt_percent
from dashboard.plan import queries
from layouts.components import data_downloads, pager, progress_bar

FILTERS = ("axis", "lead", "status", "schedule", "year")


def measure_filter(values: dict) -> queries.MeasureFilter:
    """Filter values from the page (empty string = all) as a query filter."""
    year = values.get("year")
    return queries.MeasureFilter(
        axis=values.get("axis") or None,
        lead=values.get("lead") or None,
        status=values.get("status") or None,
        schedule=values.get("schedule") or None,
        year=int(year) if year and str(year).isdigit() else None,
    )


def grid_downloads(lang: str, values: dict):
    """The measures grid's rows as files, for these filters."""
    chosen = measure_filter(values)
    return data_downloads("measures", lang, axis=chosen.axis, lead=chosen.lead, status=chosen.status,
                          schedule=chosen.schedule, year=chosen.year)


def filter_options(session, lang: str) -> dict[str, list[dict]]:
    return {
        "axis": [{"label": f"{a.code} · {a.name(lang)}", "value": a.code} for a in queries.axes(session)],
        "lead": [{"label": f"{e['acronym']} · {e['name']}", "value": e["acronym"]}
                 for e in queries.entities(session, lang, leading_only=True)],
        "status": [{"label": v, "value": k} for k, v in labels.measure_status().items()],
        "schedule": [{"label": v, "value": k} for k, v in labels.schedule_status().items()],
        "year": [{"label": str(y), "value": str(y)} for y in queries.plan_years(session)],
    }


TREE_PAGE = 25  # objectives listed per page under an axis


def tree_toggle() -> html.Button:
    """The plan tree's heading: nothing of the tree is built or sent before it is pressed."""
    return html.Button(
        [html.I(className="bi bi-diagram-3 me-2", **{"aria-hidden": "true"}), _("Axes and objectives")],
        id="plan-tree-open", n_clicks=0, type="button", className="btn btn-outline-primary btn-sm mb-2",
        **{"aria-controls": "plan-tree"},
    )


def tree(session, lang: str, as_of, filters: queries.MeasureFilter) -> html.Div:
    """The axes over the measures matching ``filters``, each with its weighted progress;
    an axis's objectives load when it is opened (``objectives``), a page at a time."""
    axes, _total = queries.measure_tree_level(session, lang, as_of, filters, limit=100)
    if not axes:
        return html.P(_("No measures match these filters."), className="text-body-secondary")
    return html.Div([
        html.Div(
            [
                html.Div([
                    dcc.Link(f"{a['code']} · {a['name']}", href=f"/axes/{a['code']}", className="fw-bold me-2"),
                    html.Span(_("%(count)s measures", count=fmt_number(a["measures"], lang)),
                              className="small text-body-secondary"),
                ]),
                progress_bar(a["progress"], lang),
                html.Button(_("Objectives"), id={"type": "plan-tree-axis", "axis": a["code"]},
                            n_clicks=0, type="button", className="btn btn-link btn-sm px-0"),
                html.Div(id={"type": "plan-tree-objectives", "axis": a["code"]}),
            ],
            className="card card-body shadow-sm mb-2",
        )
        for a in axes
    ])


def objectives(session, lang: str, as_of, filters: queries.MeasureFilter, axis: str, page: int) -> html.Div:
    """One page of an axis's objectives, with buttons to the pages around it."""
    start = max(0, page) * TREE_PAGE
    rows, total = queries.measure_tree_level(session, lang, as_of, filters, axis=axis, start=start,
                                             limit=TREE_PAGE)
    if not rows:
        return html.P(_("No measures match these filters."), className="small text-body-secondary mb-0")
    items = [
        html.Li([
            html.Span(f"{o['code']} · {o['name']}", className="fw-semibold me-2"),
            html.Span(_("%(count)s measures", count=fmt_number(o["measures"], lang)),
                      className="small text-body-secondary"),
            progress_bar(o["progress"], lang),
        ], className="list-group-item py-1")
        for o in rows
    ]
    parts = [html.Ul(items, className="list-group list-group-flush mt-1")]
    pages = -(-total // TREE_PAGE)
    if pages > 1:
        page = start // TREE_PAGE
        parts.append(pager({"type": "plan-tree-page", "axis": axis}, page, pages, lang))
    return html.Div(parts)


def summary_line(lang: str, summary: queries.StatusSummary) -> str:
    return _(
        "%(count)s measures · weighted progress %(progress)s · %(delayed)s behind schedule",
        count=fmt_number(summary.total, lang),
        progress=fmt_percent(summary.progress, lang),
        delayed=fmt_number(summary.by_schedule["delayed"], lang),
    )
