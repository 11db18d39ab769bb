"""Parts of the partners and funding page (``/partners``) that its callback re-renders.

An amount that is not published reads "not published", never 0, and charts mark it with a
labelled point rather than a zero-length bar. Every dirham equivalent names its rate. The
budgets of regional and global programmes are the whole programme's: they are hatched in
charts and never added to the Morocco-specific total.
"""
from __future__ import annotations

from decimal import Decimal

from dash import dcc, html
from flask_babel import gettext as _
from flask_babel import ngettext

from dashboard.i18n import (
    LRI,
    PDI,
    direction,
    fmt_date,
    fmt_list,
    fmt_mad,
    fmt_number,
)
from dashboard.national import funding
from dashboard.national.funding import SCOPES, Rate, Totals
from dashboard.paging import rows_page
from layouts.charts.funding import FundingWords, buckets_figure, committed_disbursed_figure
from layouts.components import (
    data_downloads,
    data_grid,
    graph,
    grid_page,
    kpi_card,
    list_page,
    pager,
    progress_bar,
    status_badge,
)

PARTNER_FILTER = "partners-partner"


# --- words and amounts ------------------------------------------------------------------


scope_names = funding.scope_names  # shared with the exports


def scope_notes() -> dict[str, str]:
    """What a programme's amount covers, by scope."""
    return {
        "morocco": _("Programme in Morocco"),
        "regional": _("Budget of the whole regional programme, not Morocco's share"),
        "global": _("Budget of the whole global programme, for all its countries, not Morocco's share"),
    }


def not_published() -> str:
    return _("not published")


def money(value: Decimal | None, currency: str | None, lang: str) -> str:
    """An amount in its own currency, or "not published"."""
    if value is None:
        return not_published()
    if currency == "MAD":
        return fmt_mad(value, lang)
    return f"{fmt_number(value, lang)} {currency}"


def rate_text(rate: Rate, lang: str) -> str:
    return _("1 %(currency)s = %(rate)s MAD, indicative rate of %(date)s", currency=rate.currency,
             rate=fmt_number(rate.mad_per_unit, lang, 2), date=fmt_date(rate.as_of, lang))


def mad_text(value: Decimal | None, rate: Rate | None, lang: str) -> str:
    """A dirham equivalent with the rate it was converted at."""
    if value is None:
        return not_published()
    if rate is None:  # an amount in dirhams
        return fmt_mad(value, lang)
    return _("%(amount)s (at %(rate)s)", amount=fmt_mad(value, lang), rate=rate_text(rate, lang))


def committed_mad_text(row: dict, lang: str) -> str:
    if row["committed"] is not None and row["committed_mad"] is None:
        return _("no stated rate for %(currency)s", currency=row["currency"])
    return mad_text(row["committed_mad"], row["rate"], lang)


def period_text(row: dict, lang: str) -> str:
    start, end = row["start_year"], row["end_year"]
    if start and end:
        # Left-to-right isolate: in Arabic the years would otherwise read end first.
        return f"{LRI}{start}–{end}{PDI}" if direction(lang) == "rtl" else f"{start}–{end}"
    if start:
        return _("from %(year)s", year=start)
    if end:
        return _("until %(year)s", year=end)
    return not_published()


def short_name(row: dict) -> str:
    """The programme's own acronym, else its name in the reader's language (its code is
    a key, not a name to read)."""
    return row["acronym"] or row["name"]


def partner_label(bucket: dict) -> str:
    names = " + ".join(bucket["partners"])
    return _("%(partners)s (joint)", partners=names) if bucket["joint"] else names


def rates_note(stated: list[Rate], lang: str) -> html.P:
    """The rates behind the page's dirham equivalents."""
    if not stated:
        return html.P(_("No exchange rate is stated: amounts are shown in their own currency only."),
                      className="small text-body-secondary", id="partners-rates")
    return html.P(
        [html.I(className="bi bi-currency-exchange me-2", **{"aria-hidden": "true"}),
         _("Amounts in dirhams use conversion rates chosen for this dashboard, not official "
           "rates; the secretariat is to replace them: %(rates)s.",
           rates=fmt_list([rate_text(r, lang) for r in stated], lang))],
        className="small alert alert-light border py-2", id="partners-rates",
    )


# --- key figures ------------------------------------------------------------------------


def converted_at(rows: list[dict], lang: str) -> str:
    """"Converted at 1 EUR = 10.80 MAD, ...": the rates behind these rows' dirham amounts."""
    stated = funding.used_rates(rows)
    return _("Converted at %(rates)s.", rates=fmt_list([rate_text(r, lang) for r in stated], lang)) if stated else ""


def _currency_detail(total: Totals, lang: str) -> str:
    amounts = [money(v, c, lang) for c, v in sorted(total.by_currency.items())]
    parts = [_("Published: %(amounts)s", amounts=fmt_list(amounts, lang))] if amounts else []
    if total.without_amount:
        parts.append(ngettext("%(n)s programme without a published amount",
                              "%(n)s programmes without a published amount",
                              total.without_amount, n=fmt_number(total.without_amount, lang)))
    if total.without_rate:
        parts.append(ngettext("%(n)s amount without a stated rate, not converted",
                              "%(n)s amounts without a stated rate, not converted",
                              total.without_rate, n=fmt_number(total.without_rate, lang)))
    return " · ".join(parts)


def _mad_value(total: Totals, lang: str) -> str:
    converted = total.with_amount - total.without_rate
    if not total.programmes:
        return "–"
    return fmt_mad(total.mad, lang) if converted else not_published()


def kpis(rows: list[dict], lang: str) -> html.Div:
    scoped = funding.totals(rows)
    without = sum(t.without_amount for t in scoped.values())

    def detail(scope: str, note: str | None = None) -> str:
        in_scope = [r for r in rows if r["scope"] == scope]
        parts = [note, _currency_detail(scoped[scope], lang), converted_at(in_scope, lang)]
        return " · ".join(part for part in parts if part)

    cards = [
        kpi_card(_("Known commitments to Morocco"), _mad_value(scoped["morocco"], lang),
                 detail("morocco"), "bi-cash-coin", "partners-kpi-morocco"),
        kpi_card(_("Regional programmes, whole budget"), _mad_value(scoped["regional"], lang),
                 detail("regional", _("Not Morocco's share.")), "bi-globe-europe-africa",
                 "partners-kpi-regional"),
        kpi_card(_("Global programmes, whole budget"), _mad_value(scoped["global"], lang),
                 detail("global", _("For all the programme's countries, not Morocco's share.")),
                 "bi-globe", "partners-kpi-global"),
        kpi_card(_("Programmes"), fmt_number(len(rows), lang),
                 _("Programmes of international partners"), "bi-briefcase", "partners-kpi-programmes"),
        kpi_card(_("Without a published amount"), fmt_number(without, lang),
                 _("Shown as \"not published\", never counted as zero"), "bi-question-circle",
                 "partners-kpi-unknown"),
    ]
    return html.Div([html.Div(c, className="col") for c in cards],
                    className="row row-cols-1 row-cols-sm-2 row-cols-xl-5 g-3 mb-3")


def totals_table(rows: list[dict], lang: str) -> html.Div:
    """Known amounts per scope: per currency, and in dirhams at the stated rates."""
    names, scoped = scope_names(), funding.totals(rows)
    header = html.Thead(html.Tr([html.Th(_("Scope")), html.Th(_("Programmes")),
                                 html.Th(_("Published amounts")), html.Th(_("In dirhams")),
                                 html.Th(_("Without a published amount"))]))
    body = []
    for scope in SCOPES:
        total = scoped[scope]
        if not total.programmes:
            continue
        amounts = [html.Div(html.Bdi(money(v, c, lang))) for c, v in sorted(total.by_currency.items())]
        body.append(html.Tr([
            html.Th([names[scope], html.Div(scope_notes()[scope], className="small fw-normal text-body-secondary")],
                    scope="row"),
            html.Td(fmt_number(total.programmes, lang)),
            html.Td(amounts or not_published()),
            html.Td([html.Bdi(_mad_value(total, lang)),
                     html.Div(converted_at([r for r in rows if r["scope"] == scope], lang),
                              className="small text-body-secondary")]),
            html.Td(fmt_number(total.without_amount, lang)),
        ]))
    return html.Div(
        [html.Table([header, html.Tbody(body)], className="table table-sm align-middle mb-1"),
         html.P(_("Scopes are not added together: a regional or global budget is shared by "
                  "several countries."), className="small text-body-secondary mb-0")],
        className="table-responsive", id="partners-totals",
    )


# --- charts -----------------------------------------------------------------------------


def unknown_text(n_unknown: int, n_unconverted: int, lang: str) -> str:
    parts = []
    if n_unknown:
        parts.append(ngettext("%(n)s amount not published", "%(n)s amounts not published",
                              n_unknown, n=fmt_number(n_unknown, lang)))
    if n_unconverted:
        parts.append(ngettext("%(n)s amount without a rate", "%(n)s amounts without a rate",
                              n_unconverted, n=fmt_number(n_unconverted, lang)))
    return " · ".join(parts)


def _words() -> FundingWords:
    return FundingWords(scope_names=scope_names(), scope_notes=scope_notes(), not_published=not_published(),
                        short_name=short_name, mad_text=mad_text, unknown_text=unknown_text)


def _figure_text(buckets: list[dict], names: list[str], lang: str) -> str:
    """The text alternative of a bucket chart."""
    parts = []
    for name, bucket in zip(names, buckets):
        totals = bucket["totals"].values()
        known = sum(t.mad for t in totals)
        unknown = sum(t.without_amount for t in totals)
        text = f"{name}: {fmt_mad(known, lang)}"
        if unknown:
            text += f" + {unknown_text(unknown, 0, lang)}"
        parts.append(text)
    return "; ".join(parts)


def partner_chart(rows: list[dict], lang: str) -> html.Div:
    buckets = funding.by_partner(rows)
    names = [partner_label(b) for b in buckets]
    title = _("Funding by partner, in dirhams")
    return html.Div([
        graph("partners-by-partner", buckets_figure(buckets, names, lang, title, _words()),
              f"{title}: {_figure_text(buckets, names, lang)}"),
        data_downloads("programmes", lang),
        html.P(_("A programme with several partners is shown whole under their joint name: no "
                 "split between partners is published.") + " " + converted_at(rows, lang),
               className="small text-body-secondary mb-0"),
    ])


AXIS_PROGRAMMES = 10  # programmes (and their measures' codes) listed under each axis


def axis_section(rows: list[dict], axes: dict[str, str], lang: str) -> html.Div:
    """Funding by axis of the plan, through the measures each programme is linked to;
    ``axes`` maps the plan's axis codes, in order, to their names."""
    buckets = funding.by_axis(rows, list(axes))
    if all(b["axis"] == funding.NO_AXIS for b in buckets):
        return html.P(_("No programme is linked to a measure of the plan yet, so funding cannot "
                        "be shown by axis."), className="text-body-secondary mb-0", id="partners-by-axis-empty")
    special = {funding.SEVERAL_AXES: _("Several axes (not split)"),
               funding.NO_AXIS: _("No measure linked")}
    names = [special.get(b["axis"]) or f"{b['axis']} · {axes.get(b['axis'], '')}" for b in buckets]
    title = _("Funding by axis of the plan, in dirhams")
    chart = graph("partners-by-axis", buckets_figure(buckets, [n[:48] for n in names], lang, title, _words()),
                  f"{title}: {_figure_text(buckets, names, lang)}")
    items = []
    for name, bucket in zip(names, buckets):
        programmes = []
        for row in bucket["programmes"][:AXIS_PROGRAMMES]:
            codes = [m["code"] for m in row["measures"]]
            programmes.append(html.Li([html.Span(short_name(row), className="fw-semibold"),
                                       (": " + ", ".join(codes[:AXIS_PROGRAMMES])) if codes else ""]))
        left = len(bucket["programmes"]) - AXIS_PROGRAMMES
        if left > 0:
            programmes.append(html.Li(ngettext("and %(n)s more programme", "and %(n)s more programmes", left,
                                               n=fmt_number(left, lang)), className="text-body-secondary"))
        items.append(html.Li([name, html.Ul(programmes, className="mb-1")]))
    return html.Div([
        chart,
        data_downloads("programmes", lang),
        html.P(_("A programme's amount is never split between axes: a programme that supports "
                 "measures of several axes is counted whole under \"Several axes (not split)\".")
               + " " + converted_at(rows, lang), className="small text-body-secondary"),
        html.Ul(items, className="small mb-0", id="partners-axis-list"),
    ])


CHART_PROGRAMMES = 15  # bars of the committed-and-disbursed chart: the largest programmes


def committed_disbursed_chart(rows: list[dict], lang: str) -> html.Div:
    """Every programme, or past ``CHART_PROGRAMMES`` the largest commitments (in dirhams;
    amounts not published or without a rate last), with a note that the table holds all."""
    total = len(rows)
    if total > CHART_PROGRAMMES:
        rows = sorted(rows, key=lambda r: (r["committed_mad"] is None, -(r["committed_mad"] or 0)))[:CHART_PROGRAMMES]
    title = _("Committed and disbursed, in dirhams")
    description = "; ".join(
        f"{short_name(r)}: {_('Committed')} {committed_mad_text(r, lang)}, "
        f"{_('Disbursed')} {mad_text(r['disbursed_mad'], r['rate'], lang)}" for r in rows)
    disbursed = funding.totals(rows, "disbursed")
    unknown = sum(t.without_amount for t in disbursed.values())
    return html.Div([
        graph("partners-committed-disbursed", committed_disbursed_figure(rows, lang, title, _words()),
              f"{title}: {description}"),
        data_downloads("programmes", lang),
        html.P(ngettext("Disbursements are not published for %(n)s programme.",
                        "Disbursements are not published for %(n)s programmes.",
                        unknown, n=fmt_number(unknown, lang)) if unknown else "",
               className="small text-body-secondary mb-0"),
        html.P(_("Hatched bars are the budgets of whole regional or global programmes.") + " "
               + converted_at(rows, lang), className="small text-body-secondary mb-0"),
        html.P(_("The %(n)s largest commitments of %(total)s programmes; the table lists them all.",
                 n=fmt_number(CHART_PROGRAMMES, lang), total=fmt_number(total, lang)),
               className="small text-body-secondary mb-0", id="partners-chart-cut")
        if total > CHART_PROGRAMMES else None,
    ])


# --- programmes and the measures they support ------------------------------------------


def partner_options(rows: list[dict]) -> list[dict]:
    partners = {p["acronym"]: p["name"] for r in rows for p in r["partners"]}
    return [{"label": f"{acronym} · {partners[acronym]}", "value": acronym} for acronym in sorted(partners)]


def grid_rows(rows: list[dict], lang: str) -> list[dict]:
    scopes = scope_names()
    return [
        {
            "name": r["name"],
            "acronym": r["acronym"],
            "partners": ", ".join(p["acronym"] for p in r["partners"]),
            "period": period_text(r, lang),
            "committed": money(r["committed"], r["currency"], lang),
            "disbursed": money(r["disbursed"], r["currency"], lang),
            "mad": committed_mad_text(r, lang),
            "scope": scopes[r["scope"]],
            "source": r["source"],
        }
        for r in rows
    ]


GRID_FIELDS = ("name", "acronym", "partners", "period", "committed", "disbursed", "mad", "scope", "source")


def programme_grid(lang: str):
    """The programmes table; its rows come a page at a time (``programme_grid_page``), so a
    row has one height: a long text is cut and shown whole on hover."""

    columns = [
        {"field": "name", "headerName": _("Programme"), "flex": 3, "minWidth": 260, "tooltipField": "name",
         "pinned": "right" if lang == "ar" else "left"},
        {"field": "acronym", "headerName": _("Acronym"), "width": 130},
        {"field": "partners", "headerName": _("Partners"), "width": 170, "tooltipField": "partners"},
        {"field": "period", "headerName": _("Period"), "width": 120},
        {"field": "committed", "headerName": _("Committed"), "width": 150},
        {"field": "disbursed", "headerName": _("Disbursed"), "width": 140},
        {"field": "mad", "headerName": _("In dirhams, at the stated rate"), "flex": 2, "minWidth": 230,
         "tooltipField": "mad"},
        {"field": "scope", "headerName": _("Scope"), "width": 160, "tooltipField": "scope"},
        {"field": "source", "headerName": _("Source"), "flex": 2, "minWidth": 220, "tooltipField": "source"},
    ]
    return data_grid("partners-grid", [], columns, lang, height=480, infinite=True)


def programme_box(lang: str, partner: str | None) -> list:
    """The programmes table and its rows as files, for the partner chosen."""
    return [programme_grid(lang), data_downloads("programmes", lang, partner=partner or None)]


def programme_grid_page(rows: list[dict], lang: str, request) -> dict:
    """The ``getRowsResponse`` of the programmes table: one page of ``rows``."""
    page, total = rows_page(grid_rows(rows, lang), request, GRID_FIELDS)
    return grid_page(page, total)


def illustrative_badge() -> html.Span:
    return html.Span(_("Illustrative links"), className="badge text-bg-warning demo-badge",
                     title=_("The links between programmes and measures are demonstration data"))


MEASURES_PAGE = 10  # measures listed per partner at a time


def supported_measures(rows: list[dict], lang: str) -> list:
    """Per partner, the measures its programmes are linked to, with their progress, a page
    at a time (``partner_measures``)."""
    partners = funding.supported_measures(rows)
    if not partners:
        return [html.P(_("No programme is linked to a measure of the plan yet."),
                       className="text-body-secondary mb-0")]
    cards = []
    for partner in partners:
        heading = [html.H3(f"{partner['acronym']} · {partner['name']}", className="h6 mb-0")]
        if partner["is_demo"]:
            heading.append(illustrative_badge())
        cards.append(html.Div(html.Section([
            html.Div(heading, className="card-header d-flex flex-wrap gap-2 align-items-center"),
            html.Div(partner_measures(partner, lang), id={"type": "partner-measures", "partner": partner["acronym"]}),
        ], className="card shadow-sm h-100"), className="col-lg-6"))
    return [html.Div(cards, className="row g-3")]


def partner_measures(partner: dict, lang: str, page: object = 0) -> list:
    """One page of a partner's supported measures, and the pager when there are more."""
    shown, page, pages = list_page(partner["measures"], page, MEASURES_PAGE)
    items = [
        html.Li([
            html.Div([dcc.Link(m["code"], href=f"/measures/{m['code']}", className="me-2 fw-semibold"),
                      html.Span(m["name"])]),
            html.Div([status_badge(m["status"]),
                      html.Span(_("through %(programmes)s", programmes=fmt_list(m["programmes"], lang)),
                                className="small text-body-secondary ms-2")], className="my-1"),
            progress_bar(m["progress"], lang),
        ], className="list-group-item")
        for m in shown
    ]
    return [
        html.Ul(items, className="list-group list-group-flush"),
        html.Div(pager({"type": "partner-measures-page", "partner": partner["acronym"]}, page, pages, lang),
                 className="px-3 pb-2") if pages > 1 else None,
    ]


def summary_line(rows: list[dict], lang: str) -> str:
    return ngettext("%(n)s programme", "%(n)s programmes", len(rows), n=fmt_number(len(rows), lang))
