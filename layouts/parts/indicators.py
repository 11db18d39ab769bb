"""Parts of the indicator pages that their callbacks re-render.

Counts of victims (sensitive indicators) pass through ``dashboard.disclosure.suppress``
here, before any number reaches a figure, a hover text, a table or a grid.
"""
from __future__ import annotations

import dash_ag_grid as dag
from dash import html
from flask_babel import gettext as _
from flask_babel import ngettext

from dashboard import charts, labels, queries
from dashboard import progress as rules
from dashboard.disclosure import configured_threshold, suppress
from dashboard.i18n import fmt_mad, fmt_number, fmt_percent
from dashboard.models import DISAGGREGATIONS, Indicator
from layouts.components import data_grid, graph, js_string, kpi_card

FILTERS = ("axis", "type", "responsible")


# --- values -----------------------------------------------------------------------------


def fmt_value(value: float | None, unit: str, lang: str) -> str:
    if value is None:
        return "–"
    decimals = 0 if float(value).is_integer() else 1
    if unit == "percent":
        return fmt_percent(value, lang, decimals)
    if unit == "MAD":
        return fmt_mad(value, lang)
    if unit == "days":
        return ngettext("%(n)s day", "%(n)s days", int(value), n=fmt_number(value, lang, decimals))
    return fmt_number(value, lang, decimals)


def small_label(threshold: int, lang: str) -> str:
    """How a count hidden because it is small reads, e.g. "<5"."""
    return _("<%(n)s", n=fmt_number(threshold, lang))


def public_total(value: float | None, sensitive: bool, threshold: int) -> float | None:
    """A total as it may be shown: a small count of victims is hidden (None)."""
    if not sensitive or value is None:
        return value
    return suppress({}, value, threshold).total


def value_text(value: float | None, shown: float | None, unit: str, lang: str,
               threshold: int) -> str:
    """``shown`` is ``value`` after suppression; a hidden value reads "<5"."""
    if value is not None and shown is None:
        return small_label(threshold, lang)
    return fmt_value(shown, unit, lang)


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


def filter_options(session, lang: str) -> dict[str, list[dict]]:
    return {
        "axis": [{"label": f"{a.code} · {a.name(lang)}", "value": a.code} for a in queries.axes(session)],
        "type": [{"label": v, "value": k} for k, v in labels.indicator_type().items()],
        "responsible": [{"label": f"{e['acronym']} · {e['name']}", "value": e["acronym"]}
                        for e in queries.indicator_responsibles(session, lang)],
    }


def public_rows(session, lang: str, as_of, freshness_days: int,
                filters: queries.IndicatorFilter) -> list[dict]:
    """``queries.indicator_rows`` of public indicators (small victim counts hidden there)."""
    return queries.indicator_rows(session, lang, as_of, freshness_days, filters=filters)


def grid_rows(rows: list[dict], lang: str) -> list[dict]:
    threshold = configured_threshold()
    types, units, statuses = labels.indicator_type(), labels.unit(), labels.achievement_status()
    result = []
    for r in rows:
        latest = (small_label(threshold, lang) if r.get("latest_hidden")
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
    return result


def _with_year(text: str, year: int | None) -> str:
    return f"{text} ({year})" if year else text


def indicator_grid(grid_id: str, rows: list[dict], lang: str) -> dag.AgGrid:
    """The indicators table (dash-ag-grid), right-to-left in Arabic."""
    statuses = labels.achievement_status()
    columns = [
        {"field": "code", "headerName": _("Code"), "cellRenderer": "markdown", "width": 110,
         "pinned": "right" if lang == "ar" else "left"},
        {"field": "name", "headerName": _("Indicator"), "flex": 3, "minWidth": 240,
         "wrapText": True, "autoHeight": True},
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
    return data_grid(grid_id, grid_rows(rows, lang), columns, lang, height=560)


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


def axis_chart(session, rows: list[dict], lang: str) -> html.Figure:
    axis_names = {a.code: a.name(lang) for a in queries.axes(session)}
    title = _("Indicators by achievement status and strategic axis")
    names = labels.achievement_status()
    described = []
    for code in axis_names:
        own = [r for r in rows if r["axis"] == code]
        if own:
            counts = queries.indicator_summary(own)
            described.append(f"{code}: " + ", ".join(f"{names[s]} {n}" for s, n in counts.items()))
    return graph("indicators-axis-chart", charts.achievement_by_axis(rows, axis_names, lang, title),
                 title + ". " + "; ".join(described))


def summary_line(lang: str, rows: list[dict]) -> str:
    counts = queries.indicator_summary(rows)
    return _("%(count)s indicators · %(met)s targets met · %(off)s off track",
             count=fmt_number(len(rows), lang), met=fmt_number(counts["met"], lang),
             off=fmt_number(counts["off_track"], lang))


# --- /indicators/<code> -----------------------------------------------------------------


def yearly_actuals(series: list[dict]) -> dict[int, dict]:
    """One value per year: the annual figure, else the year's latest sub-annual one."""
    by_year: dict[int, dict] = {}
    for point in series:  # ordered by period
        year = point["year"]
        if point["period"] == str(year) or by_year.get(year, {}).get("period") != str(year):
            by_year[year] = point
    return by_year


def breakdown_section(session, indicator: Indicator, year: int | None, lang: str) -> html.Div:
    """One bar chart per supported dimension for a year, small victim counts hidden."""
    if year is None:
        years = queries.indicator_years_with_breakdowns(session, indicator)
        year = years[-1] if years else None
    if year is None or not indicator.disaggregations:
        return html.P(_("No disaggregated data"), className="text-body-secondary")
    threshold = configured_threshold()
    names = {**labels.disaggregation_value(), **queries.region_names(session, lang)}
    dimensions = labels.disaggregation()
    blocks = []
    data = queries.indicator_breakdowns(session, indicator, year)
    for dimension in indicator.disaggregations:
        order = {value: i for i, value in enumerate(DISAGGREGATIONS.get(dimension, ()))}
        raw = dict(data["cells"].get(dimension, {}))
        keys = sorted(raw, key=lambda k: (order.get(k, len(order)), k))
        title = _("%(dimension)s, %(year)s", dimension=dimensions.get(dimension, dimension),
                  year=year)
        if indicator.is_sensitive:
            release = suppress(raw, data["total"], threshold)
            shown, total, small, withheld = release.cells, release.total, release.small, release.withheld
        else:
            shown, total, small, withheld = raw, data["total"], frozenset(), False
        if withheld:
            body = html.P(_("Not shown: these numbers are too small to publish without the risk "
                            "of identifying victims."), className="text-body-secondary mb-0")
        else:
            cells = []
            for key in keys:
                if shown[key] is not None:
                    text = fmt_value(shown[key], indicator.unit, lang)
                elif key in small:
                    text = small_label(threshold, lang)
                else:
                    text = _("hidden")
                cells.append((names.get(key, key), shown[key], text))
            body = graph(
                {"type": "indicator-breakdown", "dimension": dimension},
                charts.breakdown_bars(cells, lang, title, titled=False),
                title + ": " + "; ".join(f"{label} {text}" for label, _v, text in cells),
            )
        footer = ("" if total is None or withheld
                  else _("Total: %(total)s", total=fmt_value(total, indicator.unit, lang)))
        if footer and raw and abs(sum(raw.values()) - total) > 1e-9:
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
    if indicator.is_sensitive:
        notes.append(html.P(
            _("To protect victims, counts from 1 to %(n)s are shown as \"%(label)s\", and another "
              "count is hidden where needed so that they cannot be worked out from the total.",
              n=fmt_number(threshold - 1, lang), label=small_label(threshold, lang)),
            className="small text-body-secondary mb-0",
        ))
    return html.Div([html.Div(blocks, className="row g-3 mb-2"), *notes])


def achievement_text(result: rules.Achievement, lang: str) -> str:
    return fmt_percent(None if result.ratio is None else result.ratio * 100, lang)


def latest_text(row: dict, lang: str) -> str:
    """An indicator row's latest value and year as other pages show it ("<5" if hidden)."""
    if row.get("latest_hidden"):
        value = small_label(configured_threshold(), lang)
    else:
        value = fmt_value(row["latest_value"], row["unit"], lang)
    return f"{value} ({row['latest_year'] or '–'})"
