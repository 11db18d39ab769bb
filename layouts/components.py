"""Building blocks shared by the pages: headers, KPI cards, badges, grids and charts.

Plain functions that return Dash components; every visible string is translated.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_babel import gettext as _
from flask_babel import ngettext

from dashboard import labels
from dashboard.i18n import fmt_date, fmt_number, fmt_percent, isolate_runs, message_lang
from layouts.charts.base import SCHEDULE_COLORS, STATUS_COLORS, progress_bars, status_donut


def demo_notice() -> html.Div:
    return html.Div(
        [
            html.Span(_("Demonstration data"), className="badge text-bg-warning me-2 demo-badge"),
            _(
                "The official text of the plan is not public. The axes, objectives, measures "
                "and indicators shown here are an illustrative structure with demonstration "
                "figures, until the commission loads the official plan. Published statistics "
                "are real and cite their source."
            ),
        ],
        className="alert alert-warning py-2 small",
        role="note",
    )


def page_header(title: str, subtitle: str | None = None, demo: bool = False,
                crumbs: list[tuple[str, str]] | None = None) -> html.Div:
    parts = []
    if crumbs:
        parts.append(html.Nav(
            html.Ol(
                [html.Li(dcc.Link(label, href=href), className="breadcrumb-item")
                 for label, href in crumbs]
                + [html.Li(title, className="breadcrumb-item active", **{"aria-current": "page"})],
                className="breadcrumb small mb-1",
            ),
            **{"aria-label": _("Breadcrumb")},
        ))
    heading = [html.H1(title, className="h3 mb-1")]
    if demo:
        heading.append(html.Span(_("Demonstration data"),
                                 className="badge text-bg-warning demo-badge align-self-center"))
    parts.append(html.Div(heading, className="d-flex flex-wrap gap-2 align-items-start"))
    if subtitle:
        parts.append(html.P(subtitle, className="text-body-secondary mb-2"))
    if demo:
        parts.append(demo_notice())
    return html.Div(parts, className="mb-3")


def filter_select(component_id: str, label: str, options: list[dict], value,
                  column_class: str = "col-12 col-sm-6 col-lg") -> tuple[html.Div, str]:
    """A labelled filter with an "All" choice; returns it and the value it holds (a value
    from the URL that is not among the options falls back to "All")."""
    value = value if value in {o["value"] for o in options} else ""
    select = html.Div(
        [
            dbc.Label(label, html_for=component_id, className="form-label"),
            # dbc.Select shows its placeholder for the empty value.
            dbc.Select(id=component_id, options=[{"label": _("All"), "value": ""}] + options,
                       value=value, size="sm", placeholder=_("All")),
        ],
        className=column_class,
    )
    return select, value


def card(title: str | None, body) -> html.Section:
    """A titled card section (the title is an h2, under the page's h1)."""
    return html.Section(
        html.Div(([html.H2(title, className="h5")] if title else []) + [body], className="card-body"),
        className="card shadow-sm h-100",
    )


def kpi_card(label: str, value: str, detail: str | None = None, icon: str | None = None,
             card_id: str | None = None) -> html.Div:
    body = [
        html.Div([html.I(className=f"bi {icon} me-2", **{"aria-hidden": "true"}) if icon else None, label],
                 className="small text-body-secondary"),
        # Bdi keeps "27 / 47" in reading order inside right-to-left pages.
        html.Div(html.Bdi(value), className="fs-3 fw-semibold kpi-value"),
    ]
    if detail:
        body.append(html.Div(detail, className="small text-body-secondary"))
    return html.Div(html.Div(body, className="card-body"), className="card h-100 shadow-sm",
                    **({"id": card_id} if card_id else {}))


def progress_bar(value: float | None, lang: str, color: str | None = None) -> html.Div:
    """A labelled progress bar in one element (CSS draws the bar and the label): the plan
    explorer draws hundreds of them and each Dash component costs time to build and send."""
    pct = max(0.0, min(100.0, value or 0.0))
    label = fmt_percent(value, lang)
    style = {"--progress": f"{pct:.0f}%"}
    if color:
        style["--progress-color"] = color
    return html.Div(
        className="app-progress",
        style=style,
        role="progressbar",
        **{"data-label": label, "aria-valuenow": f"{pct:.0f}", "aria-valuemin": "0",
           "aria-valuemax": "100", "aria-valuetext": label, "aria-label": _("Progress")},
    )


def status_badge(status: str) -> html.Span:
    return html.Span(labels.measure_status().get(status, status), className="badge",
                     style={"backgroundColor": STATUS_COLORS.get(status, "#6c757d")})


def schedule_badge(schedule: str | None) -> html.Span:
    if schedule is None:
        return html.Span("–", className="badge text-bg-light")
    return html.Span(labels.schedule_status()[schedule], className="badge",
                     style={"backgroundColor": SCHEDULE_COLORS[schedule]})


def freshness_badge(days: int | None, stale: bool, lang: str) -> html.Span:
    if days is None:
        return html.Span(_("Never updated"), className="badge text-bg-danger")
    text = (_("Updated today") if days <= 0 else _("Yesterday") if days == 1
            else ngettext("%(days)s day ago", "%(days)s days ago", days, days=fmt_number(days, lang)))
    return html.Span(text, className="badge " + ("text-bg-danger" if stale else "text-bg-light"),
                     title=_("Stale: not updated within the reporting period") if stale else "")


# The toolbar holds one button of plotly.js, "download as PNG" (plotly.js draws the image in
# the browser); no Plotly logo or "send to Chart Studio": nothing on a chart leads off the
# site. Its words come from the chart's locale (dashboard/assets/vendor/plotly/plotly-locale-*.js).
# dashboard/assets/chart_toolbar.js adds "download as SVG" beside it (a button's action cannot
# travel in Dash's JSON config), titled by the chart's ``data-svg-title``.
GRAPH_CONFIG = {"displayModeBar": "hover", "modeBarButtons": [["toImage"]],
                "toImageButtonOptions": {"format": "png", "scale": 2},
                "responsive": True, "displaylogo": False,
                "showSendToCloud": False, "showEditInChartStudio": False}


def graph_config(graph_id: str | dict) -> dict:
    """``GRAPH_CONFIG`` in the page's language, the image named after the chart."""
    name = graph_id if isinstance(graph_id, str) else str(graph_id.get("type", "chart"))
    return {**GRAPH_CONFIG, "locale": message_lang(),
            "toImageButtonOptions": {**GRAPH_CONFIG["toImageButtonOptions"], "filename": name}}


def graph(graph_id: str | dict, figure, description: str) -> html.Div:
    """A chart with its text alternative, announced as an image with a description (a
    ``div``: ARIA does not allow the image role on a ``figure``)."""
    height = figure_height(figure)
    description = isolate_runs(description, message_lang())  # codes and shares inside Arabic
    return html.Div(
        [
            dcc.Graph(id=graph_id, figure=figure, config=graph_config(graph_id),
                      style={"height": f"{height}px"}),
            html.Span(description, className="visually-hidden"),
        ],
        className="mb-0",
        # The chart's height is reserved before plotly.js arrives (dcc.Graph draws nothing
        # until then), so nothing below it moves.
        style={"minHeight": f"{height}px"},
        role="img",
        **{"aria-label": description, "data-svg-title": _("Download plot as an SVG")},
    )


def figure_height(figure) -> int:
    """The height a figure is drawn at (plotly's default, 450, when it sets none)."""
    height = figure.layout.height if hasattr(figure, "layout") else (figure or {}).get("layout", {}).get("height")
    return int(height or 450)


def schedule_chart(graph_id: str, by_schedule: dict[str, int], lang: str,
                   title: str | None = None) -> html.Div:
    """Donut of measures by schedule status, with its text alternative and what it means."""
    names = labels.schedule_status()
    title = title or _("Measures by schedule status")
    return html.Div([
        graph(
            graph_id,
            status_donut(by_schedule, names, SCHEDULE_COLORS, lang, title),
            f"{title}: " + "; ".join(f"{names[s]} {fmt_number(n, lang)}" for s, n in by_schedule.items()),
        ),
        html.P(_("The schedule status compares the share of the planned time that has passed "
                 "with the progress reported, so it can differ from the status the lead entity "
                 "reports."), className="small text-body-secondary mb-0"),
    ])


def progress_chart(graph_id: str, rows: list[dict], lang: str, title: str) -> html.Div:
    """Bars of weighted progress, one per axis or objective, with their text alternative."""
    return graph(
        graph_id,
        progress_bars(rows, lang, title),
        f"{title}: " + "; ".join(f"{r['code']} {fmt_percent(r['progress'], lang)}" for r in rows),
    )


def loading(children, component_id: str | None = None):
    # The page arrives with its content: no spinner (which hides the content and shifts the
    # page) until a callback re-renders it.
    return dcc.Loading(children, type="default", delay_show=150, show_initially=False,
                       **({"id": component_id} if component_id else {}))


def query_string(**params) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "", [])}
    return "?" + urlencode(clean) if clean else ""


def measure_grid_rows(rows: list[dict], lang: str) -> list[dict]:
    """Rows of ``queries.measure_rows`` as the measures grid shows them."""
    statuses = labels.measure_status()
    schedules = labels.schedule_status()
    return [
        {
            "code": f"[{r['code']}](/measures/{r['code']})",
            "name": r["name"],
            "lead": f"[{r['lead']}](/entities/{r['lead']})",
            "status": statuses.get(r["status"], r["status"]),
            "schedule": schedules.get(r["schedule"], "–") if r["schedule"] else "–",
            "progress": r["progress"],
            "start": r["planned_start"].isoformat(),
            "end": r["planned_end"].isoformat(),
            "updated": fmt_date(r["last_updated"], lang),
            "age": r["days_since_update"],
            "stale": r["stale"],
        }
        for r in rows
    ]


def measure_grid(grid_id: str, rows: list[dict], lang: str, height: int = 520,
                 infinite: bool = False) -> dag.AgGrid:
    """The measures table (dash-ag-grid), right-to-left in Arabic; ``infinite``: no rows,
    the grid asks its callback for each page (``queries.measure_page``)."""
    schedules = labels.schedule_status()
    columns = [
        {"field": "code", "headerName": _("Code"), "cellRenderer": "markdown", "width": 120,
         "pinned": "right" if lang == "ar" else "left"},
        {"field": "name", "headerName": _("Measure"), "flex": 3, "minWidth": 260,
         "wrapText": True, "autoHeight": True},
        {"field": "lead", "headerName": _("Lead entity"), "cellRenderer": "markdown", "width": 140},
        {"field": "status", "headerName": _("Status"), "width": 140},
        {"field": "schedule", "headerName": _("Schedule"), "width": 160, "wrapText": True,
         "cellClassRules": {"text-danger fw-semibold": f"params.value == {js_string(schedules['delayed'])}",
                            "text-warning-emphasis": f"params.value == {js_string(schedules['at_risk'])}"}},
        {"field": "progress", "headerName": _("Progress (%)"), "width": 130, "type": "numericColumn",
         "filter": "agNumberColumnFilter"},
        {"field": "start", "headerName": _("Planned start"), "width": 130},
        {"field": "end", "headerName": _("Planned end"), "width": 130},
        # Shown formatted: sorted on the server, filtered through "Days since update".
        {"field": "updated", "headerName": _("Last update"), "width": 140, "filter": False},
        {"field": "age", "headerName": _("Days since update"), "width": 150, "type": "numericColumn",
         "filter": "agNumberColumnFilter",
         # params.data is missing while an infinite grid's page loads.
         "cellClassRules": {"text-danger fw-semibold": "params.data && params.data.stale"}},
    ]
    return data_grid(grid_id, [] if infinite else measure_grid_rows(rows, lang), columns, lang, height=height,
                     infinite=infinite)


def grid_page(rows: list[dict], total: int) -> dict:
    """A ``getRowsResponse``: one page of rows and how many match in all."""
    return {"rowData": rows, "rowCount": total}


def pager(id_base: dict, page: int, pages: int, lang: str) -> html.Div:
    """Previous / "Page n of m" / Next, for a list paged on the server: each button's id is
    ``id_base`` with the page it opens (0-based); a callback reads them with ``ALL``."""
    def button(label: str, target: int, enabled: bool) -> html.Button:
        return html.Button(label, id={**id_base, "page": target}, n_clicks=0, type="button",
                           disabled=not enabled, className="btn btn-outline-secondary btn-sm")
    return html.Div(
        [
            button(_("Previous"), page - 1, page > 0),
            html.Span(f"{_('Page')} {fmt_number(page + 1, lang)} {_('of')} {fmt_number(pages, lang)}",
                      className="small"),
            button(_("Next"), page + 1, page + 1 < pages),
        ],
        className="d-flex align-items-center gap-2 mt-2",
    )


LIST_PAGE = 24  # cards a list shows at a time: what a page sends does not grow with the list


def list_page(rows: list, page: object = 0, per_page: int | None = None) -> tuple[list, int, int]:
    """One page of ``rows``: (its rows, its number, the number of pages). ``page`` comes
    from the browser: anything not a page number is the first page; it is clamped."""
    per_page = per_page or LIST_PAGE
    pages = max(1, -(-len(rows) // per_page))
    number = page if isinstance(page, int) and not isinstance(page, bool) else 0
    number = min(max(number, 0), pages - 1)
    return rows[number * per_page:(number + 1) * per_page], number, pages


def download_links(href: str, query: str, filename: str) -> html.Div:
    """A table's or chart's figures as CSV, Excel and JSON: ``href`` plus the format, with
    ``query`` (the page's filters and language), so the file holds what the reader sees."""
    def link(kind: str, label: str) -> html.A:
        return html.A([html.I(className="bi bi-download me-1", **{"aria-hidden": "true"}), label],
                      href=f"{href}.{kind}{query}", className="btn btn-outline-secondary btn-sm",
                      download=f"{filename}.{kind}")

    return html.Div([link("csv", _("Download CSV")), link("xlsx", _("Download Excel")),
                     link("json", _("Download JSON"))], className="d-flex flex-wrap gap-2")


def data_downloads(dataset: str, lang: str, filename: str | None = None, **filters) -> html.Div:
    """``download_links`` for ``/export/<dataset>`` (``publishing.exports``): a table's or
    chart's data as files, with the page's filters and language."""
    return html.Div(download_links(f"/export/{dataset}", query_string(lang=lang, **filters), filename or dataset),
                    className="mt-2 data-downloads")


def more_link(shown: int, total: int, href: str, lang: str) -> html.P | None:
    """Under a list cut at ``shown`` of ``total``: where to see them all (a paged view)."""
    if total <= shown:
        return None
    return html.P(dcc.Link(_("See all %(n)s", n=fmt_number(total, lang)), href=href),
                  className="small mt-2 mb-0 more-link")


WRAPPED_CELL = {"lineHeight": "1.35", "paddingTop": "6px", "paddingBottom": "6px"}


def data_grid(grid_id: str, row_data: list[dict], columns: list[dict], lang: str,
              height: int | None = 520, page_size: int = 25, infinite: bool = False) -> dag.AgGrid:
    """A dash-ag-grid table with the app's defaults: right to left in Arabic, AG Grid's
    own words translated, pages of ``page_size``; ``height=None`` fits the rows.

    ``infinite``: AG Grid's infinite row model; the grid sends ``getRowsRequest`` for each
    page and a callback answers ``getRowsResponse`` (``grid_page``), sorted and filtered
    on the server, so what is sent does not grow with the data."""
    for column in columns:
        if column.get("wrapText"):
            column.setdefault("cellStyle", WRAPPED_CELL)
    options = {
        "enableRtl": lang == "ar",
        "pagination": True,
        "paginationPageSize": page_size,
        "paginationPageSizeSelector": False,
        "localeText": grid_locale_text(),
    }
    if height is None:
        options["domLayout"] = "autoHeight"
    extra = {"rowData": row_data}
    if infinite:
        # One request per page shown; a handful of pages kept in the browser.
        options.update({"cacheBlockSize": page_size, "maxBlocksInCache": 10,
                        "infiniteInitialRowCount": page_size})
        extra = {"rowModelType": "infinite"}
    return dag.AgGrid(
        id=grid_id,
        **extra,
        columnDefs=columns,
        # Long headers (Arabic ones especially) wrap instead of being cut.
        defaultColDef={"sortable": True, "resizable": True, "filter": True,
                       "wrapHeaderText": True, "autoHeaderHeight": True},
        dashGridOptions=options,
        style={"height": f"{height}px"} if height else {},
        dangerously_allow_code=False,
    )


def js_string(text: str) -> str:
    """A JavaScript string literal, for AG Grid rules that compare translated labels."""
    return json.dumps(text, ensure_ascii=False)


def grid_locale_text() -> dict:
    """AG Grid's own words (pagination, filters) in the page language."""
    return {
        "page": _("Page"),
        "of": _("of"),
        "to": _("to"),
        "more": _("more"),
        "next": _("Next"),
        "last": _("Last"),
        "first": _("First"),
        "previous": _("Previous"),
        "noRowsToShow": _("No rows to show"),
        "loadingOoo": _("Loading..."),
        "filterOoo": _("Filter..."),
        "equals": _("Equals"),
        "notEqual": _("Does not equal"),
        "contains": _("Contains"),
        "notContains": _("Does not contain"),
        "startsWith": _("Starts with"),
        "endsWith": _("Ends with"),
        "lessThan": _("Less than"),
        "greaterThan": _("Greater than"),
        "inRange": _("Between"),
        "blank": _("Blank"),
        "notBlank": _("Not blank"),
        "andCondition": _("AND"),
        "orCondition": _("OR"),
        "applyFilter": _("Apply"),
        "resetFilter": _("Reset"),
        "clearFilter": _("Clear"),
        "ariaFilterValue": _("Filter value"),
        "ariaPageSizeSelectorLabel": _("Page size"),
        "pageSizeSelectorLabel": _("Page size:"),
        "ariaRowSelect": _("Select row"),
        "ariaSortableColumn": _("Press Enter to sort"),
        "sortAscending": _("Sort ascending"),
        "sortDescending": _("Sort descending"),
    }


def not_found(message: str, back_href: str, back_label: str) -> html.Div:
    """What a page shows for an unknown or hidden code in its URL."""
    return html.Div(
        [
            html.H1(_("Not found"), className="h3"),
            html.P(message),
            dcc.Link(back_label, href=back_href, className="btn btn-outline-primary btn-sm"),
        ],
        className="py-4",
        id="not-found",
    )


def code_label(code: str) -> str:
    """A code or an acronym put before a name: isolated in Arabic, so that the separator and
    the name keep their place."""
    return isolate_runs(str(code), message_lang())
