"""Parts of the civil-society directory (``/organisations``) that its callback re-renders.

Contact details are drawn only from what ``organisations.directory`` returns: for the
public its rows carry none, so nothing here can leak them.
"""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_babel import gettext as _
from flask_babel import ngettext

from dashboard.i18n import fmt_number
from dashboard.models import ORGANISATION_SERVICES
from dashboard.national import organisations
from layouts.charts.base import breakdown_bars
from layouts.components import data_downloads, filter_select, graph, list_page, pager
from layouts.parts.citations import cited

FILTERS = ("region", "service", "text")
SERVICE_ICONS = {
    "shelter": "bi-house-heart",
    "legal_aid": "bi-bank",
    "psychosocial": "bi-chat-heart",
    "health": "bi-heart-pulse",
    "reintegration": "bi-briefcase",
}


# The names of the codes, shared with the exports (``dashboard.national.organisations``).
service_names, kind_names = organisations.service_names, organisations.kind_names


def filters(regions: dict[str, str], chosen: dict) -> tuple[list, dict]:
    """The region, service and text filters, and the values they hold (unknown ones dropped)."""
    width = "col-12 col-md-4"
    region, chosen_region = filter_select(
        "organisations-region", _("Region"),
        [{"label": f"{code} · {name}", "value": code} for code, name in sorted(regions.items())],
        chosen.get("region"), width)
    service, chosen_service = filter_select(
        "organisations-service", _("Service"),
        [{"label": name, "value": key} for key, name in service_names().items()],
        chosen.get("service"), width)
    text = (chosen.get("text") or "")[:organisations.TEXT_LIMIT]
    search = html.Div([
        dbc.Label(_("Name or town"), html_for="organisations-text", className="form-label"),
        dbc.Input(id="organisations-text", type="search", value=text, debounce=True, size="sm",
                  maxLength=organisations.TEXT_LIMIT, placeholder=_("Search")),
    ], className=width)
    return [region, service, search], {"region": chosen_region, "service": chosen_service, "text": text}


def hotline() -> html.Div:
    """The national hotline: a public number, for everyone."""
    return html.Div(
        [html.I(className="bi bi-telephone-fill me-2", **{"aria-hidden": "true"}),
         _("National hotline against trafficking in persons:"), " ",
         html.A(html.Bdi(organisations.NATIONAL_HOTLINE, dir="ltr"),
                href="tel:" + organisations.NATIONAL_HOTLINE.replace(" ", ""), className="fw-semibold",
                id="organisations-hotline")],
        className="alert alert-info py-2", role="note",
    )


def summary_line(rows: list[dict], lang: str) -> str:
    return ngettext("%(n)s organisation", "%(n)s organisations", len(rows), n=fmt_number(len(rows), lang))


def results(rows: list[dict], regions: dict[str, str], lang: str, logged_in: bool,
            chosen: dict | None = None) -> list:
    """Counts by region and service, then one card per organisation; ``chosen``: the
    filters, for the directory as files."""
    parts = [counts(rows, regions, lang, chosen or {})]
    if any(r["is_demo"] for r in rows):
        parts.append(html.Div(
            [html.Span(_("Demonstration data"), className="badge text-bg-warning demo-badge me-2"),
             _("Entries marked as demonstration data are invented, with fictitious contact details, "
               "to show how the directory works. Entries that cite a source are real.")],
            className="alert alert-warning py-2 small", role="note"))
    if not logged_in:
        parts.append(html.P(
            [html.I(className="bi bi-lock me-2", **{"aria-hidden": "true"}),
             _("Contact details are for registered partners:"), " ",
             dcc.Link(_("log in to see contact details"), href="/login")],
            className="small text-body-secondary", id="organisations-login-note"))
    if not rows:
        parts.append(html.P(_("No organisation matches these filters."), className="text-body-secondary"))
    else:
        parts.append(html.Div(cards_page(rows, lang), id="organisations-cards-page"))
    return parts


def cards_page(rows: list[dict], lang: str, page: object = 0) -> list:
    """One page of cards, and the pager when there are more."""
    shown, page, pages = list_page(rows, page)
    return [
        html.Div([html.Div(_card(r, lang), className="col-md-6 col-xl-4") for r in shown],
                 className="row g-3", id="organisations-cards"),
        pager({"type": "organisations-page"}, page, pages, lang) if pages > 1 else None,
    ]


def counts(rows: list[dict], regions: dict[str, str], lang: str, chosen: dict) -> html.Div:
    found = organisations.counts(rows)
    title = _("Organisations by region")
    cells = [(f"{code} · {name}", found["by_region"][code], fmt_number(found["by_region"][code], lang))
             for code, name in sorted(regions.items())]
    chart = graph("organisations-by-region", breakdown_bars(cells, lang, title),
                  title + ": " + "; ".join(f"{label} {text}" for label, _v, text in cells))
    names = service_names()
    table = html.Table([
        html.Thead(html.Tr([html.Th(_("Service")), html.Th(_("Organisations"))])),
        html.Tbody([html.Tr([html.Td([html.I(className=f"bi {SERVICE_ICONS[key]} me-2",
                                             **{"aria-hidden": "true"}), names[key]]),
                             html.Td(fmt_number(found["by_service"][key], lang))])
                    for key in ORGANISATION_SERVICES]),
    ], className="table table-sm mb-1", id="organisations-by-service")
    return html.Div([
        html.Div(html.Div(html.Div([chart, data_downloads(
            "organisations", lang, **{key: value for key, value in chosen.items()
                                      if key in FILTERS and isinstance(value, str)})],
            className="card-body"), className="card shadow-sm h-100"),
                 className="col-lg-8"),
        html.Div(html.Div(html.Div([html.H2(_("Organisations by service"), className="h6"), table,
                                    html.P(_("One organisation may offer several services."),
                                           className="small text-body-secondary mb-0")],
                                   className="card-body"), className="card shadow-sm h-100"),
                 className="col-lg-4"),
    ], className="row g-3 mb-3")


def _card(row: dict, lang: str) -> html.Section:
    names = service_names()
    badges = [html.Span(kind_names().get(row["kind"], row["kind"]), className="badge text-bg-secondary")]
    if row["is_demo"]:
        badges.append(html.Span(_("Demonstration data"), className="badge text-bg-warning demo-badge"))
    place = " · ".join(part for part in (row["region"], row["city"]) if part)
    body = [
        html.H3(row["name"], className="h6 mb-1"),
        html.Div(badges, className="d-flex flex-wrap gap-1 mb-2"),
        html.Div([html.I(className="bi bi-geo-alt me-1", **{"aria-hidden": "true"}), place],
                 className="small mb-2"),
        html.Ul([html.Li([html.I(className=f"bi {SERVICE_ICONS[s]} me-1", **{"aria-hidden": "true"}), names[s]],
                         className="badge rounded-pill text-bg-light border me-1")
                 for s in row["services"]],
                className="list-unstyled mb-2", **{"aria-label": _("Services")}),
    ]
    if row["entity"]:
        body.append(html.Div(dcc.Link(_("Profile of the body"), href=f"/entities/{row['entity']}"),
                             className="small mb-1"))
    if "contacts" in row:
        body.append(_contacts(row["contacts"], row["is_demo"]))
    if not row["is_demo"]:
        body.append(html.Div([_("Source:"), " ", cited(row["source"])],
                             className="small text-body-secondary mt-2", dir="auto"))
    return html.Section(html.Div(body, className="card-body"), className="card shadow-sm h-100 organisation-card")


def _contacts(contacts: dict, is_demo: bool) -> html.Div:
    """The contact details a logged-in user may read."""
    if not contacts:
        return html.P(_("No contact details published."), className="small text-body-secondary mb-0")
    lines = []
    if contacts.get("phone"):
        lines.append((_("Phone"), html.Bdi(contacts["phone"], dir="ltr")))
    if contacts.get("email"):
        lines.append((_("E-mail"), html.A(contacts["email"], href=f"mailto:{contacts['email']}", dir="ltr")))
    if contacts.get("address"):
        lines.append((_("Postal address"), html.Span(contacts["address"], dir="auto")))
    if contacts.get("website"):
        lines.append((_("Website"), html.A(contacts["website"], href=contacts["website"], rel="noopener",
                                           target="_blank", dir="ltr")))
    items = []
    for label, value in lines:
        items += [html.Dt(label, className="col-4 fw-normal text-body-secondary"),
                  html.Dd(value, className="col-8 mb-1")]
    parts = [html.Dl(items, className="row small mb-0 organisation-contacts")]
    if is_demo:
        parts.append(html.P(_("Fictitious contact details (demonstration)."),
                            className="small text-warning-emphasis mb-0"))
    return html.Div(parts, className="border-top pt-2")
