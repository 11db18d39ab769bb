"""Parts of the indicator pages that their callbacks re-render.

Figures come from ``dashboard.indicator_values`` and ``queries.indicator_rows`` already
released for the reader (counts of victims through ``dashboard.disclosure``): these parts
only format them, a small count as "<5" and a count hidden to protect it as "–".
"""
from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_babel import gettext as _

from dashboard import labels
from dashboard.i18n import fmt_datetime, fmt_number, fmt_percent, fmt_value
from dashboard.models import DISAGGREGATIONS, Indicator
from dashboard.national import geo
from dashboard.national.disclosure import SMALL
from dashboard.paging import rows_page
from dashboard.permissions import Actor, allowed
from dashboard.plan import indicator_values, queries
from dashboard.plan import progress as rules
from dashboard.web.settings import small_cell_threshold
from dashboard.workflow import worklists
from layouts.charts.base import breakdown_bars
from layouts.charts.plan import achievement_by_axis
from layouts.components import (
    data_downloads,
    data_grid,
    download_links,
    graph,
    grid_page,
    js_string,
    kpi_card,
    query_string,
)
from layouts.parts.comments import comment_thread
from layouts.parts.evidence import evidence_list, evidence_upload
from layouts.parts.form_errors import described, error_slot
from layouts.parts.workflow import breakdown_text, state_badge

FILTERS = ("axis", "type", "responsible")


# --- values -----------------------------------------------------------------------------


def small_label(threshold: int, lang: str) -> str:
    """How a count hidden because it is small reads, e.g. "<5"."""
    return _("<%(n)s", n=fmt_number(threshold, lang))


def point_text(point: indicator_values.Point | None, unit: str, lang: str, threshold: int) -> str:
    """A released value: "<5" when it is small, "–" when it is hidden to protect another."""
    if point is not None and point.status == SMALL:
        return small_label(threshold, lang)
    return fmt_value(None if point is None else point.value, unit, lang)


def source_text(source: str, is_demo: bool) -> str:
    return _("Demonstration data") if is_demo else (source or "–")


# --- /indicators ------------------------------------------------------------------------


def indicator_filter(values: dict) -> queries.IndicatorFilter:
    """Filter values from the page (empty string = all) as a query filter."""
    return queries.IndicatorFilter(
        axis=values.get("axis") or None,
        type=values.get("type") or None,
        responsible=values.get("responsible") or None,
    )


def table_downloads(lang: str, filters: queries.IndicatorFilter) -> html.Div:
    """The table as files, for the same reader and filters."""
    return html.Div(download_links("/indicators/export", query_string(
        lang=lang, axis=filters.axis, type=filters.type, responsible=filters.responsible), "indicators"),
        className="mb-2")


def filter_options(session, lang: str, include_restricted: bool = False) -> dict[str, list[dict]]:
    return {
        "axis": [{"label": f"{a.code} · {a.name(lang)}", "value": a.code} for a in queries.axes(session)],
        "type": [{"label": v, "value": k} for k, v in labels.indicator_type().items()],
        "responsible": [{"label": f"{e['acronym']} · {e['name']}", "value": e["acronym"]}
                        for e in queries.indicator_responsibles(session, lang, include_restricted)],
    }


def visible_rows(ctx, filters: queries.IndicatorFilter | None = None) -> list[queries.IndicatorRow]:
    """``queries.indicator_rows`` as the request's user may see them (all of them without filters)."""
    filters = filters or queries.IndicatorFilter()
    return queries.indicator_rows(ctx.session, ctx.lang, ctx.as_of, ctx.freshness_days,
                                  actor=ctx.actor, filters=filters, threshold=small_cell_threshold())


def restricted_badge() -> html.Span:
    """Marks an indicator that public pages do not show (only its readers see it)."""
    return html.Span(_("Restricted"), className="badge text-bg-danger",
                     title=_("Not shown on public pages"))


def grid_rows(rows: list[queries.IndicatorRow], lang: str, show_access: bool = False) -> list[dict]:
    """Rows for the grid; ``show_access`` adds the access column of restricted readers."""
    restricted = _("Restricted") if show_access else ""
    public = _("Public") if show_access else ""
    types, units, statuses = labels.indicator_type(), labels.unit(), labels.achievement_status()
    result = []
    for r in rows:
        latest = (small_label(r["threshold"], lang) if r["latest_hidden"]
                  else fmt_value(r["latest_value"], r["unit"], lang))
        result.append({
            "code": f"[{r['code']}](/indicators/{r['code']})",
            "name": r["name"],
            "type": types.get(r["type"], r["type"]),
            "unit": units.get(r["unit"], r["unit"]),
            "baseline": _with_year(fmt_value(r["baseline_value"], r["unit"], lang), r["baseline_year"]),
            "latest": _with_year(latest, r["latest_year"]),
            "target": fmt_value(r["target"], r["unit"], lang),
            "achievement": None if r["achievement"] is None else round(r["achievement"] * 100),
            "status": statuses[r["achievement_status"]],
            "responsible": f"[{r['responsible']}](/entities/{r['responsible']})" if r["responsible"] else "–",
            "age": r["days_since_update"],
            "stale": r["stale"],
            "data": "–" if r["value_is_demo"] is None
            else (_("Demonstration data") if r["value_is_demo"] else _("Published")),
        })
        if show_access:
            result[-1]["access"] = public if r["is_public"] else restricted
    return result


def _with_year(text: str, year: int | None) -> str:
    return f"{text} ({year})" if year else text


GRID_TEXT_FIELDS = ("code", "name", "access", "latest", "target", "status", "baseline", "responsible", "data",
                    "type", "unit")
GRID_NUMBER_FIELDS = ("achievement", "age")


def indicator_grid(grid_id: str, lang: str, show_access: bool = False) -> dag.AgGrid:
    """The indicators table (dash-ag-grid), right-to-left in Arabic; ``show_access`` adds
    a column that marks the restricted indicators. Its rows come a page at a time
    (``indicator_grid_page``)."""
    statuses = labels.achievement_status()
    columns = [
        {"field": "code", "headerName": _("Code"), "cellRenderer": "markdown", "width": 110,
         "pinned": "right" if lang == "ar" else "left"},
        # Rows of an infinite grid have one height: a long name is cut and shown whole on hover.
        {"field": "name", "headerName": _("Indicator"), "flex": 3, "minWidth": 240, "tooltipField": "name"},
        {"field": "latest", "headerName": _("Latest value"), "width": 150},
        {"field": "target", "headerName": _("Target for that year"), "width": 150},
        {"field": "achievement", "headerName": _("Achievement (%)"), "width": 140,
         "type": "numericColumn", "filter": "agNumberColumnFilter"},
        {"field": "status", "headerName": _("Achievement status"), "width": 160,
         "cellClassRules": {"text-danger fw-semibold": f"params.value == {js_string(statuses['off_track'])}",
                            "text-success fw-semibold": f"params.value == {js_string(statuses['met'])}"}},
        {"field": "baseline", "headerName": _("Baseline"), "width": 140},
        {"field": "responsible", "headerName": _("Responsible entity"), "cellRenderer": "markdown",
         "width": 150},
        {"field": "age", "headerName": _("Days since last report"), "width": 160,
         "type": "numericColumn", "filter": "agNumberColumnFilter",
         "cellClassRules": {"text-danger fw-semibold": "params.data.stale"}},
        {"field": "data", "headerName": _("Data"), "width": 170},
        {"field": "type", "headerName": _("Type"), "width": 110},
        {"field": "unit", "headerName": _("Unit"), "width": 110},
    ]
    if show_access:
        columns.insert(2, {"field": "access", "headerName": _("Access"), "width": 120,
                           "cellClassRules": {"text-danger fw-semibold":
                                              f"params.value == {js_string(_('Restricted'))}"}})
    return data_grid(grid_id, [], columns, lang, height=560, infinite=True)


def indicator_grid_page(rows: list[queries.IndicatorRow], lang: str, show_access: bool, request) -> dict:
    """The ``getRowsResponse`` of the indicators table: one page of ``rows``."""
    page, total = rows_page(grid_rows(rows, lang, show_access), request, GRID_TEXT_FIELDS, GRID_NUMBER_FIELDS)
    return grid_page(page, total)


def kpis(rows: list[dict], lang: str, freshness_days: int) -> html.Div:
    counts = queries.indicator_summary(rows)
    stale = sum(1 for r in rows if r["stale"])
    cards = [kpi_card(_("Indicators"), fmt_number(len(rows), lang),
                      _("%(n)s without a report for more than %(days)s days",
                        n=fmt_number(stale, lang), days=fmt_number(freshness_days, lang)),
                      "bi-graph-up", "indicators-kpi-total")]
    cards += [kpi_card(name, fmt_number(counts[status], lang), card_id=f"indicators-kpi-{status}")
              for status, name in labels.achievement_status().items()]
    return html.Div([html.Div(card, className="col") for card in cards],
                    className="row row-cols-2 row-cols-md-3 row-cols-xl-6 g-3 mb-3")


def axis_chart(session, rows: list[dict], lang: str, filters: queries.IndicatorFilter | None = None) -> html.Div:
    """The chart, and its counts as files for the same filters."""
    filters = filters or queries.IndicatorFilter()
    axis_names = {a.code: a.name(lang) for a in queries.axes(session)}
    title = _("Indicators by achievement status and strategic axis")
    names = labels.achievement_status()
    described = []
    for code in axis_names:
        own = [r for r in rows if r["axis"] == code]
        if own:
            counts = queries.indicator_summary(own)
            described.append(f"{code}: " + ", ".join(f"{names[s]} {n}" for s, n in counts.items()))
    return html.Div([
        graph("indicators-axis-chart", achievement_by_axis(rows, axis_names, lang, title),
              title + ". " + "; ".join(described)),
        data_downloads("indicator-achievement", lang, "indicators-by-achievement", axis=filters.axis,
                       type=filters.type, responsible=filters.responsible),
    ])


def summary_line(lang: str, rows: list[dict]) -> str:
    counts = queries.indicator_summary(rows)
    return _("%(count)s indicators · %(met)s targets met · %(off)s off track",
             count=fmt_number(len(rows), lang), met=fmt_number(counts["met"], lang),
             off=fmt_number(counts["off_track"], lang))


# --- /indicators/<code> -----------------------------------------------------------------


def breakdown_section(session, actor: Actor, indicator: Indicator, year: int | None,
                      lang: str) -> html.Div:
    """One bar chart per supported dimension for a year, as ``indicator_values`` releases
    them for ``actor``."""
    values = indicator_values.released_values(session, actor, indicator, lang)
    if year is None:
        years = values.years_with_breakdowns()
        year = years[-1] if years else None
    if year is None or not indicator.disaggregations:
        return html.P(_("No disaggregated data"), className="text-body-secondary")
    threshold = values.threshold
    names = {**labels.disaggregation_value(), **geo.region_names(session, lang)}
    dimensions = labels.disaggregation()
    blocks = []
    data = values.breakdown(year)
    for dimension in indicator.disaggregations:
        order = {value: i for i, value in enumerate(DISAGGREGATIONS.get(dimension, ()))}
        shown = data.cells.get(dimension, {})
        keys = sorted(shown, key=lambda k: (order.get(k, len(order)), k))
        title = _("%(dimension)s, %(year)s", dimension=dimensions.get(dimension, dimension),
                  year=year)
        if data.withheld:
            body = html.P(_("Not shown: these numbers are too small to publish without the risk "
                            "of identifying victims."), className="text-body-secondary mb-0")
        else:
            cells = []
            for key in keys:
                if shown[key] is not None:
                    text = fmt_value(shown[key], indicator.unit, lang)
                elif f"{dimension}={key}" in data.small:
                    text = small_label(threshold, lang)
                else:
                    text = _("hidden")
                cells.append((names.get(key, key), shown[key], text))
            body = graph(
                {"type": "indicator-breakdown", "dimension": dimension},
                breakdown_bars(cells, lang, title, titled=False),
                title + ": " + "; ".join(f"{label} {text}" for label, _v, text in cells),
            )
        footer = ("" if data.total is None or data.withheld
                  else _("Total: %(total)s", total=fmt_value(data.total, indicator.unit, lang)))
        if footer and shown and not data.adds_up.get(dimension, True):
            footer += " · " + _("As published: these categories may overlap or leave some "
                                "people out, so they need not add up to the total.")
        blocks.append(html.Div(html.Section(
            html.Div([html.H3(title, className="h6"), body,
                      html.P(footer, className="small text-body-secondary mb-0")],
                     className="card-body"),
            className="card shadow-sm h-100",
        ), className="col-md-6"))
    notes = []
    sources = {source_text(s["source"], s["is_demo"])
               for s in queries.indicator_value_sources(session, indicator, year, lang)}
    if sources:
        notes.append(html.P(_("Source: %(source)s", source="; ".join(sorted(sources))),
                            className="small mb-1"))
    notes.append(protection_note(values, lang))
    notes.append(data_downloads("indicator-breakdowns", lang, f"indicator-{indicator.code}-{year}-breakdowns",
                                code=indicator.code, year=year))
    return html.Div([html.Div(blocks, className="row g-3 mb-2"), *[n for n in notes if n is not None]])


def protection_note(values: indicator_values.IndicatorValues, lang: str) -> html.P | None:
    """What a sensitive indicator's reader is shown: exact figures, or protected ones."""
    if not values.sensitive:
        return None
    threshold = values.threshold
    if values.exact:
        return html.P(
            _("Exact figures: public pages show counts from 1 to %(n)s as \"%(label)s\" and hide "
              "another count where needed.", n=fmt_number(threshold - 1, lang),
              label=small_label(threshold, lang)),
            className="small text-body-secondary mb-0",
        )
    return html.P(
        _("To protect victims, counts from 1 to %(n)s are shown as \"%(label)s\", and another "
          "count is hidden where needed so that they cannot be worked out from the total.",
          n=fmt_number(threshold - 1, lang), label=small_label(threshold, lang)),
        className="small text-body-secondary mb-0",
    )


def achievement_text(result: rules.Achievement, lang: str) -> str:
    return fmt_percent(None if result.ratio is None else result.ratio * 100, lang)


def latest_text(row: queries.IndicatorRow, lang: str) -> str:
    """An indicator row's latest value and year as other pages show it ("<5" if hidden)."""
    if row["latest_hidden"]:
        value = small_label(row["threshold"], lang)
    else:
        value = fmt_value(row["latest_value"], row["unit"], lang)
    return f"{value} ({row['latest_year'] or '–'})"


# --- value entry on /indicators/<code> --------------------------------------------------
# The responsible entity's focal points report values here; the secretariat validates them
# on /review. Text users typed (notes, reasons) is passed as plain children: Dash escapes it.

ENTRY = "indicator-entry"  # prefix of the form's component ids
ENTRY_DIMENSION = f"{ENTRY}-dimension"  # pattern-matching id type of the breakdown dropdowns
ENTRY_EDIT = f"{ENTRY}-edit"  # pattern-matching id type of the "Edit" buttons
ENTRY_WITHDRAW = f"{ENTRY}-withdraw"  # pattern-matching id type of the "Withdraw" confirmations
# The error slots of the value form: slot -> the service's field names shown there.
ENTRY_SLOTS = {"period": ("period",), "value": ("value",), "breakdown": ("breakdown",), "note": ("note",),
               "links": ("links",), "evidence": ("files", "evidence", "remove_evidence")}
PERIOD_EXAMPLES = {"annual": "{year}", "semiannual": "{year}-S1", "quarterly": "{year}-Q3"}


def period_placeholder(frequency: str, year: int) -> str:
    return PERIOD_EXAMPLES.get(frequency, "{year}").format(year=year)


def category_names(session, lang: str) -> dict[str, str]:
    """Labels of disaggregation categories, regions included."""
    return {**labels.disaggregation_value(), **geo.region_names(session, lang)}


def breakdown_cells(key: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in (key or "").split(";") if "=" in part)


def entry_fields(session, indicator: Indicator, lang: str, year: int,
                 returned: dict | None = None) -> list:
    """The fields of the "Report a value" form, blank or filled with a returned value
    (a row of ``worklists.indicator_submissions``) that is being corrected."""
    source = returned or {}
    cells = breakdown_cells(source.get("breakdown", ""))
    names = category_names(session, lang)
    dimensions = labels.disaggregation()

    def field(label: str, control, field_id: str | None, hint: str | None = None,
              width: str = "col-12", slot: str | None = None):
        # A pattern-matching id cannot be named by htmlFor: such a label wraps its control.
        head = (html.Label(label, htmlFor=field_id, className="form-label") if field_id
                else html.Span(label, className="form-label d-block"))
        parts = [head, control] + ([html.Div(hint, className="form-text")] if hint else [])
        if slot:
            return html.Div([*parts, error_slot(ENTRY, slot)], className=width, role="group",
                            **described(ENTRY, slot))
        return html.Div(parts, className=width) if field_id else html.Label(parts, className=width)

    children: list = [
        dcc.Store(id=f"{ENTRY}-editing",
                  data={"id": returned["id"], "version": returned["version"]} if returned else None),
        dcc.Store(id=f"{ENTRY}-breakdown", data=cells),
    ]
    if returned:
        children.append(html.Div([
            html.P(_("You are correcting the value for %(period)s that the secretariat returned. "
                     "Edit it and send it again; the evidence already attached stays attached.",
                     period=returned["period"]), className="fw-semibold mb-1"),
            html.Div(_("Reason given by the secretariat"), className="small text-body-secondary"),
            html.P(returned["return_reason"] or "–", className="mb-1", style={"whiteSpace": "pre-wrap"},
                   dir="auto"),
            html.A(_("Cancel"), href=f"/indicators/{indicator.code}", className="small"),
        ], className="alert alert-warning", role="note"))
    evidence = (returned or {}).get("evidence") or []
    if evidence:
        children.append(html.Div([
            html.Div(_("Remove evidence when sending again (tick what is wrong):"), className="small",
                     id=f"{ENTRY}-remove-evidence-label"),
            dcc.Checklist(id=f"{ENTRY}-remove-evidence", value=[], options=[
                {"label": " " + (item["filename"] or _("File") if item["kind"] == "file" else item["url"]),
                 "value": item["id"]} for item in evidence],
                className="small", inputClassName="form-check-input me-1", labelClassName="d-block text-break"),
        ], className="mb-3", role="group", **{"aria-labelledby": f"{ENTRY}-remove-evidence-label"}))
    else:
        # The submit callback reads the ticks in every case: nothing to tick here.
        children.append(dcc.Checklist(id=f"{ENTRY}-remove-evidence", options=[], value=[],
                                      style={"display": "none"}))
    example = period_placeholder(indicator.frequency, year)
    fields = [
        field(_("Period"), dbc.Input(id=f"{ENTRY}-period", type="text", value=source.get("period", ""),
                                     placeholder=example, maxLength=10, style={"direction": "ltr"}),
              f"{ENTRY}-period", _("For example %(example)s.", example=example), "col-sm-6 col-lg-3", "period"),
        field(_("Value"), dbc.Input(id=f"{ENTRY}-value", type="text", inputMode="decimal", style={"direction": "ltr"},
                                    value="" if source.get("value") is None else plain_number(source["value"])),
              f"{ENTRY}-value", labels.unit().get(indicator.unit, indicator.unit), "col-sm-6 col-lg-3", "value"),
    ]
    for dimension in indicator.disaggregations or []:
        options = [{"label": _("Total"), "value": ""}] + [
            {"label": names.get(category, category), "value": category}
            for category in DISAGGREGATIONS.get(dimension, ())
        ]
        fields.append(field(
            dimensions.get(dimension, dimension),
            dbc.Select(id={"type": ENTRY_DIMENSION, "dimension": dimension}, options=options,
                       value=cells.get(dimension, ""), placeholder=_("Total")),
            None, width="col-sm-6 col-lg-3",
        ))
    if indicator.disaggregations:
        fields.append(html.P(_("Leave a disaggregation on \"Total\" to report the value for everyone; "
                               "choose a category to report the value of that group only."),
                             className="col-12 small text-body-secondary mb-0"))
    fields.append(html.Div(error_slot(ENTRY, "breakdown"), className="col-12 mt-0"))
    fields += [
        field(_("Note"), dbc.Textarea(id=f"{ENTRY}-note", value=source.get("note", ""), rows=3,
                                      maxLength=5000, dir="auto"),
              f"{ENTRY}-note", _("How the figure was obtained, for the secretariat."), "col-12", "note"),
        field(_("Links to evidence"),
              dbc.Textarea(id=f"{ENTRY}-links", value="", rows=3, maxLength=5000, dir="ltr"),
              f"{ENTRY}-links", _("One web address per line, starting with https://."), "col-lg-6", "links"),
        html.Div([*evidence_upload(ENTRY), error_slot(ENTRY, "evidence")], className="col-lg-6", role="group",
                 **described(ENTRY, "evidence")),
    ]
    children.append(html.Div(fields, className="row g-3"))
    return children


def plain_number(value: float) -> str:
    """A stored value as the user would type it again (no grouping, no trailing ".0")."""
    return str(int(value)) if float(value).is_integer() else str(value)


def entry_card(session, actor: Actor, indicator: Indicator, lang: str, year: int) -> html.Section | None:
    """"Report a value", for the focal points of the indicator's responsible entity."""
    if not allowed(actor, "submit_indicator_value", indicator):
        return None
    return html.Section(html.Div([
        html.H2(_("Report a value"), className="h5"),
        html.P(_("Your value is checked by the secretariat before it is published."),
               className="small text-body-secondary"),
        dcc.Store(id=f"{ENTRY}-code", data=indicator.code),
        html.Div(id=f"{ENTRY}-feedback", **{"aria-live": "polite"}),
        html.Div(entry_fields(session, indicator, lang, year), id=f"{ENTRY}-fields"),
        html.Button(_("Submit"), id=f"{ENTRY}-submit", n_clicks=0, type="button",
                    className="btn btn-primary mt-3"),
    ], className="card-body"), className="card shadow-sm h-100", id=ENTRY)


def submissions_table(session, actor: Actor, indicator: Indicator, lang: str):
    """The values of the indicator waiting for validation or returned, with their state;
    the focal points may correct a returned one."""
    rows = worklists.indicator_submissions(session, actor, indicator, lang)
    if not rows:
        return html.P(_("No value is waiting for validation or returned."),
                      className="text-body-secondary mb-0")
    can_edit = allowed(actor, "submit_indicator_value", indicator)
    names = category_names(session, lang)
    header = html.Thead(html.Tr([html.Th(_("Period")), html.Th(_("Disaggregation")), html.Th(_("Value")),
                                 html.Th(_("State")), html.Th(_("Submitted on")), html.Th(_("Evidence")),
                                 html.Th(html.Span(_("Actions"), className="visually-hidden"))]))
    body = []
    for row in reversed(rows):  # newest first
        state = [state_badge(row["state"])]
        if row["state"] == "returned" and row["return_reason"]:
            state.append(html.Div([html.Span(_("Reason given by the secretariat") + ": ",
                                             className="text-body-secondary"),
                                   html.Span(row["return_reason"], style={"whiteSpace": "pre-wrap"},
                                             dir="auto")],
                                  className="small mt-1"))
        body.append(html.Tr([
            html.Th(html.Bdi(row["period"]), scope="row"),
            html.Td(breakdown_text(row["breakdown"], names)),
            html.Td(fmt_value(row["value"], row["unit"], lang)),
            html.Td(state),
            html.Td([html.Div(fmt_datetime(row["submitted_at"], lang)),
                     html.Div(row["submitted_by"], className="small text-body-secondary")]),
            html.Td(evidence_list(row["evidence"], lang)),
            html.Td(html.Button(_("Edit"), id={"type": ENTRY_EDIT, "id": row["id"]}, n_clicks=0,
                                type="button", className="btn btn-outline-primary btn-sm")
                    if can_edit and row["state"] == "returned" else
                    dcc.ConfirmDialogProvider(
                        html.Button(_("Withdraw"), type="button", className="btn btn-outline-danger btn-sm"),
                        id={"type": ENTRY_WITHDRAW, "id": row["id"], "version": row["version"]},
                        message=_("Withdraw this value? The secretariat will no longer review it, and you can "
                                  "send a new one."))
                    if can_edit and row["state"] == "submitted" else None),
        ]))
        thread = comment_thread(session, actor, "indicator_value", row["id"], lang)
        if thread is not None:
            body.append(html.Tr(html.Td(thread, colSpan=7, className="pt-0")))
    return html.Div(html.Table([header, html.Tbody(body)], className="table table-sm align-middle mb-0"),
                    className="table-responsive")


def submissions_card(session, actor: Actor, indicator: Indicator, lang: str) -> html.Section | None:
    """The entity's values under validation, for its focal points and readers of restricted data."""
    if not allowed(actor, "read_entity_submissions", indicator):
        return None
    return html.Section(html.Div([
        html.H2(_("Values sent for validation"), className="h5"),
        html.Div(submissions_table(session, actor, indicator, lang), id=f"{ENTRY}-submissions"),
    ], className="card-body"), className="card shadow-sm")
