"""Parts of the plan explorer that its callback re-renders."""
from __future__ import annotations

from dash import dcc, html
from flask_babel import gettext as _

from dashboard import labels
from dashboard.i18n import fmt_number, fmt_percent
from dashboard.plan import queries
from dashboard.plan.progress import weighted_progress
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


# Past this many measures the tree stops at objectives: a list that long is unreadable
# and slow to send; the grid beside it still holds every measure.
MEASURES_IN_TREE = 150


def tree(lang: str, rows: list[dict]) -> html.Div:
    """Axis > objective > measure for the filtered measures, each level with the weighted
    progress of the measures shown under it."""
    if not rows:
        return html.P(_("No measures match these filters."), className="text-body-secondary")
    axes: dict[str, dict[str, list[dict]]] = {}
    for row in rows:
        axes.setdefault(row["axis"], {}).setdefault(row["objective"], []).append(row)
    show_measures = len(rows) <= MEASURES_IN_TREE
    blocks = []
    if not show_measures:
        blocks.append(html.P(
            _("Choose a filter to list the measures under each objective; all of them are in the table."),
            className="small text-body-secondary",
        ))
    for axis_code, objectives in axes.items():
        axis_rows = [r for measures in objectives.values() for r in measures]
        objective_blocks = []
        for objective_code, measures in objectives.items():
            summary = [html.Span(f"{objective_code} · {measures[0]['objective_name']}", className="fw-semibold"),
                       progress_bar(_rollup(measures), lang)]
            if not show_measures:
                objective_blocks.append(html.Div(summary, className="ms-3 mb-2"))
                continue
            objective_blocks.append(html.Details(
                [
                    html.Summary(summary),
                    html.Ul([
                        html.Li([
                            dcc.Link(m["code"], href=f"/measures/{m['code']}", className="me-2"),
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
                    dcc.Link(f"{axis_code} · {axis_rows[0]['axis_name']}", href=f"/axes/{axis_code}",
                             className="fw-bold"),
                    progress_bar(_rollup(axis_rows), lang),
                ]),
                html.Div(objective_blocks, className="mt-2"),
            ],
            open=True,
            className="card card-body shadow-sm mb-2",
        ))
    return html.Div(blocks)


def _rollup(rows: list[dict]) -> float | None:
    return weighted_progress((r["progress"], r["weight"], r["status"]) for r in rows)


def summary_line(lang: str, rows: list[dict]) -> str:
    summary = queries.summarize(rows)
    return _(
        "%(count)s measures · weighted progress %(progress)s · %(delayed)s behind schedule",
        count=fmt_number(summary.total, lang),
        progress=fmt_percent(summary.progress, lang),
        delayed=fmt_number(summary.by_schedule["delayed"], lang),
    )
