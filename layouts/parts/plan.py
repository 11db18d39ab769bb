"""Parts of the plan explorer that its callback re-renders."""
from __future__ import annotations

from dash import dcc, html
from flask_babel import gettext as _

from dashboard import labels, queries
from dashboard.i18n import fmt_number, fmt_percent
from layouts.components import progress_bar

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


def filter_options(session, lang: str) -> dict[str, list[dict]]:
    return {
        "axis": [{"label": f"{a.code} · {a.name(lang)}", "value": a.code} for a in queries.axes(session)],
        "lead": [{"label": f"{e['acronym']} · {e['name']}", "value": e["acronym"]}
                 for e in queries.entities(session, lang, leading_only=True)],
        "status": [{"label": v, "value": k} for k, v in labels.measure_status().items()],
        "schedule": [{"label": v, "value": k} for k, v in labels.schedule_status().items()],
        "year": [{"label": str(y), "value": str(y)} for y in queries.plan_years(session)],
    }


def tree(session, lang: str, rows: list[dict]) -> html.Div:
    """Axis > objective > measure, each level with its weighted progress."""
    if not rows:
        return html.P(_("No measures match these filters."), className="text-body-secondary")
    by_objective: dict[str, list[dict]] = {}
    for row in rows:
        by_objective.setdefault(row["objective"], []).append(row)
    objectives = [o for o in queries.objective_progress(session, lang) if o["code"] in by_objective]
    axes = {a["code"]: a for a in queries.axis_progress(session, lang)}
    blocks = []
    for axis_code in dict.fromkeys(o["axis"] for o in objectives):
        axis = axes[axis_code]
        objective_blocks = []
        for objective in (o for o in objectives if o["axis"] == axis_code):
            measures = by_objective[objective["code"]]
            objective_blocks.append(html.Details(
                [
                    html.Summary([html.Span(f"{objective['code']} · {objective['name']}", className="fw-semibold"),
                                  progress_bar(objective["progress"], lang)]),
                    html.Ul([
                        html.Li([
                            dcc.Link(f"{m['code']}", href=f"/measures/{m['code']}", className="me-2"),
                            html.Span(m["name"], className="small"),
                            progress_bar(m["progress"], lang),
                        ], className="list-group-item py-1")
                        for m in measures
                    ], className="list-group list-group-flush mt-1"),
                ],
                className="ms-3 mb-2",
            ))
        blocks.append(html.Details(
            [
                html.Summary([
                    dcc.Link(f"{axis['code']} · {axis['name']}", href=f"/axes/{axis['code']}", className="fw-bold"),
                    progress_bar(axis["progress"], lang),
                ]),
                html.Div(objective_blocks, className="mt-2"),
            ],
            open=True,
            className="card card-body shadow-sm mb-2",
        ))
    return html.Div(blocks)


def summary_line(lang: str, rows: list[dict]) -> str:
    summary = queries.summarize(rows)
    return _(
        "%(count)s measures · weighted progress %(progress)s · %(delayed)s behind schedule",
        count=fmt_number(summary.total, lang),
        progress=fmt_percent(summary.progress, lang),
        delayed=fmt_number(summary.by_schedule["delayed"], lang),
    )
